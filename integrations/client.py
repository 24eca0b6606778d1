"""The one module that calls customers' endpoints: a JSON POST, signed, with a short
timeout, to the address checked by `integrations.addresses` (the connection goes
to that address, not to a second look-up), redirects not followed, and at most
`WEBHOOKS_RESPONSE_BYTES` of the answer read."""

import hashlib
import hmac
import http.client
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from integrations.addresses import address_resolve

USER_AGENT = "Shop-Webhooks/1.0"


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>` with the secret."""
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def webhook_post(*, url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`; raises `WebhookUrlError` for a refused address and
    `OSError` / `http.client.HTTPException` for a network failure."""
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    address = address_resolve(parts.hostname, port)
    connection_class = _PinnedHTTPS if https else _PinnedHTTP
    connection = connection_class(
        parts.hostname, port, address=address, timeout=settings.WEBHOOKS_TIMEOUT
    )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        limit = settings.WEBHOOKS_RESPONSE_BYTES
        text = response.read(limit).decode("utf-8", "replace")
        return Answer(status=response.status, body=text[:limit])
    finally:
        connection.close()
