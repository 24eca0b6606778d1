"""What every purchase-list page shares: the member check, the company-scoped fetch
(another company's id is a 404), who may edit, form ids."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from cabinet.lists import selectors, services
from cabinet.models import PurchaseList

PAGE_SIZE = 50


def member_required(view):
    """Signed in (else the login page) and acting for a company (else a page that
    says so)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership is None:
            return render(request, "cabinet/lists/no_company.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def can_edit(request) -> bool:
    return request.membership.can("order")


def require_edit(request) -> None:
    if not can_edit(request):
        raise PermissionDenied


def get_list(request, pk: int) -> PurchaseList:
    return get_object_or_404(
        selectors.purchase_lists_for_company(company=request.company), pk=pk
    )


def detail_redirect(purchase_list: PurchaseList):
    return redirect("cabinet:list-detail", pk=purchase_list.pk)


def error_message(request, exc: services.PurchaseListError) -> None:
    messages.error(request, " ".join(exc.messages))


def form_id(text: str) -> int | None:
    """A database id from a form value (digits, fits a bigint), else None."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def posted_quantities(request) -> tuple[dict[int, int], list[str]]:
    """`qty-<line id>` fields → {line id: quantity}, and the bad values."""
    quantities, bad = {}, []
    for key, value in request.POST.items():
        line_id = form_id(key[4:]) if key.startswith("qty-") else None
        if line_id is None:
            continue
        quantity = services.parse_quantity(value)
        if quantity is None:
            bad.append(value[:20])
        else:
            quantities[line_id] = quantity
    return quantities, bad


def posted_ids(request, name: str) -> list[int]:
    return [pk for pk in map(form_id, request.POST.getlist(name)) if pk is not None]
