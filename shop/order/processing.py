"""Oscar's order event handler: a shipped order gets its delivery note."""

from django.conf import settings
from oscar.apps.order.processing import EventHandler as OscarEventHandler

from invoicing.services.delivery import delivery_note_issue


class EventHandler(OscarEventHandler):
    def handle_order_status_change(self, order, new_status, note_msg=None):
        super().handle_order_status_change(order, new_status, note_msg)
        if new_status in settings.INVOICING_SHIPPED_STATUSES and order.company_id:
            delivery_note_issue(order=order)
