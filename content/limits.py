"""How often the short request form may be sent: per client IP and per e-mail or
phone (django-ratelimit counters in the default cache, fixed windows)."""

import ipaddress
import logging
import math

from django.conf import settings
from django_ratelimit.core import get_usage

from core.client_ip import client_ip

logger = logging.getLogger(__name__)

# Counted why, so the refusal says which limit was hit.
BY_ADDRESS = "address"
BY_CONTACT = "contact"


def _address_key(group, request) -> str:
    """The client's address; IPv6 by its /64, what one line or host usually holds."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip


def _count(request, *, group: str, key, rate: str) -> int | None:
    """Count one submission; the seconds until the window ends when over the limit."""
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    except Exception:  # noqa: BLE001 — any cache backend's error: Redis down, a full disk
        # Fail open: a lead lost to an outage is worse than a spam one let through.
        logger.warning("lead not counted: the rate-limit cache failed", exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 0)


def lead_limit_hit(request, *, contact: str = "") -> tuple[str, int] | None:
    """Count a submission against both limits (the contact's only when the address
    passes); (which limit, seconds to wait) when one is exceeded."""
    wait = _count(
        request,
        group="content.lead.address",
        key=_address_key,
        rate=settings.SHOP_LEAD_RATE_PER_IP,
    )
    if wait is not None:
        return BY_ADDRESS, wait
    if contact:
        wait = _count(
            request,
            group="content.lead.contact",
            key=lambda group, request: contact.lower(),
            rate=settings.SHOP_LEAD_RATE_PER_CONTACT,
        )
        if wait is not None:
            return BY_CONTACT, wait
    return None


def wait_minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
