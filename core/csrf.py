"""HTML kept in a cache for more than one reader, with CSRF token fields in it: a
token is stored as a placeholder and each reader gets their own on the way out.

A stored token would be a masked form of the secret of the person whose request
rendered it; given to someone else it either fails their form or, worse, hands out
that person's secret. `csrf_fields_strip` before storing, `csrf_fields_fill` on
every answer (the first one included), so no stored HTML carries a usable token.
"""

import re

from django.middleware.csrf import get_token

PLACEHOLDER = b"\x00csrf-token\x00"
TOKEN_FIELD = re.compile(
    rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(">)'
)


def csrf_fields_strip(content: bytes) -> bytes:
    """Every token field's value replaced by the placeholder."""
    return TOKEN_FIELD.sub(rb"\1" + PLACEHOLDER + rb"\2", content)


def csrf_fields_fill(request, content: bytes) -> bytes:
    """The placeholders replaced by the reader's own token (`get_token`, which also
    makes CsrfViewMiddleware set the cookie of a reader who has none)."""
    if PLACEHOLDER not in content:
        return content
    return content.replace(PLACEHOLDER, get_token(request).encode())
