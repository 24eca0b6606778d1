"""Reservations' answer to invoicing: a paid prepayment invoice converts its
reservation into an order, by a background task (invoicing must not know
reservations; its `invoice_paid` signal is the seam, sent after the commit)."""

from django.dispatch import receiver

from core.tasks import enqueue_on_commit
from invoicing.signals import invoice_paid
from sales.reservations.models import Reservation, ReservationStatus
from sales.reservations.tasks import reservation_convert_paid_task


@receiver(invoice_paid, dispatch_uid="reservations.convert_on_paid")
def convert_on_paid(sender, invoice_id: int, **kwargs):
    waiting = Reservation.objects.filter(
        invoice_id=invoice_id, status=ReservationStatus.ACTIVE
    ).exists()
    if waiting:
        enqueue_on_commit(reservation_convert_paid_task, invoice_id=invoice_id)
