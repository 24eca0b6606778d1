"""E-mail as a background task (core.mail): plain data, sent once per key."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.mail import mail_enqueue
from core.models import SentMail
from tests.workers import DATABASE_TASKS, tasks_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_RETRY_DELAY = 0


def _enqueue(key="order-shipped:7", to=("buyer@example.com",)):
    return mail_enqueue(
        key=key, subject="Shipped", body="Your order is on its way.", to=to
    )


def test_the_same_mail_enqueued_twice_is_sent_once(
    queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
        _enqueue()
    assert mail.outbox == []  # nothing is sent in the request
    assert tasks_run() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["buyer@example.com"]
    assert mail.outbox[0].subject == "Shipped"
    returns = sorted(r.return_value for r in DBTaskResult.objects.all())
    assert returns == [False, True]
    assert SentMail.objects.get().key == "order-shipped:7"


def test_mails_without_a_key_are_each_sent(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(key=None)
        _enqueue(key=None)
    tasks_run()
    assert len(mail.outbox) == 2


def test_nobody_to_send_to_enqueues_nothing(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _enqueue(to=["", ""]) is None
    assert not DBTaskResult.objects.exists()


def test_a_mail_server_that_fails_is_tried_again(
    queue, settings, django_capture_on_commit_callbacks
):
    """The failed send leaves no SentMail row, so the retry sends it."""
    settings.TASKS_RETRY_DELAY = 60
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("smtp down"),
    ):
        tasks_run()
    assert not SentMail.objects.exists()
    assert DBTaskResult.objects.failed().count() == 1
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)  # in a minute
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    assert tasks_run() == 1
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
