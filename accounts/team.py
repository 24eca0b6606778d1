"""A company's team, run by its administrators: invitations by e-mail, roles,
spending limits, deactivation, and the record of every change (`TeamEvent`).

Every service takes the acting membership and checks `manage_team` first; the member
or invitation it changes is fetched through the actor's company, so another
company's id is never found. The company always keeps one active administrator:
the check runs under a lock on the company's administrators, so two admins demoting
each other at once cannot leave it with none.

An invitation link is `<key>:<timestamp>:<signature>` (Django's `TimestampSigner`):
a forged or altered link fails the signature before any query, an old one fails
its age, and the key's hash must match an invitation still open. Accepting it
marks it used in the same transaction that adds the membership."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import (
    Company,
    Invitation,
    Membership,
    Role,
    TeamEvent,
    User,
    membership_require,
)
from accounts.notifications import Kind, notify_address

INVITATION_DAYS = 7
_SALT = "accounts.invitation"


class TeamError(ValidationError):
    """A team change that cannot be made; the message says why and is safe to show."""


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return reverse("accounts:invitation", kwargs={"token": self.token})


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key(invitation: Invitation) -> str:
    """A fresh key for `invitation` (stored as its hash) and the signed token."""
    key = secrets.token_urlsafe(24)
    invitation.key_hash = _key_hash(key)
    return signing.TimestampSigner(salt=_SALT).sign(key)


def _event(actor_membership, action, subject, before="", after="") -> None:
    TeamEvent.objects.create(
        company_id=actor_membership.company_id,
        actor_id=actor_membership.user_id,
        action=action,
        subject=subject,
        before=str(before)[:200],
        after=str(after)[:200],
    )


def _mail_invitation(link: InvitationLink, *, inviter: User, base_url: str) -> None:
    """In the language the inviter works in (the invitee has no settings yet)."""
    invitation = link.invitation
    notify_address(
        kind=Kind.INVITATION,
        email=invitation.email,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        context={
            "invitation": invitation,
            "inviter": inviter.get_full_name() or inviter.email,
            "days": INVITATION_DAYS,
        },
        path=link.path,
        key=f"accounts.invitation:{invitation.key_hash}",
        base_url=base_url,
    )


def _role(value: str) -> str:
    if value not in Role.values:
        raise TeamError(_("Choose one of the roles."))
    return value


# -- invitations -----------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, membership: Membership, email: str, role: str, base_url: str
) -> InvitationLink:
    """Invite `email` to the actor's company in `role` and mail the link. A person
    may belong to several companies; a current member or an open invitation of
    this company is refused (re-send that one instead)."""
    membership_require(membership, "manage_team")
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise TeamError(_("Enter a valid e-mail address.")) from None
    role = _role(role)
    company = membership.company
    if Membership.objects.active().filter(company=company, user__email__iexact=email):
        raise TeamError(_("%(email)s is already in the team.") % {"email": email})
    invitation = Invitation(
        company=company,
        email=email,
        role=role,
        invited_by=membership.user,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    token = _new_key(invitation)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise TeamError(
            _("%(email)s is already invited: re-send or revoke that invitation.")
            % {"email": email}
        ) from None
    _event(membership, TeamEvent.Action.INVITED, email, after=role)
    link = InvitationLink(invitation, token)
    _mail_invitation(link, inviter=membership.user, base_url=base_url)
    return link


def _open_invitation(membership: Membership, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            company=membership.company,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise TeamError(_("This invitation is no longer open."))
    return invitation


@transaction.atomic
def invitation_resend(
    *, membership: Membership, invitation_id: int, base_url: str
) -> InvitationLink:
    """A new link (the old one stops working), valid for another week, mailed again."""
    membership_require(membership, "manage_team")
    invitation = _open_invitation(membership, invitation_id)
    token = _new_key(invitation)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["key_hash", "sent_at", "expires_at"])
    _event(membership, TeamEvent.Action.INVITATION_RESENT, invitation.email)
    link = InvitationLink(invitation, token)
    _mail_invitation(link, inviter=membership.user, base_url=base_url)
    return link


@transaction.atomic
def invitation_revoke(*, membership: Membership, invitation_id: int) -> Invitation:
    membership_require(membership, "manage_team")
    invitation = _open_invitation(membership, invitation_id)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _event(membership, TeamEvent.Action.INVITATION_REVOKED, invitation.email)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The open invitation a link names; `TeamError` for a forged, altered, expired,
    used or revoked link."""
    try:
        key = signing.TimestampSigner(salt=_SALT).unsign(
            (token or "")[:200], max_age=timedelta(days=INVITATION_DAYS)
        )
    except signing.SignatureExpired:
        raise TeamError(_("This invitation has expired: ask for a new one.")) from None
    except signing.BadSignature:
        raise TeamError(_("This invitation link is not valid.")) from None
    invitation = (
        Invitation.objects.select_related("company", "invited_by")
        .filter(key_hash=_key_hash(key))
        .first()
    )
    if invitation is None:
        raise TeamError(_("This invitation link is not valid."))
    if invitation.status == Invitation.Status.ACCEPTED:
        raise TeamError(_("This invitation has been used already."))
    if invitation.status == Invitation.Status.REVOKED:
        raise TeamError(_("This invitation has been withdrawn."))
    if invitation.status == Invitation.Status.EXPIRED:
        raise TeamError(_("This invitation has expired: ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """`user` (whose e-mail the invitation names) joins the company in the invited
    role; a former member of it is reactivated. The link is used up."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise TeamError(_("This invitation has been used already."))
    if user.email.lower() != invitation.email.lower():
        raise TeamError(
            _("This invitation is for %(email)s: sign in with that address.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user,
        company=invitation.company,
        defaults={"role": invitation.role},
    )
    if not created:
        membership.role = invitation.role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    TeamEvent.objects.create(
        company=invitation.company,
        actor=user,
        action=TeamEvent.Action.JOINED,
        subject=user.email,
        after=invitation.role,
    )
    user.last_company = invitation.company
    user.save(update_fields=["last_company"])
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *, token: str, first_name: str, last_name: str, password: str
) -> Membership:
    """Create the invitee's account (the invitation's e-mail, this password) and
    join; `TeamError` when that e-mail has an account already (sign in instead)."""
    invitation = invitation_for_token(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise TeamError(
            _("%(email)s has an account already: sign in to join.")
            % {"email": invitation.email}
        )
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return invitation_accept(token=token, user=user)


# -- members ---------------------------------------------------------------------


def _member(membership: Membership, member_id: int) -> Membership:
    member = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(company=membership.company, pk=member_id)
        .first()
    )
    if member is None:
        raise TeamError(_("No such member in your company."))
    return member


def _keep_an_admin(company: Company, member: Membership) -> None:
    """Refuse when `member` is the company's only active administrator (the admins
    are locked, so two demotions at once cannot both pass)."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(company=company, role=Role.ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    if admins == [member.pk]:
        raise TeamError(
            _(
                "The company needs at least one active administrator: appoint another first."
            )
        )


@transaction.atomic
def member_role_change(
    *, membership: Membership, member_id: int, role: str
) -> Membership:
    membership_require(membership, "manage_team")
    role = _role(role)
    member = _member(membership, member_id)
    if member.role == role:
        return member
    if member.role == Role.ADMIN:
        _keep_an_admin(membership.company, member)
    before = member.role
    member.role = role
    member.save(update_fields=["role"])
    _event(
        membership,
        TeamEvent.Action.ROLE_CHANGED,
        member.user.email,
        before=before,
        after=role,
    )
    return member


def _limits_text(limits) -> str:
    """How `TeamEvent` stores a pair of limits: "per order|per month", "" for none."""
    return "|".join("" if value is None else f"{value:.2f}" for value in limits)


@transaction.atomic
def member_limits_set(
    *,
    membership: Membership,
    member_id: int,
    per_order: Decimal | None,
    per_month: Decimal | None,
) -> Membership:
    """What the member may spend without approval (None: no limit); limits are
    whole cents, zero or more."""
    membership_require(membership, "manage_team")
    for value in (per_order, per_month):
        if value is not None and (
            not isinstance(value, Decimal) or not value.is_finite() or value < 0
        ):
            raise TeamError(_("A limit is an amount of zero or more, or empty."))
    member = _member(membership, member_id)
    before = (member.spending_limit, member.monthly_limit)
    if before == (per_order, per_month):
        return member
    member.spending_limit, member.monthly_limit = per_order, per_month
    member.full_clean(exclude=["user", "company"])
    member.save(update_fields=["spending_limit", "monthly_limit"])
    _event(
        membership,
        TeamEvent.Action.LIMITS_CHANGED,
        member.user.email,
        before=_limits_text(before),
        after=_limits_text((per_order, per_month)),
    )
    return member


@transaction.atomic
def member_active_set(
    *, membership: Membership, member_id: int, active: bool
) -> Membership:
    """Deactivate (or bring back) a member. Their orders, lists and invoices stay
    with the company; they can no longer act for it."""
    membership_require(membership, "manage_team")
    member = _member(membership, member_id)
    if member.is_active == active:
        return member
    if not active and member.role == Role.ADMIN:
        _keep_an_admin(membership.company, member)
    member.is_active = active
    member.save(update_fields=["is_active"])
    _event(
        membership,
        TeamEvent.Action.REACTIVATED if active else TeamEvent.Action.DEACTIVATED,
        member.user.email,
    )
    return member
