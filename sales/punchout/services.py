"""The cXML punchout's steps: read the setup request off the wire, authenticate
its Sender like the OCI door (the credential's Identity is the user's login e-mail,
its SharedSecret the password, through the backends, so django-axes counts the
failures), issue the one-time start link, and redeem it in the buyer's browser."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.lockout import attempt_address, attempt_username, lockout_minutes_left
from accounts.selectors import membership_for_user
from sales.punchout.cxml import CxmlError, SetupRequest
from sales.punchout.models import PunchoutStartToken
from sales.punchout.session import CXML, PunchoutSession, punchout_session_open

BODY_MAX = 256 * 1024
CONTENT_TYPES = ("text/xml", "application/xml")
START_MINUTES = 5
# The start link logs in without a password: through the backend that checked it.
START_BACKEND = "oscar.apps.customer.auth_backends.EmailBackend"
TOKEN_MAX = 128


class StartRefused(Exception):
    """A start link that opens nothing: `status` 404 (unknown) or 403."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def cxml_body_read(request) -> bytes:
    """The request's cXML body: an XML content type and at most BODY_MAX bytes,
    refused before more than that is read."""
    if request.content_type not in CONTENT_TYPES:
        raise CxmlError(415, _("Send the cXML document as text/xml."))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise CxmlError(400, _("The Content-Length is not a number.")) from exc
    if declared > BODY_MAX:
        raise CxmlError(413, _("The cXML document is larger than 256 KiB."))
    body = request.read(BODY_MAX + 1)
    if len(body) > BODY_MAX:
        raise CxmlError(413, _("The cXML document is larger than 256 KiB."))
    if not body.strip():
        raise CxmlError(400, _("The request has no cXML document."))
    return body


def _sender_user(request, setup: SetupRequest):
    identity, secret = setup.sender.identity[:254], setup.sender.secret[:256]
    if not identity or not secret:
        raise CxmlError(
            401, _("The Sender credential needs an Identity and a SharedSecret.")
        )
    user = authenticate(request, username=identity, password=secret)
    if getattr(request, "axes_locked_out", False):
        minutes = lockout_minutes_left(
            username=attempt_username(request, {"username": identity}),
            address=attempt_address(request),
        )
        raise CxmlError(
            429,
            ngettext(
                "Too many wrong passwords: try again in %(minutes)d minute.",
                "Too many wrong passwords: try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after=minutes * 60,
        )
    if user is None or not user.is_active:
        raise CxmlError(401, _("The Sender's Identity or SharedSecret is wrong."))
    return user


def cxml_setup_start(request, *, setup: SetupRequest) -> str:
    """Authenticate the setup request's Sender, require a member who may order
    for an approved company, and store a start link for them; the raw token (only
    its hash is kept). Nothing is stored when anything is wrong."""
    user = _sender_user(request, setup)
    membership = membership_for_user(user=user, company_id=None)
    if membership is None or not membership.allows("order"):
        raise CxmlError(
            403, _("This user may not order for an approved company in the shop.")
        )
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Links are worth nothing after they expire; a day is kept for the record.
        PunchoutStartToken.objects.filter(
            expires_at__lt=now - timedelta(days=1)
        ).delete()
        PunchoutStartToken.objects.create(
            token_hash=token_digest(raw),
            user=user,
            company_id=membership.company_id,
            operation=setup.operation,
            browser_form_post_url=setup.browser_form_post_url,
            buyer_cookie=setup.buyer_cookie,
            buyer_domain=setup.buyer.domain,
            buyer_identity=setup.buyer.identity,
            supplier_domain=setup.supplier.domain,
            supplier_identity=setup.supplier.identity,
            language=setup.language,
            payload_id=setup.payload_id,
            contact_email=setup.contact_email,
            extrinsics=[list(pair) for pair in setup.extrinsics],
            created_at=now,
            expires_at=now + timedelta(minutes=START_MINUTES),
        )
    return raw


def _token_take(raw: str) -> PunchoutStartToken:
    """The link's row, marked used by a conditional update: of two browsers
    opening it at once, one gets in."""
    if not raw or len(raw) > TOKEN_MAX:
        raise StartRefused(404, _("This start link is unknown."))
    digest = token_digest(raw)
    token = (
        PunchoutStartToken.objects.select_related("user", "company")
        .filter(token_hash=digest)
        .first()
    )
    if token is None:
        raise StartRefused(404, _("This start link is unknown."))
    now = timezone.now()
    taken = PunchoutStartToken.objects.filter(
        pk=token.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not taken:
        raise StartRefused(
            403,
            _(
                "This start link has expired or was used already: start again "
                "from your procurement system."
            ),
        )
    return token


def cxml_start_redeem(request, *, raw: str) -> PunchoutSession:
    """Open the punchout of a start link: once, within START_MINUTES, and only
    while its user may still order for its company."""
    token = _token_take(raw)
    user = token.user
    membership = membership_for_user(user=user, company_id=token.company_id)
    if (
        not user.is_active
        or membership is None
        or membership.company_id != token.company_id
        or not membership.allows("order")
    ):
        raise StartRefused(
            403, _("This user may not order for an approved company in the shop.")
        )
    session = PunchoutSession(
        kind=CXML,
        return_url=token.browser_form_post_url,
        company_id=token.company_id,
        buyer_cookie=token.buyer_cookie,
        buyer=(token.buyer_domain, token.buyer_identity),
        supplier=(token.supplier_domain, token.supplier_identity),
        language=token.language,
    )
    punchout_session_open(
        request,
        user=user,
        membership=membership,
        session=session,
        backend=START_BACKEND,
    )
    return session
