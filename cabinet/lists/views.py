"""Purchase list pages (/cabinet/lists/). Every list is fetched through the active
company's queryset, so another company's id is a 404; members who may order edit and
order, the others (accountants) only look."""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cabinet.lists import selectors, services
from cabinet.models import PurchaseList
from catalog.importing.tables import MAX_FILE_BYTES, csv_write, xlsx_write
from catalog.partner.availability import ON_REQUEST, availability_for_products
from catalog.selectors import Replacement, replacements_for
from search.lookup import AMBIGUOUS, NOT_FOUND, lookup_numbers
from shop.basket.feedback import short_stock_messages

PAGE_SIZE = 50


def member_required(view):
    """Signed in (else the login page) and acting for a company (else a page that
    says so)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "membership", None) is None:
            return render(request, "cabinet/lists/no_company.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _can_edit(request) -> bool:
    return request.membership.can("order")


def _require_edit(request) -> None:
    if not _can_edit(request):
        raise PermissionDenied


def _get_list(request, pk: int) -> PurchaseList:
    return get_object_or_404(
        selectors.purchase_lists_for_company(company=request.company), pk=pk
    )


def _detail(purchase_list: PurchaseList):
    return redirect("cabinet:list-detail", pk=purchase_list.pk)


def _error(request, exc: services.PurchaseListError) -> None:
    messages.error(request, " ".join(exc.messages))


# -- the lists -----------------------------------------------------------------


@require_GET
@member_required
def list_index(request):
    lists = selectors.purchase_lists_overview(company=request.company)
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cabinet/lists/index.html",
        {"page_obj": page, "can_edit": _can_edit(request)},
    )


@require_POST
@member_required
def list_create(request):
    _require_edit(request)
    try:
        purchase_list = services.purchase_list_create(
            company=request.company,
            name=request.POST.get("name", ""),
            created_by=request.user,
        )
    except services.PurchaseListError as exc:
        _error(request, exc)
        return redirect("cabinet:list-index")
    return _detail(purchase_list)


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
    purchase_list = _get_list(request, pk)
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    return render(
        request,
        "cabinet/lists/detail.html",
        {
            "purchase_list": purchase_list,
            "rows": _rows(request, lines),
            "can_edit": _can_edit(request),
        },
    )


@require_POST
@member_required
def list_rename(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    try:
        services.purchase_list_rename(
            purchase_list=purchase_list, name=request.POST.get("name", "")
        )
    except services.PurchaseListError as exc:
        _error(request, exc)
    return _detail(purchase_list)


@member_required
def list_delete(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
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


def _posted_quantities(request) -> tuple[dict[int, int], list[str]]:
    """`qty-<line id>` fields → {line id: quantity}, and the bad values."""
    quantities, bad = {}, []
    for key, value in request.POST.items():
        line_id = _id(key[4:]) if key.startswith("qty-") else None
        if line_id is None:
            continue
        quantity = services.parse_quantity(value)
        if quantity is None:
            bad.append(value[:20])
        else:
            quantities[line_id] = quantity
    return quantities, bad


def _id(text: str) -> int | None:
    """A database id from a form value (digits, fits a bigint), else None."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def _posted_ids(request, name: str) -> list[int]:
    return [pk for pk in map(_id, request.POST.getlist(name)) if pk is not None]


