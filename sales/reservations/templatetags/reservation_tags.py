"""The basket page's "Documents and reservation" panel: issue an invoice, reserve
for the company's days, download a quote — each shown to members allowed to, with
the reason otherwise."""

from django import template

from accounts.models import ActionRefused, membership_require
from sales.reservations.services import terms_of

register = template.Library()


def _refusal(membership, permission: str) -> str:
    """ "" when the member may, else why not."""
    try:
        membership_require(membership, permission)
    except ActionRefused as exc:
        return str(exc.message)
    return ""


@register.inclusion_tag("reservations/_basket_panel.html", takes_context=True)
def basket_documents_panel(context):
    request = context.get("request")
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "request": request,
        "signed_in": bool(user and user.is_authenticated),
        "membership": membership,
        "order_refused": _refusal(membership, "order") if membership else "",
        "reserve_refused": _refusal(membership, "reserve") if membership else "",
        "terms": terms_of(membership.company) if membership else None,
        "csrf_token": context.get("csrf_token"),
    }
