"""Where a webhook may be sent: https only (http with `DEBUG` or
`WEBHOOKS_ALLOW_HTTP`), no credentials in the URL, and a host that resolves to
public addresses only — private, loopback, link-local, shared and reserved ranges are
refused (`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES` lifts that for tests against 127.0.0.1).
The check runs when an endpoint is saved and again for every attempt, on the address
the request then connects to, so a host re-pointed at an internal address later
is refused too."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

URL_MAX_LENGTH = 2000


class WebhookUrlError(ValidationError):
    """An endpoint URL the shop will not call; the message says why."""


def _http_allowed() -> bool:
    return settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_HTTP", False)


def _private_allowed() -> bool:
    return getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def webhook_url_check(url: str) -> str:
    """The URL, stripped, if the shop may call it; `WebhookUrlError` otherwise."""
    url = (url or "").strip()
    if not url:
        raise WebhookUrlError(_("Enter the endpoint's URL."))
    if len(url) > URL_MAX_LENGTH:
        raise WebhookUrlError(
            _("The URL is too long (at most %(max)d characters).")
            % {"max": URL_MAX_LENGTH}
        )
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        raise WebhookUrlError(_("The URL contains spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookUrlError(_("Enter a valid URL.")) from exc
    schemes = ("https", "http") if _http_allowed() else ("https",)
    if parts.scheme.lower() not in schemes:
        raise WebhookUrlError(_("The URL must start with https://."))
    if not parts.hostname:
        raise WebhookUrlError(_("Enter a valid URL."))
    if parts.username or parts.password:
        raise WebhookUrlError(_("The URL must not contain a user name or password."))
    address_resolve(parts.hostname, port or 443)
    return url


def address_resolve(host: str, port: int) -> str:
    """The address to connect to for `host`: every address it resolves to must be
    public (unless private ones are allowed), so no answer reaches the inside."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise WebhookUrlError(
            _("The host %(host)s could not be resolved.") % {"host": host}
        ) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise WebhookUrlError(
            _("The host %(host)s could not be resolved.") % {"host": host}
        )
    if not _private_allowed() and not all(map(address_is_public, addresses)):
        raise WebhookUrlError(
            _("The host %(host)s is a private or local address; use a public one.")
            % {"host": host}
        )
    return addresses[0]
