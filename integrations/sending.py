"""One attempt at a delivery: sign the body, POST it, record the answer and when
to try again (`WEBHOOKS_RETRY_DELAYS` after the 1st, 2nd, ... failure; failed after
the last). The row is locked for the attempt and the attempt number must follow
the recorded one, so a task run twice sends once."""

import http.client
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.addresses import WebhookUrlError
from integrations.client import signature, webhook_post
from integrations.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)


def attempts_max() -> int:
    return len(settings.WEBHOOKS_RETRY_DELAYS) + 1


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body: the same bytes on every attempt."""
    envelope = {
        "id": delivery.pk,
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def _send(delivery: WebhookDelivery, now) -> tuple[int | None, str, str, bool]:
    """(status code, response body, error, whether to give up at once)."""
    body = delivery_body(delivery)
    timestamp = str(int(now.timestamp()))
    headers = {
        "X-Shop-Event": delivery.event,
        "X-Shop-Delivery": str(delivery.pk),
        "X-Shop-Timestamp": timestamp,
        "X-Shop-Signature": signature(
            secret=delivery.endpoint.secret, timestamp=timestamp, body=body
        ),
    }
    try:
        answer = webhook_post(url=delivery.endpoint.url, body=body, headers=headers)
    except WebhookUrlError as exc:
        return None, "", " ".join(exc.messages), True
    except (OSError, http.client.HTTPException) as exc:
        return None, "", (str(exc) or exc.__class__.__name__), False
    return answer.status, answer.body, "", False


def webhook_delivery_attempt(*, delivery_id: int, attempt: int):
    """Attempt `attempt` of the delivery; the delivery as recorded after it, or
    None when there was nothing to do (gone, done, or this attempt already made)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if (
            delivery is None
            or delivery.status != DeliveryStatus.PENDING
            or delivery.attempts != attempt - 1
        ):
            return None
        now = timezone.now()
        if delivery.endpoint.is_active:
            code, text, error, give_up = _send(delivery, now)
        else:
            code, text, error, give_up = (
                None,
                "",
                _("The endpoint is switched off."),
                True,
            )
        delivery.attempts = attempt
        delivery.last_attempt_at = now
        delivery.last_status_code = code
        delivery.response_body = text
        delivery.last_error = error[:255]
        delivery.next_attempt_at = None
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
        elif give_up or attempt >= attempts_max():
            delivery.status = DeliveryStatus.FAILED
        else:
            delay = settings.WEBHOOKS_RETRY_DELAYS[attempt - 1]
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save()
    logger.info(
        "Webhook delivery %s attempt %d: %s %s %s",
        delivery.pk,
        attempt,
        delivery.status,
        code,
        error,
    )
    return delivery
