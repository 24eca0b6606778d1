"""Background tasks of reservations (django-tasks, retried by `core.tasks`): the
conversion of a paid reservation into an order, and the hourly expiry run with its
reminders. Both are idempotent: a converted reservation is left as it is, an
expired one is not expired or mailed again, a reminder is recorded once per end."""

from django.utils import timezone

from core.tasks import background_task
from sales.reservations.services import (
    reservation_convert_paid,
    reservations_expire,
    reservations_remind,
)


@background_task()
def reservation_convert_paid_task(*, invoice_id: int) -> str:
    conversion = reservation_convert_paid(invoice_id=invoice_id)
    if conversion is None:
        return ""
    return conversion.reservation.order.number


@background_task()
def reservations_expire_task() -> dict:
    now = timezone.now()
    reminded = reservations_remind(now=now)
    expired = reservations_expire(now=now)
    return {"reminded": len(reminded), "expired": len(expired)}
