"""Punchout doors. SAP OCI: `/punchout/oci/` where a procurement system opens the
shop, `/punchout/oci/transfer/` where the buyer sends the basket back. cXML:
`/punchout/cxml/setup/` where the procurement system posts its
PunchOutSetupRequest, `/punchout/cxml/start/<token>/` the one-time link the
buyer's browser opens, `/punchout/cxml/transfer/` the PunchOutOrderMessage."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from sales.punchout.cxml import (
    CxmlError,
    order_message_document,
    setup_request_parse,
    setup_response_document,
    status_document,
)
from sales.punchout.oci import oci_fields, oci_session, oci_start
from sales.punchout.services import (
    StartRefused,
    cxml_body_read,
    cxml_setup_start,
    cxml_start_redeem,
)
from sales.punchout.session import CXML, PunchoutError, punchout_session


@csrf_exempt  # the procurement system posts from its own site; nothing is trusted
@require_http_methods(["GET", "POST"])
def oci_entry(request):
    params = request.POST if request.method == "POST" else request.GET
    try:  # a new user's login starts a new session (Django's `login` flushes it)
        oci_start(request, params)
    except PunchoutError as exc:
        return render(
            request, "punchout/refused.html", {"message": str(exc)}, status=400
        )
    return redirect("catalogue:index")


def _no_punchout(request):
    return render(
        request, "punchout/refused.html", {"message": "", "expired": True}, status=403
    )


def _hand_over(request, session, template: str, context: dict):
    """The transfer page: its form leaves for the procurement system (the policy
    allows that one origin); the basket is emptied and the punchout ends."""
    response = render(
        request,
        template,
        {**context, "session": session, "count": request.basket.num_lines},
    )
    response._csp_update = {"form-action": [session.return_origin]}
    request.basket.flush()
    logout(request)
    return response


@require_POST
def oci_transfer(request):
    """Hand the basket to the procurement system: a page whose form posts the
    `NEW_ITEM-*` fields to `HOOK_URL` (sent by a deferred script, or by the button
    when scripts are off)."""
    session = oci_session(request)
    if session is None:
        return _no_punchout(request)
    try:
        fields = oci_fields(request.basket)
    except PunchoutError as exc:
        messages.error(request, str(exc))
        return redirect("basket:summary")
    return _hand_over(
        request, session, "punchout/oci_transfer.html", {"fields": fields}
    )


def _cxml_answer(document: str, status: int) -> HttpResponse:
    return HttpResponse(document, content_type="text/xml; charset=utf-8", status=status)


def _cxml_refusal(request, exc: CxmlError) -> HttpResponse:
    response = _cxml_answer(status_document(exc.code, str(exc)), exc.code)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
        # A lockout is answered in cXML too: django-axes' middleware would put its
        # HTML page in place of any answer to a request it flagged.
        request.axes_locked_out = False
    return response


@csrf_exempt  # the procurement system posts from its server; the Sender is checked
@require_POST
def cxml_setup(request):
    """Answer a PunchOutSetupRequest with the one-time start page, or a Status
    saying why not (HTTP status and cXML code agree)."""
    try:
        setup = setup_request_parse(cxml_body_read(request))
        token = cxml_setup_start(request, setup=setup)
    except CxmlError as exc:
        return _cxml_refusal(request, exc)
    start_url = settings.SHOP_BASE_URL.rstrip("/") + reverse(
        "punchout:cxml-start", args=[token]
    )
    document = setup_response_document(start_url=start_url, operation=setup.operation)
    return _cxml_answer(document, 200)


@require_GET
def cxml_start(request, token: str):
    """The buyer's browser arrives from the procurement system: log them in for
    their company with the punchout open, and show the catalogue."""
    try:
        cxml_start_redeem(request, raw=token)
    except StartRefused as exc:
        return render(
            request, "punchout/refused.html", {"message": str(exc)}, status=exc.status
        )
    return redirect("catalogue:index")


@require_POST
def cxml_transfer(request):
    """Hand the basket to the procurement system: a page whose form posts the
    PunchOutOrderMessage as `cxml-urlencoded` to the BrowserFormPost URL."""
    session = punchout_session(request, kind=CXML)
    if session is None:
        return _no_punchout(request)
    try:
        document = order_message_document(basket=request.basket, session=session)
    except PunchoutError as exc:
        messages.error(request, str(exc))
        return redirect("basket:summary")
    return _hand_over(
        request, session, "punchout/cxml_transfer.html", {"document": document}
    )
