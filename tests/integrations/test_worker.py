"""A webhook delivery sent by the real worker process (`manage.py db_worker`)
against the PostgreSQL test database, to a receiver on 127.0.0.1."""

import pytest

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.tasks import webhook_delivery_send
from tests.integrations.receiver import receiver_start, receiver_stop
from tests.workers import (
    DATABASE_TASKS,
    needs_shared_database,
    restore_migrated,
    worker_env,
    worker_start,
    worker_wait,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_after(django_db_setup, django_db_blocker):
    yield
    restore_migrated(django_db_blocker)


def test_the_worker_sends_a_signed_delivery(settings, tmp_path, company):
    needs_shared_database()
    settings.TASKS = DATABASE_TASKS
    receiver = receiver_start()
    receiver.secret = "whsec_worker"
    try:
        endpoint = WebhookEndpoint.objects.create(
            company=company,
            url=receiver.url,
            events=["order.placed"],
            secret=receiver.secret,
        )
        delivery = endpoint.deliveries.create(
            event="order.placed", key="order.placed:1", payload={"order": {"n": 1}}
        )
        webhook_delivery_send.enqueue(delivery_id=delivery.pk, attempt=1)
        env = worker_env(media_root=tmp_path / "media", mail_dir=tmp_path / "mail")
        env.update(WEBHOOKS_ALLOW_HTTP="1", WEBHOOKS_ALLOW_PRIVATE_ADDRESSES="1")
        worker_wait(worker_start(env=env, worker_id="webhooks"))
    finally:
        receiver_stop(receiver)
    [request] = receiver.requests
    assert request["verified"] is True
    assert request["body"]["data"] == {"order": {"n": 1}}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "delivered",
        1,
        200,
    )
