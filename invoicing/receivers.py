"""Invoicing's answers to what happens below it. An order lives in `sales.order`,
which must not know invoicing (invoicing builds on orders): Oscar's signals are the
seam — `order_placed` (sent by `OrderCreator.place_order`) and
`order_status_changed` (sent by every status change: the dashboard, the event
handler, `Order.set_status`). The e-mails go through `accounts.notifications`,
rendered after the commit."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from oscar.apps.order.signals import order_placed, order_status_changed

from accounts.models import User
from accounts.notifications import (
    Kind,
    absolute_url,
    company_members,
    notify_after_commit,
)
from invoicing.services.delivery import delivery_note_issue


def _order_path(order) -> str:
    return reverse("cabinet:order-detail", args=[order.number])


def _buyer(order):
    """The person who placed a company's order, while they act for it."""
    return company_members(company_id=order.company_id, user_ids=[order.user_id])


@receiver(order_placed, dispatch_uid="invoicing.order_placed_notify")
def order_placed_notify(sender, order, user=None, **kwargs):
    """The buyer (the cabinet's order page) and the company's account manager (the
    dashboard's) are told of a company's new order."""
    if not order.company_id:
        return
    notify_after_commit(
        kind=Kind.ORDER_PLACED,
        users=_buyer(order),
        context={"order": order},
        path=_order_path(order),
        key=f"order.placed:{order.pk}",
    )
    notify_after_commit(
        kind=Kind.ORDER_PLACED,
        users=User.objects.filter(managed_companies=order.company_id, is_staff=True),
        context={"order": order},
        path=reverse("dashboard:order-detail", args=[order.number]),
        key=f"order.placed:{order.pk}:manager",
    )


@receiver(order_status_changed, dispatch_uid="invoicing.delivery_note_on_shipped")
def delivery_note_on_shipped(sender, order, old_status, new_status, **kwargs):
    """A company's order that reaches a shipped status gets its delivery note, and
    its buyer an e-mail naming it (once, however often the status is set)."""
    if new_status not in settings.INVOICING_SHIPPED_STATUSES or not order.company_id:
        return
    note = delivery_note_issue(order=order)
    notify_after_commit(
        kind=Kind.ORDER_SHIPPED,
        users=_buyer(order),
        context={
            "order": order,
            "note": note,
            "note_url": absolute_url(
                reverse("cabinet:delivery-note-pdf", args=[note.pk])
            ),
        },
        path=_order_path(order),
        key=f"order.shipped:{order.pk}",
    )
