"""Invoicing's answers to what happens below it. An order lives in `sales.order`,
which must not know invoicing (invoicing builds on orders): Oscar's
`order_status_changed` signal, sent by every status change (the dashboard, the
event handler, `Order.set_status`), is the seam."""

from django.conf import settings
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from invoicing.services.delivery import delivery_note_issue


@receiver(order_status_changed, dispatch_uid="invoicing.delivery_note_on_shipped")
def delivery_note_on_shipped(sender, order, old_status, new_status, **kwargs):
    """A company's order that reaches a shipped status gets its delivery note."""
    if new_status in settings.INVOICING_SHIPPED_STATUSES and order.company_id:
        delivery_note_issue(order=order)