@require_POST
@member_required
def list_update(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    quantities, bad = _posted_quantities(request)
    if bad:
        messages.error(
            request,
            _("Quantities must be positive whole numbers: %(values)s")
            % {"values": ", ".join(bad)},
        )
        return _detail(purchase_list)
    changed = services.purchase_list_set_quantities(
        purchase_list=purchase_list, quantities=quantities
    )
    messages.success(
        request,
        ngettext("%(n)s line updated.", "%(n)s lines updated.", changed)
        % {"n": changed},
    )
    return _detail(purchase_list)


@require_POST
@member_required
def list_remove(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    removed = services.purchase_list_remove_lines(
        purchase_list=purchase_list, line_ids=_posted_ids(request, "line")
    )
    if removed:
        messages.success(
            request,
            ngettext("%(n)s line removed.", "%(n)s lines removed.", removed)
            % {"n": removed},
        )
    else:
        messages.warning(request, _("Select the lines to remove."))
    return _detail(purchase_list)


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
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    article = request.POST.get("article", "").strip()[:200]
    quantity = services.parse_quantity(request.POST.get("quantity", "1"))
    if not article or quantity is None:
        messages.error(request, _("Enter an article and a positive whole quantity."))
        return _detail(purchase_list)
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
            _error(request, exc)
        else:
            messages.success(
                request, _("%(article)s is on the list.") % {"article": product.article}
            )
    return _detail(purchase_list)


# -- ordering ------------------------------------------------------------------


def _order_messages(request, result) -> None:
    report = result.report
    if report.added:
        messages.success(
            request,
            ngettext(
                "%(n)s line is in the basket.",
                "%(n)s lines are in the basket.",
                len(report.added),
            )
            % {"n": len(report.added)},
        )
    for product, notes in result.adjustments:
        messages.info(request, f"{product.article}: {'; '.join(notes)}")
    short_stock_messages(request, report)
    if not report.refused:
        return
    refused = [refusal.product for refusal in report.refused]
    offers = replacements_for(refused)
    for refusal in report.refused:
        text = _("%(article)s is not added: %(reason)s.") % {
            "article": refusal.product.article,
            "reason": refusal.reason,
        }
        successor = offers[refusal.product.pk].successor
        if successor is not None:
            text += " " + _("Its successor: %(article)s.") % {
                "article": successor.article
            }
        messages.warning(request, text)


@require_POST
@member_required
def list_order(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    if request.POST.get("scope") == "selected":
        selected = set(_posted_ids(request, "line"))
        lines = [line for line in lines if line.pk in selected]
    if not lines:
        messages.warning(request, _("Select the lines to order."))
        return _detail(purchase_list)
    quantities, _bad = _posted_quantities(request)
    result = services.purchase_list_order(
        basket=request.basket,
        membership=request.membership,
        lines=lines,
        quantities=quantities,
    )
    _order_messages(request, result)
    if result.report.refused:
        return _detail(purchase_list)
    return redirect("basket:summary")


# -- export and import ---------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@member_required
def list_export(request, pk: int, fmt: str):
    purchase_list = _get_list(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    rows = selectors.purchase_list_export_rows(purchase_list=purchase_list)
    writer = csv_write if fmt == "csv" else xlsx_write
    response = HttpResponse(
        writer(headers=selectors.EXPORT_HEADERS, rows=rows),
        content_type=CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = (
        f'attachment; filename="purchase-list-{purchase_list.pk}.{fmt}"'
    )
    return response


@member_required
def list_import(request, pk: int):
    purchase_list = _get_list(request, pk)
    _require_edit(request)
    context = {"purchase_list": purchase_list, "max_lines": services.MAX_IMPORT_ROWS}
    if request.method != "POST":
        return render(request, "cabinet/lists/import.html", context)
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_FILE_BYTES:
        context["file_error"] = _("Choose a CSV or XLSX file of at most 50 MB.")
        return render(request, "cabinet/lists/import.html", context, status=400)
    report = services.purchase_list_import(
        purchase_list=purchase_list, data=upload.read(), filename=upload.name
    )
    if not report.ok:
        context["errors"] = report.errors
        return render(request, "cabinet/lists/import.html", context, status=400)
    messages.success(
        request,
        _("Imported: %(added)s new lines, %(increased)s lines with more quantity.")
        % {"added": report.added, "increased": report.increased},
    )
    return _detail(purchase_list)


# -- adding from other pages ---------------------------------------------------


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _posted_items(request) -> tuple[list[services.ListItem], str]:
    """Parallel `product` / `quantity` fields → items of public products; or an
    error message."""
    ids, quantities = request.POST.getlist("product"), request.POST.getlist("quantity")
    if not ids or len(ids) != len(quantities):
        return [], _("Nothing to add: give a product and a quantity for each line.")
    if len(ids) > services.MAX_LINES:
        return [], _("At most %(n)s lines at once.") % {"n": services.MAX_LINES}
    product_ids = [_id(i) for i in ids]
    if None in product_ids:
        return [], _("Unknown product.")
    parsed = [services.parse_quantity(q) for q in quantities]
    if None in parsed:
        return [], _("Quantities must be positive whole numbers.")
    products = selectors.products_addable(ids=product_ids)
    if len(products) != len(set(product_ids)):
        return [], _("Unknown product.")
    return [
        services.ListItem(products[pk], q)
        for pk, q in zip(product_ids, parsed, strict=True)
    ], ""


def _target_list(request) -> PurchaseList | None:
    value = request.POST.get("list", "").strip()
    if not value:
        return None
    list_id = _id(value)
    if list_id is None:
        raise Http404
    return _get_list(request, list_id)


@require_POST
@member_required
def list_add_items(request):
    """The one endpoint the product page, order pages and quick order post to."""
    _require_edit(request)
    purchase_list = _target_list(request)
    fallback = reverse("cabinet:list-index")
    items, error = _posted_items(request)
    if error:
        messages.error(request, error)
        return redirect(_next_url(request, fallback))
    try:
        with transaction.atomic():
            if purchase_list is None:
                purchase_list = services.purchase_list_create(
                    company=request.company,
                    name=request.POST.get("new_list_name", ""),
                    created_by=request.user,
                )
            added, increased = services.purchase_list_add_items(
                purchase_list=purchase_list, items=items
            )
    except services.PurchaseListError as exc:
        _error(request, exc)
        return redirect(_next_url(request, fallback))
    messages.success(
        request,
        _("Added to the list “%(name)s”: %(added)s new, %(increased)s increased.")
        % {"name": purchase_list.name, "added": added, "increased": increased},
    )
    return redirect(
        _next_url(
            request, reverse("cabinet:list-detail", kwargs={"pk": purchase_list.pk})
        )
    )
