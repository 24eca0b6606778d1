"""Reading the company's orders: history with filters, export rows, one order.

Every order is read through `orders_for_company`, so a member of another company can
neither see nor reorder it (the views answer 404)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from catalog.articles import article_normalize
from sales.order.models import Line, LineAllocation, Order, ShippingEvent
from sales.order.statuses import (
    order_status_label,
    orders_with_shipping,
    shipping_state,
)

EXPORT_LIMIT = 10_000


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    po_number: str = ""
    user_id: int | None = None
    article: str = ""


def order_statuses() -> list[str]:
    return list(settings.OSCAR_ORDER_STATUS_PIPELINE)


status_label = order_status_label  # the name the cabinet's views and forms use


def orders_for_company(*, company) -> QuerySet[Order]:
    return Order.objects.filter(company=company)


def order_history(*, company, filters: OrderFilters) -> QuerySet[Order]:
    """The company's orders (whoever placed them), newest first, filtered."""
    orders = (
        orders_with_shipping(orders_for_company(company=company))
        .select_related("user")
        .annotate(line_count=Count("lines"))
        .order_by("-date_placed", "-pk")
    )
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.date_from:
        orders = orders.filter(date_placed__date__gte=filters.date_from)
    if filters.date_to:
        orders = orders.filter(date_placed__date__lte=filters.date_to)
    if filters.po_number:
        orders = orders.filter(po_number__icontains=filters.po_number)
    if filters.user_id:
        orders = orders.filter(user_id=filters.user_id)
    key = article_normalize(filters.article)
    if filters.article and not key:
        return orders.none()
    if key:
        # "Contains article": a line whose product's article is this number (or, for
        # three characters or more, starts with it), or whose stored SKU matches.
        products = Line.objects.filter(order=OuterRef("pk"))
        lookup = "product__article_normalized"
        condition = {f"{lookup}__startswith": key} if len(key) >= 3 else {lookup: key}
        orders = orders.filter(Exists(products.filter(**condition)))
    return orders


def order_for_company(*, company, number: str) -> Order:
    """One order of the company with what its detail page shows (404 otherwise)."""
    queryset = orders_with_shipping(orders_for_company(company=company))
    queryset = queryset.select_related("user", "shipping_address", "billing_address")
    queryset = queryset.prefetch_related(
        Prefetch(
            "lines",
            queryset=Line.objects.select_related(
                "product", "product__manufacturer", "product__successor"
            )
            .prefetch_related(
                Prefetch(
                    "allocations",
                    queryset=LineAllocation.objects.select_related("partner"),
                )
            )
            .order_by("pk"),
        ),
        Prefetch(
            "shipping_events",
            queryset=ShippingEvent.objects.select_related("event_type")
            .prefetch_related("line_quantities")
            .order_by("date_created"),
        ),
        "status_changes",
    )
    return get_object_or_404(queryset, number=number)


def order_export_rows(orders: QuerySet[Order]) -> tuple[list[str], list[list[str]]]:
    headers = [
        str(_("Order")),
        str(_("Date")),
        str(_("Status")),
        str(_("Your PO number")),
        str(_("Ordered by")),
        str(_("Lines")),
        str(_("Total excl. VAT")),
        str(_("Total incl. VAT")),
        str(_("Currency")),
        str(_("Shipping state")),
    ]
    rows = [
        [
            order.number,
            order.date_placed.date().isoformat(),
            order_status_label(order.status),
            order.po_number,
            order.user.email if order.user else "",
            str(order.line_count),
            str(order.total_excl_tax),
            str(order.total_incl_tax),
            order.currency,
            str(shipping_state(order).label),
        ]
        for order in orders[:EXPORT_LIMIT]
    ]
    return headers, rows
