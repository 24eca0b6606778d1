"""The client's IP address behind the load balancer: `X-Forwarded-For` is believed
only when the request comes from a proxy listed in SHOP_TRUSTED_PROXIES."""

import ipaddress
from functools import lru_cache

from django.conf import settings

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _address(value: str) -> _Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: _Address, networks: tuple[_Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """REMOTE_ADDR, unless it is a trusted proxy: then the right-most address of
    `X-Forwarded-For` that is not a trusted proxy (the balancer appends the address
    it saw; whatever a client wrote further left is not believed)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.SHOP_TRUSTED_PROXIES))
    address = _address(remote)
    if address is None or not networks or not _trusted(address, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            break  # garbage: stop at the last address a trusted proxy vouched for
        if not _trusted(hop_address, networks):
            return str(hop_address)
        address = hop_address
    return str(address)
