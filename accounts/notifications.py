"""Telling people of events by e-mail: the one way every notification is sent.

`Kind` is the registry of what a person may be told. `notify(...)` renders the kind's
subject and body (`accounts/email/notify/<kind>_subject.txt` and `<kind>.txt`) for
each recipient in their `User.language`, adds the absolute link to the page
(`SHOP_BASE_URL` + `path`) and hands the mail to `core.mail.mail_enqueue` under the
key `"<key>:<user id>"`, so it is sent by the worker after the commit, once per
person and event. Inactive people, people without an address and people who switched
the kind off on their profile (`User.notifications_off`) are skipped; the kinds in
`ALWAYS_SENT` cannot be switched off. `notify_address` mails one address that is no
account (an invitee, a company's general e-mail); `notify_after_commit` defers the
rendering to the commit, so a failing template never undoes the event.

Every template gets `user` (the recipient; None for an address), `name` (how to
greet them), `url` (the link), `profile_url` (where the kinds are switched off; for
people only) and `shop_name`, plus the caller's context:

- `order_placed`, `order_shipped`: `order` (shipped: also `note`, the delivery note,
  and `note_url`, its PDF).
- `invoice_issued`: `invoice`; `invoice_overdue`: `company`, `invoices`.
- `approval_needed`, `requisition_approved`, `requisition_rejected`,
  `changes_requested`: `requisition` (with `.number`, `.total_incl_tax` (Decimal),
  `.currency`, `.company`, `.created_by`, `.status_label`), `actor` (the name of who
  acted) and `reason` (their text, or empty).
- `invitation`: `invitation`, `inviter` (a name), `days` (how long the link works).
- `reservation_expiring`, `reservation_expired`: `reservation` (with `.number`,
  `.expires_at`, `.total_incl_tax`, `.currency`, `.invoice`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from core.mail import mail_enqueue

TEMPLATE_DIR = "accounts/email/notify"


class Kind(models.TextChoices):
    ORDER_PLACED = "order_placed", _("Order placed")
    APPROVAL_NEEDED = "approval_needed", _("Requisition awaiting my approval")
    REQUISITION_APPROVED = "requisition_approved", _("Requisition approved")
    REQUISITION_REJECTED = "requisition_rejected", _("Requisition rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested to a requisition")
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    ORDER_SHIPPED = "order_shipped", _("Order shipped")
    INVOICE_OVERDUE = "invoice_overdue", _("Invoice overdue")
    INVITATION = "invitation", _("Invitation to a company")
    RESERVATION_EXPIRING = "reservation_expiring", _("Reservation ends tomorrow")
    RESERVATION_EXPIRED = "reservation_expired", _("Reservation expired")


# Who is told of what, as the profile page explains it.
KIND_HELP = {
    Kind.ORDER_PLACED: _(
        "An order you placed is accepted (account managers: any order of their "
        "companies)."
    ),
    Kind.APPROVAL_NEEDED: _("A colleague's requisition waits for your approval."),
    Kind.REQUISITION_APPROVED: _("Your requisition was approved."),
    Kind.REQUISITION_REJECTED: _("Your requisition was rejected."),
    Kind.CHANGES_REQUESTED: _("An approver asks you to change your requisition."),
    Kind.INVOICE_ISSUED: _("An invoice to your company is issued (accountants)."),
    Kind.ORDER_SHIPPED: _("An order you placed has shipped, with its delivery note."),
    Kind.INVOICE_OVERDUE: _(
        "Invoices of your company are past their due date (accountants)."
    ),
    Kind.RESERVATION_EXPIRING: _("Goods you reserved are held one more day."),
    Kind.RESERVATION_EXPIRED: _(
        "Your reservation ended unpaid: the goods went back to stock."
    ),
}

# Sent to people who have no say in it yet (an invitee has no account settings).
ALWAYS_SENT = frozenset({Kind.INVITATION})


def kinds_switchable() -> list[Kind]:
    return [kind for kind in Kind if kind not in ALWAYS_SENT]


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def absolute_url(path: str, base_url: str | None = None) -> str:
    """`path` on the site (`SHOP_BASE_URL` unless `base_url` is given)."""
    base = (base_url or settings.SHOP_BASE_URL).rstrip("/")
    return base + path if path.startswith("/") else path


def notification_render(
    *, kind: str, language: str, context: dict, url: str
) -> Message:
    """The subject (one line) and body of `kind` in `language`."""
    kind = Kind(kind)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    context = {"shop_name": settings.OSCAR_SHOP_NAME, **context, "url": url}
    with translation.override(language):
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind.value}_subject.txt", context)
        body = render_to_string(f"{TEMPLATE_DIR}/{kind.value}.txt", context)
    # One line (a header); a no-break space in an amount stays.
    subject = re.sub(r"[ \t\r\n]+", " ", subject).strip()
    return Message(subject=subject, body=body.strip() + "\n")


def notification_wanted(user: User, kind: str) -> bool:
    """Whether `user` is told of `kind`: active, with an address, not switched off."""
    if not user.is_active or not user.email:
        return False
    return kind in ALWAYS_SENT or kind not in (user.notifications_off or [])


def notify(
    *,
    kind: str,
    users: Iterable[User],
    context: dict,
    path: str,
    key: str,
    base_url: str | None = None,
) -> list[str]:
    """Mail `kind` to each of `users` who wants it (once per person, in their
    language); `key` names the event. Returns the keys of the mails enqueued."""
    kind = Kind(kind)
    url = absolute_url(path, base_url)
    profile_url = absolute_url(reverse("cabinet:profile"), base_url)
    sent, seen = [], set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if not notification_wanted(user, kind):
            continue
        message = notification_render(
            kind=kind,
            language=user.language,
            context={
                **context,
                "user": user,
                "name": user.get_full_name() or user.email,
                "profile_url": profile_url,
            },
            url=url,
        )
        mail_key = mail_enqueue(
            key=f"{key}:{user.pk}",
            subject=message.subject,
            body=message.body,
            to=[user.email],
        )
        if mail_key:
            sent.append(mail_key)
    return sent


def notify_address(
    *,
    kind: str,
    email: str,
    language: str,
    context: dict,
    path: str,
    key: str,
    base_url: str | None = None,
) -> str | None:
    """Mail `kind` to an address that is not a person's account; `key` names the
    event and this address (used as it is)."""
    message = notification_render(
        kind=kind,
        language=language,
        context={**context, "user": None, "name": ""},
        url=absolute_url(path, base_url),
    )
    return mail_enqueue(key=key, subject=message.subject, body=message.body, to=[email])


def notify_after_commit(**kwargs) -> None:
    """`notify(**kwargs)` once the current transaction commits (at once outside
    one). `users` may be a lazy queryset: it is read after the commit. A failure is
    logged, never raised into the request whose change went through."""
    transaction.on_commit(lambda: notify(**kwargs), robust=True)


def company_members(*, company_id: int, roles=(), user_ids=()):
    """The people acting for the company (active membership), optionally only in
    `roles` or among `user_ids`; a lazy queryset of users."""
    memberships = Membership.objects.active().filter(company_id=company_id)
    if roles:
        memberships = memberships.filter(role__in=roles)
    if user_ids:
        memberships = memberships.filter(user_id__in=[u for u in user_ids if u])
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("pk")


def notifications_switch(*, user: User, off: Iterable[str]) -> User:
    """Store which kinds `user` does not want; unknown kinds and kinds that cannot
    be switched off are refused with `ValueError` and nothing changes."""
    chosen = set(off)
    allowed = {kind.value for kind in kinds_switchable()}
    if not chosen <= allowed:
        raise ValueError(f"not switchable: {sorted(chosen - allowed)}")
    user.notifications_off = sorted(chosen)
    user.save(update_fields=["notifications_off"])
    return user
