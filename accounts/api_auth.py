"""API authentication: a session, or an `Authorization: Token <key>` header.

`accounts.middleware.ActiveCompanyMiddleware` calls `api_authenticate(request)` for
requests under the API prefix. With a valid token it makes the token's user,
membership and company the request's, before Oscar's basket middleware selects the
pricing strategy, so the answer is priced for the token's company.

Wrong tokens are counted per client address (`accounts.lockout`): past the limit,
every token from that address is refused (429) until the window ends. Each token
may make SHOP_API_RATE_PER_TOKEN requests (a fixed window): past it, 429 with
Retry-After; `request.api_rate` carries the count for the X-RateLimit-* headers."""

import math

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.lockout import (
    api_token_failure_count,
    api_token_rate_count,
    api_token_wait,
)
from accounts.models import ApiToken, Company, Membership, api_token_hash


class ApiAuthError(Exception):
    """The request carried a token that is not valid (the view answers 401)."""


class ApiAuthThrottled(ApiAuthError):
    """Too many wrong tokens from the client's address, or too many requests of one
    token (the view answers 429)."""

    def __init__(self, seconds: int, message: str | None = None):
        self.seconds = seconds
        minutes = max(1, math.ceil(seconds / 60))
        if message is not None:
            super().__init__(message)
            return
        super().__init__(
            ngettext(
                "Too many invalid API tokens from your address. "
                "Try again in %(minutes)s minute.",
                "Too many invalid API tokens from your address. "
                "Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )


def api_authenticate(request) -> bool:
    """True when a token made its user the request's; False for a session (or an
    anonymous caller), as the middleware set it."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return False
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "token" or not key.strip():
        raise ApiAuthError("Use the header 'Authorization: Token <key>'.")
    wait = api_token_wait(request)
    if wait is not None:
        raise ApiAuthThrottled(wait)
    token = (
        ApiToken.objects.select_related("user", "company")
        .filter(key_hash=api_token_hash(key.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        api_token_failure_count(request)  # guessing: only unknown keys count
        raise ApiAuthError(gettext("Invalid or revoked API token."))
    if not token.user.is_active:
        raise ApiAuthError(gettext("Invalid or revoked API token."))
    membership = (
        Membership.objects.active()
        .filter(user=token.user, company=token.company)
        .exclude(company__status=Company.Status.BLOCKED)
        .select_related("company")
        .first()
    )
    if membership is None:
        raise ApiAuthError("The token's user is no longer a member of its company.")
    rate = api_token_rate_count(request, token_hash=token.key_hash)
    if rate is not None and rate.exceeded:
        raise ApiAuthThrottled(
            rate.reset_seconds,
            ngettext(
                "This API token made more than %(limit)s requests in its window. "
                "Try again in %(seconds)s second.",
                "This API token made more than %(limit)s requests in its window. "
                "Try again in %(seconds)s seconds.",
                rate.reset_seconds,
            )
            % {"limit": rate.limit, "seconds": rate.reset_seconds},
        )
    request.api_rate = rate
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    request.user = token.user
    request.membership = membership
    request.company = membership.company
    request.api_scopes = token.scope_set  # `core.api.ApiCaller` checks them
    return True
