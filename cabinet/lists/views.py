"""Purchase list pages (/cabinet/lists/): the lists and their lines. Every list is
fetched through the active company's queryset (`cabinet.lists.access`), so another
company's id is a 404; members who may order edit, the others (accountants) only look."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cabinet.lists import selectors, services
from cabinet.lists.access import (
    PAGE_SIZE,
    can_edit,
    detail_redirect,
    error_message,
    get_list,
    member_required,
    posted_ids,
    posted_quantities,
    require_edit,
)
from catalog.partner.availability import ON_REQUEST, availability_for_products
from catalog.selectors import Replacement, replacements_for
from search.lookup import AMBIGUOUS, NOT_FOUND, lookup_numbers

# -- the lists -----------------------------------------------------------------


@require_GET
@member_required
def list_index(request):
    lists = selectors.purchase_lists_overview(company=request.company)
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cabinet/lists/index.html",
        {"page_obj": page, "can_edit": can_edit(request)},
    )


@require_POST
@member_required
def list_create(request):
    require_edit(request)
    try:
        purchase_list = services.purchase_list_create(
            company=request.company,
            name=request.POST.get("name", ""),
            created_by=request.user,
        )
    except services.PurchaseListError as exc:
        error_message(request, exc)
        return redirect("cabinet:list-index")
    return detail_redirect(purchase_list)


@dataclass(frozen=True)
class LineRow:
    line: object
    availability: object
    replacement: Replacement | None

    @property
    def promise(self):
        """What of the list's quantity ships now and what later."""
        return self.availability.promise(self.line.quantity)


def _worth_flagging(replacement: Replacement) -> bool:
    return replacement.product.is_discontinued or bool(
        replacement.successor or replacement.analogues
    )


def _rows(request, lines) -> list[LineRow]:
    """Each line with its availability and, for discontinued or out-of-stock
    products, what to take instead; a constant number of queries."""
    products = [line.product for line in lines]
    request.strategy.prefetch(products)
    stock = availability_for_products(products=products)
    flagged = [
        p
        for p in products
        if p.is_discontinued or not stock.get(p.pk, ON_REQUEST).in_stock
    ]
    replacements = {
        pk: replacement
        for pk, replacement in (replacements_for(flagged) if flagged else {}).items()
        if _worth_flagging(replacement)
    }
    return [
        LineRow(
            line=line,
            availability=stock.get(line.product_id, ON_REQUEST),
            replacement=replacements.get(line.product_id),
        )
        for line in lines
    ]


@require_GET
@member_required
def list_detail(request, pk: int):
    purchase_list = get_list(request, pk)
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    return render(
        request,
        "cabinet/lists/detail.html",
        {
            "purchase_list": purchase_list,
            "rows": _rows(request, lines),
            "can_edit": can_edit(request),
        },
    )


@require_POST
@member_required
def list_rename(request, pk: int):
    purchase_list = get_list(request, pk)
    require_edit(request)
    try:
        services.purchase_list_rename(
            purchase_list=purchase_list, name=request.POST.get("name", "")
        )
    except services.PurchaseListError as exc:
        error_message(request, exc)
    return detail_redirect(purchase_list)


@member_required
def list_delete(request, pk: int):
    purchase_list = get_list(request, pk)
    require_edit(request)
    if request.method != "POST":
        return render(
            request, "cabinet/lists/delete.html", {"purchase_list": purchase_list}
        )
    services.purchase_list_delete(purchase_list=purchase_list)
    messages.success(
        request, _("The list “%(name)s” is deleted.") % {"name": purchase_list.name}
    )
    return redirect("cabinet:list-index")


# -- lines ---------------------------------------------------------------------


@require_POST
@member_required
def list_update(request, pk: int):
    purchase_list = get_list(request, pk)
    require_edit(request)
    quantities, bad = posted_quantities(request)
    if bad:
        messages.error(
            request,
            _("Quantities must be positive whole numbers: %(values)s")
            % {"values": ", ".join(bad)},
        )
        return detail_redirect(purchase_list)
    changed = services.purchase_list_set_quantities(
        purchase_list=purchase_list, quantities=quantities
    )
    messages.success(
        request,
        ngettext("%(n)s line updated.", "%(n)s lines updated.", changed)
        % {"n": changed},
    )
    return detail_redirect(purchase_list)


@require_POST
@member_required
def list_remove(request, pk: int):
    purchase_list = get_list(request, pk)
    require_edit(request)
    removed = services.purchase_list_remove_lines(
        purchase_list=purchase_list, line_ids=posted_ids(request, "line")
    )
    if removed:
        messages.success(
            request,
            ngettext("%(n)s line removed.", "%(n)s lines removed.", removed)
            % {"n": removed},
        )
    else:
        messages.warning(request, _("Select the lines to remove."))
    return detail_redirect(purchase_list)


def _lookup_one(request, article: str):
    """The one public product an article (or the company's own number) names; else
    None with a message."""
    result = lookup_numbers(numbers=[article], company=request.company)[0]
    if result.status == NOT_FOUND:
        messages.error(
            request,
            _("“%(article)s” is not in the catalogue.") % {"article": article},
        )
        return None
    if result.status == AMBIGUOUS:
        messages.error(
            request,
            _("“%(article)s” matches several products: %(found)s.")
            % {
                "article": article,
                "found": ", ".join(p.article or "" for p in result.products),
            },
        )
        return None
    return result.products[0]


@require_POST
@member_required
def list_add_article(request, pk: int):
    purchase_list = get_list(request, pk)
    require_edit(request)
    article = request.POST.get("article", "").strip()[:200]
    quantity = services.parse_quantity(request.POST.get("quantity", "1"))
    if not article or quantity is None:
        messages.error(request, _("Enter an article and a positive whole quantity."))
        return detail_redirect(purchase_list)
    product = _lookup_one(request, article)
    if product is not None:
        try:
            services.purchase_list_add_items(
                purchase_list=purchase_list,
                items=[
                    services.ListItem(
                        product, quantity, request.POST.get("note", "").strip()
                    )
                ],
            )
        except services.PurchaseListError as exc:
            error_message(request, exc)
        else:
            messages.success(
                request, _("%(article)s is on the list.") % {"article": product.article}
            )
    return detail_redirect(purchase_list)
