"""Login throttling: who a login attempt is for django-axes (the e-mail in lower case,
from the client's address as `core.client_ip` sees it), the page a locked-out person
gets, lifting a person's lockouts, and the counters of password-reset requests,
wrong API tokens and each token's requests (django-ratelimit, fixed windows in the
default cache)."""

import ipaddress
import logging
import math
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

from core.client_ip import client_ip

logger = logging.getLogger(__name__)

# The login forms' e-mail fields: Oscar's (prefixed "login"), Django's and Wagtail's.
_USERNAME_FIELDS = ("login-username", "username", "email")


def email_normalize(value) -> str:
    """One counter per account: Oscar's e-mail backend matches addresses ignoring case."""
    return str(value or "").strip().lower()


def attempt_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the e-mail the attempt was for."""
    if credentials:
        field = str(settings.AXES_USERNAME_FORM_FIELD)
        return email_normalize(credentials.get(field) or credentials.get("username"))
    data = getattr(request, "POST", {})
    return email_normalize(next((data[f] for f in _USERNAME_FIELDS if f in data), ""))


def attempt_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE and the counters' key: the client's address; an IPv6
    one by its /64, what one line or host usually holds (a host rotating through its
    own addresses is still one client)."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip


def _wait_minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def lockout_minutes_left(*, username: str, address: str) -> int:
    """Minutes until the e-mail may sign in from the address again."""
    last = AccessAttempt.objects.filter(
        username=username, ip_address=address
    ).aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off()
    if last is None or cool_off is None:
        return _wait_minutes(cool_off.total_seconds() if cool_off else 60)
    return _wait_minutes((last + cool_off - timezone.now()).total_seconds())


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the locked-out page, in the site's layout, with 429."""
    minutes = lockout_minutes_left(
        username=attempt_username(request, credentials),
        address=attempt_address(request),
    )
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def login_lockouts_clear(*, email: str) -> int:
    """Forget the account's failed logins from every address (a password reset: the
    person proved they own the e-mail); the number of records removed."""
    return axes_reset(username=email_normalize(email))


# -- counters (django-ratelimit) ----------------------------------------------


def _usage(request, *, group: str, key: str, rate: str, increment: bool):
    try:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request: key,
            rate=rate,
            increment=increment,
        )
    except Exception:  # noqa: BLE001 — any cache backend's error: Redis down, a full disk
        usage = None
    if usage is not None and usage["time_left"] < 0:
        usage = None  # the counter could not be read or written
    if usage is None:
        # Fail open: an outage of the cache must not keep every customer out.
        logger.warning("%s not counted: the rate-limit cache failed", group)
    return usage


def _over(request, *, group: str, key: str, rate: str) -> int | None:
    """Count one request; the seconds until the window ends when over the limit."""
    usage = _usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def password_reset_limit_hit(request, *, email: str) -> int | None:
    """Count a password-reset request against the client address's limit and, when
    that passes, the e-mail's; the minutes to wait when one is exceeded."""
    wait = _over(
        request,
        group="accounts.password_reset.address",
        key=attempt_address(request),
        rate=settings.SHOP_PASSWORD_RESET_RATE_PER_IP,
    )
    if wait is None:
        wait = _over(
            request,
            group="accounts.password_reset.email",
            key=email_normalize(email),
            rate=settings.SHOP_PASSWORD_RESET_RATE_PER_EMAIL,
        )
    return None if wait is None else _wait_minutes(wait)


_TOKEN_GROUP = "accounts.api_token.failures"


def api_token_wait(request) -> int | None:
    """Seconds until the client address may present API tokens again, when its wrong
    tokens reached the limit (nothing is counted)."""
    rate = settings.SHOP_API_TOKEN_FAILURES_PER_IP
    usage = _usage(
        request,
        group=_TOKEN_GROUP,
        key=attempt_address(request),
        rate=rate,
        increment=False,
    )
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(usage["time_left"], 1)


def api_token_failure_count(request) -> None:
    """Count one wrong API token from the client address."""
    _usage(
        request,
        group=_TOKEN_GROUP,
        key=attempt_address(request),
        rate=settings.SHOP_API_TOKEN_FAILURES_PER_IP,
        increment=True,
    )


_TOKEN_RATE_GROUP = "accounts.api_token.requests"


@dataclass(frozen=True)
class RateUsage:
    limit: int
    remaining: int
    reset_seconds: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0


def api_token_rate_count(request, *, token_hash: str) -> RateUsage | None:
    """Count one request of the API token against SHOP_API_RATE_PER_TOKEN; None when
    the cache could not count (the request goes on: fail open)."""
    usage = _usage(
        request,
        group=_TOKEN_RATE_GROUP,
        key=token_hash,
        rate=settings.SHOP_API_RATE_PER_TOKEN,
        increment=True,
    )
    if usage is None:
        return None
    return RateUsage(
        limit=usage["limit"],
        remaining=usage["limit"] - usage["count"],
        reset_seconds=max(usage["time_left"], 1),
    )
