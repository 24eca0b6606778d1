"""Cabinet order pages: history (with export), detail, reorder; adding products to
the basket from any cabinet page. Orders are read through the active company only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import membership_require
from cabinet.orders.forms import OrderFilterForm
from cabinet.orders.selectors import (
    order_export_rows,
    order_for_company,
    order_history,
)
from cabinet.orders.services import order_reorder
from catalog.importing.tables import csv_write, xlsx_write
from catalog.models import Product
from core.redirects import next_path
from invoicing.selectors import documents_for_order
from sales.basket.feedback import report_messages
from sales.basket.services import basket_lines_add
from sales.order.statuses import (
    line_statuses,
    order_status_label,
    order_status_summary,
    shipping_state,
)

PAGE_SIZE = 25
MAX_BASKET_ITEMS = 5000


def membership_required(request, permission: str):
    """The active membership if it has `permission`; 403 otherwise (a user without a
    company is sent nowhere: the caller renders the no-company page)."""
    membership = request.membership
    if membership is None or not membership.can(permission):
        raise PermissionDenied
    return membership


def _no_company(request):
    return render(request, "cabinet/no_company.html", status=200)


@login_required
def order_list(request):
    if request.membership is None:
        return _no_company(request)
    membership = membership_required(request, "view_orders")
    company = membership.company
    form = OrderFilterForm(request.GET or None, company=company)
    orders = order_history(company=company, filters=form.filters())
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        headers, rows = order_export_rows(orders)
        writer, content_type = (
            (csv_write, "text/csv; charset=utf-8")
            if export == "csv"
            else (
                xlsx_write,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        )
        response = HttpResponse(writer(headers=headers, rows=rows), content_type)
        response["Content-Disposition"] = f'attachment; filename="orders.{export}"'
        return response
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    for order in page:
        order.status_label = order_status_summary(order)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cabinet/orders/list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_order": membership.can_order,
        },
    )


@login_required
def order_detail(request, number):
    if request.membership is None:
        return _no_company(request)
    membership = membership_required(request, "view_orders")
    order = order_for_company(company=membership.company, number=number)
    order.status_label = order_status_label(order.status)
    order.shipping_label = shipping_state(order).label
    lines = list(order.lines.all())
    statuses = line_statuses(order)
    for line in lines:
        line.status_label = statuses[line.pk].label
    return render(
        request,
        "cabinet/orders/detail.html",
        {
            "order": order,
            "lines": lines,
            "shipping_events": list(order.shipping_events.all()),
            "documents": documents_for_order(order=order),
            "can_order": membership.can_order,
        },
    )


@login_required
@require_POST
def order_reorder_view(request, number):
    if request.membership is None:
        return _no_company(request)
    membership = membership_required(request, "view_orders")
    order = order_for_company(company=membership.company, number=number)
    if not membership.can_order:
        raise PermissionDenied
    line_ids = _int_list(request.POST.getlist("line"))
    if request.POST.get("scope") == "selected" and not line_ids:
        messages.error(request, _("Choose the lines to reorder."))
        return redirect("cabinet:order-detail", number=order.number)
    report = order_reorder(
        order=order, basket=request.basket, membership=membership, line_ids=line_ids
    )
    added = len(report.added.added)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d line of order %(number)s is in your basket at today's price.",
                "%(count)d lines of order %(number)s are in your basket at today's prices.",
                added,
            )
            % {"count": added, "number": order.number},
        )
    if report.clean:
        return redirect("basket:summary")
    return render(
        request,
        "cabinet/orders/reorder_result.html",
        {"order": order, "report": report, "added_count": added},
    )


def _int_list(values) -> list[int]:
    result = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0:
            result.append(number)
    return result


@login_required
@require_POST
def basket_add(request):
    """Add products to the basket: `product` and `quantity` repeated in parallel.
    Used by the reorder result (take the successor or an analogue instead) and any
    cabinet page that offers "add to basket"."""
    membership = request.membership
    membership_require(membership, "order")
    ids = request.POST.getlist("product")[:MAX_BASKET_ITEMS]
    quantities = request.POST.getlist("quantity")
    wanted: list[tuple[int, str]] = []
    for index, raw_id in enumerate(ids):
        pk = _int_list([raw_id])
        if not pk:
            messages.error(request, _("A product was not found."))
            return _back(request)
        wanted.append((pk[0], quantities[index] if index < len(quantities) else "1"))
    products = Product.objects.browsable().in_bulk([pk for pk, _ in wanted])
    if any(pk not in products for pk, _ in wanted):
        messages.error(request, _("A product was not found."))
        return _back(request)
    report = basket_lines_add(
        basket=request.basket,
        membership=membership,
        items=[(products[pk], qty) for pk, qty in wanted],
    )
    report_messages(request, report)
    return _back(request)


def _back(request):
    return redirect(
        next_path(request, request.POST.get("next") or "") or "basket:summary"
    )
