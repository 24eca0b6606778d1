"""The company's orders in the cabinet: history with filters, export, detail, reorder.

Every order is read through `orders_for_company`, so a member of another company can
neither see nor reorder it (the views answer 404)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from catalog.articles import article_normalize
from catalog.selectors import Replacement, replacements_for
from shop.basket.services import (
    AddedLine,
    AddReport,
    basket_lines_add,
    quantity_fit,
)
from shop.order.models import Line, LineAllocation, Order, ShippingEvent
from shop.order.statuses import (
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
        str(_("Order")), str(_("Date")), str(_("Status")), str(_("Your PO number")),
        str(_("Ordered by")), str(_("Lines")), str(_("Total excl. VAT")),
        str(_("Total incl. VAT")), str(_("Currency")), str(_("Shipping state")),
    ]  # fmt: skip
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


# --- reorder ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReorderProblem:
    """A line of the old order that was not put into the basket as it was, and what
    to take instead."""

    title: str
    article: str
    quantity: int
    reason: str
    replacement: Replacement | None = None


@dataclass
class ReorderReport:
    added: AddReport = field(default_factory=AddReport)
    problems: list[ReorderProblem] = field(default_factory=list)
    adjusted: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    out_of_stock: list[Replacement] = field(default_factory=list)
    # Added lines of which not everything ships now: (line, replacement).
    short: list[tuple[AddedLine, Replacement | None]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.problems or self.adjusted or self.out_of_stock or self.short)


def order_reorder(
    *, order: Order, basket, membership, line_ids: list[int] | None = None
):
    """Put the order's lines (or the chosen ones) into the basket at today's prices.

    Discontinued products and products no longer sold are not added; they are
    reported with their successor and in-stock analogues. Out-of-stock products are
    added when they can be ordered to lead time, and reported with in-stock analogues.
    Quantities are fitted to today's minimum order quantity and order step."""
    lines = [line for line in order.lines.all() if not line_ids or line.pk in line_ids]
    report = ReorderReport()
    products = [line.product for line in lines if line.product is not None]
    replacements = replacements_for(products)
    items = []
    for line in lines:
        product = line.product
        if product is None or not product.is_public:
            report.problems.append(
                ReorderProblem(
                    line.title, line.partner_sku, line.quantity, _("no longer sold")
                )
            )
            continue
        replacement = replacements[product.pk]
        if product.is_discontinued:
            report.problems.append(
                ReorderProblem(
                    line.title, product.article, line.quantity,
                    _("discontinued"), replacement,
                )
            )  # fmt: skip
            continue
        fit = quantity_fit(product, line.quantity)
        if fit.adjusted:
            report.adjusted.append((product.article, fit.notes))
        if not replacement.in_stock:
            report.out_of_stock.append(replacement)
        items.append((product, fit.quantity))
    report.added = basket_lines_add(basket=basket, membership=membership, items=items)
    refused = {refusal.product.pk for refusal in report.added.refused}
    report.out_of_stock = [
        r for r in report.out_of_stock if r.product.pk not in refused
    ]
    report.short = [
        (line, replacements.get(line.product.pk)) for line in report.added.short
    ]
    for refusal in report.added.refused:
        report.problems.append(
            ReorderProblem(
                refusal.product.get_title(), refusal.product.article,
                refusal.quantity, refusal.reason, replacements.get(refusal.product.pk),
            )
        )  # fmt: skip
    return report
