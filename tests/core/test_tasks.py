"""The queue's own rules (core.tasks): enqueued after the commit, failures retried
with backoff up to a number of attempts, failed tasks retried by staff. Tasks run on
the database backend, by the worker's own runner in this process."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import enqueue_on_commit, retry_delay
from tests.core.tasks import flaky, record_run
from tests.workers import DATABASE_TASKS, tasks_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_RETRY_DELAY = 60
    cache.clear()


def _due_now():
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def _results():
    return list(DBTaskResult.objects.order_by("enqueued_at", "run_after"))


def test_a_task_failing_twice_succeeds_on_its_third_attempt_after_backoff(queue):
    flaky.enqueue(name="twice", failures=2)
    started = timezone.now()
    assert tasks_run() == 1
    first, second = _results()
    assert first.status == TaskResultStatus.FAILED
    assert "ConnectionError: twice: failure 1" in first.traceback
    assert second.status == TaskResultStatus.READY
    assert second.args_kwargs["kwargs"] == {
        "name": "twice",
        "failures": 2,
        "retry_attempt": 2,
    }
    # 60 s after the first failure, 4 × 60 s after the second.
    assert (
        started + timedelta(seconds=60)
        <= second.run_after
        <= timezone.now() + timedelta(seconds=60)
    )
    assert tasks_run() == 0  # not due yet
    _due_now()
    assert tasks_run() == 1
    third = _results()[2]
    assert third.run_after >= timezone.now() + timedelta(seconds=230)
    _due_now()
    assert tasks_run() == 1
    statuses = [r.status for r in _results()]
    assert statuses == [
        TaskResultStatus.FAILED,
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert _results()[2].return_value == 3
    assert not DBTaskResult.objects.ready().exists()


def test_a_task_that_keeps_failing_is_given_up_after_its_attempts(queue, caplog):
    flaky.enqueue(name="always", failures=10)
    for _ in range(5):
        _due_now()
        tasks_run()
    assert [r.status for r in _results()] == [TaskResultStatus.FAILED] * 3
    assert "given up" in caplog.text


def test_the_backoff_grows_fourfold(settings):
    settings.TASKS_RETRY_DELAY = 15
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [
        15,
        60,
        240,
        960,
    ]


def test_the_immediate_backend_records_a_failure_and_does_not_retry(settings, caplog):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    cache.clear()
    result = flaky.enqueue(name="immediate", failures=1)
    assert result.status == TaskResultStatus.FAILED
    assert cache.get("flaky:immediate") == 1
    assert "not retried" in caplog.text


def test_a_task_is_enqueued_only_when_the_transaction_commits(
    queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(record_run, number=1)
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"number": 1}


def test_staff_see_failed_tasks_and_retry_them(queue, admin_client):
    flaky.enqueue(name="staff", failures=10)
    for _ in range(3):
        _due_now()
        tasks_run()
    failed = DBTaskResult.objects.failed().first()
    url = "/admin/django_tasks_database/dbtaskresult/"
    page = admin_client.get(url, {"status__exact": "FAILED"})
    assert page.status_code == 200
    assert "flaky" in page.content.decode()
    response = admin_client.post(
        url, {"action": "retry", "_selected_action": [str(failed.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert "1 failed task is queued again." in response.content.decode()
    again = DBTaskResult.objects.ready().get()
    assert again.task_path == "tests.core.tasks.flaky"
    assert again.args_kwargs["kwargs"] == {"name": "staff", "failures": 10}
    detail = admin_client.get(f"{url}{failed.pk}/change/")
    assert detail.status_code == 200
    assert "ConnectionError" in detail.content.decode()
