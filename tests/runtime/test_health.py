"""`/health/`: anonymous, says only what failed; the queue checks where a worker is
configured (the database task backend)."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check import checks
from health_check.exceptions import ServiceUnavailable

from shop.health import (
    Database,
    QueueBacklog,
    WorkerHeartbeat,
    health_checks,
)
from shop.tasks import HEARTBEAT_KEY, worker_heartbeat

pytestmark = pytest.mark.django_db


def test_health_answers_anonymous_callers(client):
    response = client.get(reverse("health:index"), {"format": "json"})
    assert response.status_code == 200
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Storage(alias='default')": "OK",
    }
    assert "no-cache" in response["Cache-Control"]


def test_the_balancers_check_is_the_web_process_alone(client):
    response = client.get(reverse("health:web"), {"format": "json"})
    assert response.status_code == 200
    assert list(response.json()) == [
        "Database(alias='default')",
        "Cache(alias='default')",
        "Storage(alias='default')",
    ]


def test_health_html_tells_nothing_secret(client):
    response = client.get("/health/", HTTP_ACCEPT="text/html")
    body = response.content.decode()
    assert response.status_code == 200
    for secret in (
        settings.SECRET_KEY,
        str(settings.MEDIA_ROOT),
        str(settings.DATABASES["default"]["NAME"]),
    ):
        assert secret not in body


def test_a_failing_database_is_named_without_the_drivers_message(monkeypatch):
    def refuse(self):
        raise ServiceUnavailable('connection to server at "10.1.2.3", port 5432 failed')

    monkeypatch.setattr(checks.Database, "run", refuse)
    with pytest.raises(ServiceUnavailable) as failure:
        Database().run()
    assert str(failure.value) == "Unavailable: The database does not answer."


def test_the_queue_checks_are_there_only_where_a_worker_runs_tasks(settings):
    assert QueueBacklog not in _classes(health_checks())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert _classes(health_checks()) == [
        Database,
        checks.Cache,
        checks.Storage,
        QueueBacklog,
        WorkerHeartbeat,
    ]


def _classes(found):
    return [item[0] if isinstance(item, tuple) else item for item in found]


def _task(*, waited: datetime.timedelta, run_after=None, status="READY"):
    result = DBTaskResult.objects.create(
        task_path="shop.tasks.worker_heartbeat",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - waited
    )
    return result


def test_queue_backlog_fails_on_a_task_ready_for_too_long():
    check = QueueBacklog(minutes=5)
    _task(waited=datetime.timedelta(minutes=1))
    _task(waited=datetime.timedelta(hours=1), status="SUCCESSFUL")
    # Deferred: ready only from a minute ago, so it has not waited long yet.
    _task(
        waited=datetime.timedelta(hours=1),
        run_after=timezone.now() - datetime.timedelta(minutes=1),
    )
    check.run()

    _task(waited=datetime.timedelta(minutes=6))
    with pytest.raises(ServiceUnavailable) as failure:
        check.run()
    assert str(failure.value) == "Unavailable: 1 tasks have waited more than 5 minutes."


def test_worker_heartbeat_fails_when_missing_or_old():
    check = WorkerHeartbeat(minutes=3)
    cache.delete(HEARTBEAT_KEY)
    with pytest.raises(ServiceUnavailable, match="No worker heartbeat yet"):
        check.run()

    worker_heartbeat.enqueue()  # the immediate backend runs it, as a worker would
    check.run()

    old = timezone.now() - datetime.timedelta(minutes=4)
    cache.set(HEARTBEAT_KEY, old.isoformat())
    with pytest.raises(ServiceUnavailable, match=r"heartbeat is 24\d s old"):
        check.run()
