"""Idempotency keys for the API's POSTs that create (an order, a reservation, a list):
a client that did not hear the answer sends the same request again with the same
`Idempotency-Key` header and gets the first answer, not a second order.

The semantics are Stripe's and the IETF draft's ("The Idempotency-Key HTTP Header
Field"): the key is the caller's (one user's key never meets another's), it is kept
`SHOP_API_IDEMPOTENCY_HOURS`; a repeat while the first request still runs is a 409;
the same key with another method, path or body is a 422. Only a success is kept: a
refused request (4xx) created nothing, so its key is free again for the corrected
request — a client never has to invent a new key to retry after fixing its input."""

import functools
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api import api_error
from core.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY_MAX = 255
# A first request that has not finished after this long died with its process: the
# key may be claimed again (what it created, if anything, the endpoint finds itself:
# a placed basket is no longer open).
ABANDONED_AFTER = timedelta(minutes=5)

OPENAPI_HEADER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (up to 255 printable ASCII characters). A repeat with the "
        "same key returns the first answer with the header `Idempotent-Replayed: "
        "true` instead of creating again; only successes are kept, for "
        "SHOP_API_IDEMPOTENCY_HOURS."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
}


def _key_valid(key: str) -> bool:
    return 0 < len(key) <= KEY_MAX and all(32 <= ord(c) < 127 for c in key)


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(part)
        digest.update(b"\x00")
    return digest.hexdigest()


def _claim(*, user, key: str, fingerprint: str) -> tuple[IdempotentRequest, bool]:
    """(the key's record, True when this request claimed it and must run)."""
    now = timezone.now()
    kept = timedelta(hours=settings.SHOP_API_IDEMPOTENCY_HOURS)
    # Expired answers and abandoned claims free their key.
    IdempotentRequest.objects.filter(user=user, key=key).filter(
        created_at__lt=now - kept
    ).delete()
    IdempotentRequest.objects.filter(
        user=user,
        key=key,
        status_code__isnull=True,
        created_at__lt=now - ABANDONED_AFTER,
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=fingerprint, created_at=now
            )
        return record, True
    except IntegrityError:
        record = IdempotentRequest.objects.filter(user=user, key=key).first()
        if record is None:  # released between our insert and our read: run
            return _claim(user=user, key=key, fingerprint=fingerprint)
        return record, False


def _answer_again(record: IdempotentRequest, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return api_error(
            _(
                "This Idempotency-Key was used with another request; send a new "
                "key for a new request."
            ),
            422,
        )
    if record.status_code is None:
        response = api_error(
            _("A request with this Idempotency-Key is still running; try again."),
            409,
        )
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(
        record.body, status=record.status_code, content_type=record.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap a ninja operation that creates: honour the request's Idempotency-Key."""

    @functools.wraps(view)
    def run(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not _key_valid(key):
            return api_error(
                _("Idempotency-Key must be 1 to 255 printable ASCII characters."), 400
            )
        fingerprint = _fingerprint(request)
        record, claimed = _claim(user=request.user, key=key, fingerprint=fingerprint)
        if not claimed:
            return _answer_again(record, fingerprint)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            IdempotentRequest.objects.filter(pk=record.pk).update(
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content.decode(response.charset or "utf-8"),
            )
        else:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
        return response

    return run


def idempotent_requests_purge() -> int:
    """Forget the answers older than SHOP_API_IDEMPOTENCY_HOURS; how many."""
    cutoff = timezone.now() - timedelta(hours=settings.SHOP_API_IDEMPOTENCY_HOURS)
    deleted, _by_model = IdempotentRequest.objects.filter(
        created_at__lt=cutoff
    ).delete()
    return deleted
