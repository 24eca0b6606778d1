"""During a punchout the order is placed in the buyer's procurement system, not in
the shop: the shop's checkout sends the buyer back to the basket and its transfer
button (OCI and cXML alike)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sales.punchout.session import (
    LEGACY_SESSION_KEY,
    SESSION_KEY,
    punchout_session_legacy_move,
)


class PunchoutCheckoutGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and LEGACY_SESSION_KEY in session:
            punchout_session_legacy_move(session)
        if (
            session is not None
            and SESSION_KEY in session
            and request.path.startswith(reverse("checkout:index"))
        ):
            messages.info(
                request,
                _(
                    "You came from your procurement system: transfer the basket "
                    "to it and place the order there."
                ),
            )
            return redirect("basket:summary")
        return self.get_response(request)
