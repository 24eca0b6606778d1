"""Punchout doors: `/punchout/oci/` where a procurement system opens the shop, and
`/punchout/oci/transfer/` where the buyer sends the basket back."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sales.punchout.oci import PunchoutError, oci_fields, oci_session, oci_start


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


@require_POST
def oci_transfer(request):
    """Hand the basket to the procurement system: a page whose form posts the
    `NEW_ITEM-*` fields to `HOOK_URL` (sent by a deferred script, or by the button
    when scripts are off). The basket is emptied and the punchout ends."""
    session = oci_session(request)
    if session is None:
        return render(
            request,
            "punchout/refused.html",
            {"message": "", "expired": True},
            status=403,
        )
    basket = request.basket
    try:
        fields = oci_fields(basket)
    except PunchoutError as exc:
        messages.error(request, str(exc))
        return redirect("basket:summary")
    response = render(
        request,
        "punchout/oci_transfer.html",
        {"fields": fields, "session": session, "count": basket.num_lines},
    )
    # The form leaves for the procurement system: the policy allows that one origin.
    response._csp_update = {"form-action": [session.hook_origin]}
    basket.flush()
    logout(request)
    return response
