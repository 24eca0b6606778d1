"""Purchase lists to and from elsewhere: ordering a list into the basket, its export
and import, and adding lines from the catalogue, search and order pages."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cabinet.lists import selectors, services
from cabinet.lists.access import (
    detail_redirect,
    error_message,
    form_id,
    get_list,
    member_required,
    posted_ids,
    posted_quantities,
    require_edit,
)
from cabinet.models import PurchaseList
from catalog.importing.tables import csv_write, xlsx_write
from catalog.selectors import replacements_for
from sales.basket.feedback import short_stock_messages

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
    purchase_list = get_list(request, pk)
    require_edit(request)
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    if request.POST.get("scope") == "selected":
        selected = set(posted_ids(request, "line"))
        lines = [line for line in lines if line.pk in selected]
    if not lines:
        messages.warning(request, _("Select the lines to order."))
        return detail_redirect(purchase_list)
    quantities, _bad = posted_quantities(request)
    result = services.purchase_list_order(
        basket=request.basket,
        membership=request.membership,
        lines=lines,
        quantities=quantities,
    )
    _order_messages(request, result)
    if result.report.refused:
        return detail_redirect(purchase_list)
    return redirect("basket:summary")


# -- export and import ---------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@member_required
def list_export(request, pk: int, fmt: str):
    purchase_list = get_list(request, pk)
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
    purchase_list = get_list(request, pk)
    require_edit(request)
    context = {"purchase_list": purchase_list, "max_lines": services.MAX_IMPORT_ROWS}
    if request.method != "POST":
        return render(request, "cabinet/lists/import.html", context)
    upload = request.FILES.get("file")
    if upload is None or upload.size > services.MAX_IMPORT_BYTES:
        context["file_error"] = _("Choose a CSV or XLSX file of at most %(mb)s MB.") % {
            "mb": services.MAX_IMPORT_BYTES // (1024 * 1024)
        }
        return render(request, "cabinet/lists/import.html", context, status=400)
    report = services.purchase_list_import(
        purchase_list=purchase_list,
        data=upload.read(services.MAX_IMPORT_BYTES + 1),
        filename=upload.name,
    )
    if not report.ok:
        context["errors"] = report.errors
        return render(request, "cabinet/lists/import.html", context, status=400)
    messages.success(
        request,
        _("Imported: %(added)s new lines, %(increased)s lines with more quantity.")
        % {"added": report.added, "increased": report.increased},
    )
    return detail_redirect(purchase_list)


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
    product_ids = [form_id(i) for i in ids]
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
    list_id = form_id(value)
    if list_id is None:
        raise Http404
    return get_list(request, list_id)


@require_POST
@member_required
def list_add_items(request):
    """The one endpoint the product page, order pages and quick order post to."""
    require_edit(request)
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
        error_message(request, exc)
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
