"""Telling the buyer of a reservation's end: the day before, and when it expired
(`accounts.notifications`, once per person and event by the mail key)."""

from django.urls import reverse

from accounts.notifications import Kind, company_members, notify_after_commit


def _tell(kind: str, reservation, key: str) -> None:
    notify_after_commit(
        kind=kind,
        users=company_members(
            company_id=reservation.company_id, user_ids=[reservation.created_by_id]
        ),
        context={"reservation": reservation},
        path=reverse("cabinet:reservation-detail", args=[reservation.number]),
        key=key,
    )


def tell_expiring(reservation) -> None:
    _tell(
        Kind.RESERVATION_EXPIRING,
        reservation,
        f"reservations.expiring:{reservation.pk}:{reservation.expires_at.isoformat()}",
    )


def tell_expired(reservation) -> None:
    _tell(
        Kind.RESERVATION_EXPIRED, reservation, f"reservations.expired:{reservation.pk}"
    )
