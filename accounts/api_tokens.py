"""API tokens, run by a company's administrators from the cabinet: create (named,
scoped, acting as one active member of the company), list and revoke.

Every service takes the acting membership and checks `manage_team` first; the token
or member it touches is fetched through the actor's company, so another company's
id is never found. The key exists in clear only in `api_token_create`'s return
value (the page shows it once); the database keeps its SHA-256 and first 8
characters. Creations and revocations are recorded as `TeamEvent`s."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ApiScope,
    ApiToken,
    Membership,
    TeamEvent,
    membership_require,
)

ACTIVE_TOKENS_MAX = 20


class ApiTokenError(ValidationError):
    """A token change that cannot be made; the message says why and is safe to show."""


def api_tokens_for_company(*, membership: Membership):
    """The company's tokens, active first, newest first (with who they act as)."""
    membership_require(membership, "manage_team")
    return (
        ApiToken.objects.filter(company=membership.company)
        .select_related("user", "created_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def api_token_create(
    *, membership: Membership, name: str, member_id: int, scopes
) -> tuple[ApiToken, str]:
    """A new token for the company acting as the active member `member_id`, and its
    key. `read` is always granted: a token that may order may see what it ordered."""
    membership_require(membership, "manage_team")
    name = (name or "").strip()
    if not name or len(name) > 64 or "\x00" in name:
        raise ApiTokenError(_("Give the token a name of up to 64 characters."))
    wanted = set(scopes or ())
    if not wanted <= set(ApiScope.values):
        raise ApiTokenError(_("Choose the token's scopes from the list."))
    wanted.add(ApiScope.READ)
    acting = (
        Membership.objects.active()
        .filter(company=membership.company, pk=member_id)
        .select_related("user")
        .first()
    )
    if acting is None:
        raise ApiTokenError(_("Choose an active member of your company."))
    with transaction.atomic():
        active = (
            ApiToken.objects.select_for_update()
            .filter(company=membership.company, revoked_at__isnull=True)
            .count()
        )
        if active >= ACTIVE_TOKENS_MAX:
            raise ApiTokenError(
                _("Your company has %(n)s active tokens: revoke one first.")
                % {"n": active}
            )
        token, key = ApiToken.issue(
            user=acting.user,
            company=membership.company,
            name=name,
            scopes=wanted,
            created_by=membership.user,
        )
        TeamEvent.objects.create(
            company=membership.company,
            actor=membership.user,
            action=TeamEvent.Action.TOKEN_CREATED,
            subject=f"{token.name} ({token.prefix}…)",
            after=token.scopes,
        )
    return token, key


def api_token_revoke(*, membership: Membership, pk: int) -> ApiToken:
    """Revoke the company's token `pk` (at once: the next request with it is a 401).
    Another company's token is `ApiToken.DoesNotExist`; revoking twice changes
    nothing."""
    membership_require(membership, "manage_team")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(
            company=membership.company, pk=pk
        )
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            TeamEvent.objects.create(
                company=membership.company,
                actor=membership.user,
                action=TeamEvent.Action.TOKEN_REVOKED,
                subject=f"{token.name} ({token.prefix}…)",
            )
    return token
