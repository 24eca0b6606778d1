"""What makes a webhook: the signals of the layers below, which do not know this
app. `order_placed` (Oscar's `OrderCreator.place_order`: checkout, reservations),
`order_status_changed` into one of `INVOICING_SHIPPED_STATUSES`, and an invoice
saved for the first time. The deliveries are written in the transaction of the
event (a rolled-back order sends nothing) and sent by the worker after the commit;
a failure here is logged and never fails the order or the invoice."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed, order_status_changed

from integrations.models import WebhookEvent
from integrations.payloads import invoice_payload, order_payload
from integrations.services import webhook_event_record
from invoicing.models import DocumentKind, Invoice

logger = logging.getLogger(__name__)


def _record(**kwargs) -> None:
    try:
        with transaction.atomic():
            webhook_event_record(**kwargs)
    except Exception:
        logger.exception("Webhook event %s not recorded", kwargs.get("key"))


@receiver(order_placed, dispatch_uid="integrations.order_placed")
def order_placed_webhook(sender, order, **kwargs):
    if not order.company_id:
        return
    _record(
        company_id=order.company_id,
        event=WebhookEvent.ORDER_PLACED,
        key=f"order.placed:{order.pk}",
        payload=lambda: order_payload(order=order),
    )


@receiver(order_status_changed, dispatch_uid="integrations.order_shipped")
def order_shipped_webhook(sender, order, old_status, new_status, **kwargs):
    shipped = settings.INVOICING_SHIPPED_STATUSES
    if new_status not in shipped or old_status in shipped or not order.company_id:
        return
    _record(
        company_id=order.company_id,
        event=WebhookEvent.ORDER_SHIPPED,
        key=f"order.shipped:{order.pk}",
        payload=lambda: order_payload(order=order),
    )


@receiver(post_save, sender=Invoice, dispatch_uid="integrations.invoice_issued")
def invoice_issued_webhook(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.kind != DocumentKind.INVOICE:
        return
    _record(
        company_id=instance.company_id,
        event=WebhookEvent.INVOICE_ISSUED,
        key=f"invoice.issued:{instance.pk}",
        payload=lambda: invoice_payload(invoice=instance),
    )
