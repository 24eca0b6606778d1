"""The background task that sends webhook deliveries (django-tasks). A failed
attempt enqueues the next one itself with `run_after` at the delivery's next
attempt time (its own backoff, not `core.tasks`' retries: a non-2xx answer is an
outcome to record, not an exception)."""

import logging

from django_tasks import task

from integrations.models import DeliveryStatus
from integrations.sending import webhook_delivery_attempt

logger = logging.getLogger(__name__)


@task()
def webhook_delivery_send(*, delivery_id: int, attempt: int = 1) -> str | None:
    """Attempt the delivery; its status after it (None: nothing was to be done)."""
    delivery = webhook_delivery_attempt(delivery_id=delivery_id, attempt=attempt)
    if delivery is None:
        return None
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at:
        if webhook_delivery_send.get_backend().supports_defer:
            webhook_delivery_send.using(run_after=delivery.next_attempt_at).enqueue(
                delivery_id=delivery_id, attempt=attempt + 1
            )
        else:
            logger.warning(
                "Webhook delivery %s not retried: the task backend cannot defer",
                delivery_id,
            )
    return delivery.status
