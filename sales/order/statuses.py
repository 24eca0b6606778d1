"""What a customer reads about an order's progress, in one place: the translated label
of every order and line status code (Oscar keeps them as free strings, the keys of
OSCAR_ORDER_STATUS_PIPELINE and OSCAR_LINE_STATUS_PIPELINE), and the order's shipping
state — shipped, partly shipped, not shipped yet — read from its status, its delivery
note and its shipping events. Cabinet pages, the API and the exports all call these,
so they say the same thing."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, pgettext_lazy

from sales.order.models import Line, Order, ShippingEventQuantity

ORDER_STATUS_LABELS = {
    "Pending": pgettext_lazy("order status", "Pending"),
    "Processing": pgettext_lazy("order status", "Processing"),
    "Shipped": pgettext_lazy("order status", "Shipped"),
    "Completed": pgettext_lazy("order status", "Completed"),
    "Cancelled": pgettext_lazy("order status", "Cancelled"),
    "Awaiting approval": pgettext_lazy("order status", "Awaiting approval"),
}

# Lines have their own context: in Russian a line ("позиция") is feminine.
LINE_STATUS_LABELS = {
    "Pending": pgettext_lazy("order line status", "Pending"),
    "Processing": pgettext_lazy("order line status", "Processing"),
    "Shipped": pgettext_lazy("order line status", "Shipped"),
    "Completed": pgettext_lazy("order line status", "Completed"),
    "Cancelled": pgettext_lazy("order line status", "Cancelled"),
    "Awaiting approval": pgettext_lazy("order line status", "Awaiting approval"),
}

CANCELLED_STATUSES = frozenset({"Cancelled"})

# Shipping event types (by code) that mean goods left. Oscar's event types are free
# rows ("Shipped", "Returned", "Cancelled", ...): only these count as shipments. A line
# shipped and then delivered is counted once (the largest quantity of one type).
SHIPMENT_EVENT_TYPES = ("shipped", "dispatched", "delivered")


def order_status_label(code: str) -> str:
    """The order status in the active language; an unknown code as it is."""
    return str(ORDER_STATUS_LABELS.get(code, code or "—"))


def line_status_label(code: str) -> str:
    """The line status in the active language; an unknown code as it is."""
    return str(LINE_STATUS_LABELS.get(code, code or "—"))


class ShippingState(models.TextChoices):
    NOT_SHIPPED = "not_shipped", pgettext_lazy("shipping state", "Not shipped yet")
    PARTLY_SHIPPED = "partly_shipped", pgettext_lazy("shipping state", "Partly shipped")
    SHIPPED = "shipped", pgettext_lazy("shipping state", "Shipped")
    CANCELLED = "cancelled", pgettext_lazy("shipping state", "Cancelled, not shipped")


def shipped_statuses() -> frozenset[str]:
    """Order statuses that mean the goods have left: the statuses that issue the
    delivery note (INVOICING_SHIPPED_STATUSES) and those the pipeline reaches from
    them (Completed), cancellation aside."""
    pipeline = settings.OSCAR_ORDER_STATUS_PIPELINE
    found: set[str] = set()
    todo = list(settings.INVOICING_SHIPPED_STATUSES)
    while todo:
        status = todo.pop()
        if status not in found and status not in CANCELLED_STATUSES:
            found.add(status)
            todo.extend(pipeline.get(status, ()))
    return frozenset(found)


def orders_with_shipping(orders: QuerySet[Order]) -> QuerySet[Order]:
    """`orders` annotated with what `shipping_state` reads, in the same statement
    (three EXISTS subqueries, however many orders). A line's shipped quantity is
    what `line_statuses` counts too."""
    shipped = (
        ShippingEventQuantity.objects.filter(
            line=OuterRef("pk"), event__event_type__code__in=SHIPMENT_EVENT_TYPES
        )
        .values("event__event_type")
        .annotate(total=Sum("quantity"))
        .order_by("-total")
        .values("total")[:1]
    )
    lines = Line.objects.filter(order=OuterRef("pk")).annotate(
        shipped_quantity=Coalesce(Subquery(shipped), 0)
    )
    notes = Order.objects.filter(pk=OuterRef("pk"), delivery_note__isnull=False)
    return orders.annotate(
        has_delivery_note=Exists(notes),
        has_shipped_lines=Exists(lines.filter(shipped_quantity__gt=0)),
        has_unshipped_lines=Exists(lines.filter(shipped_quantity__lt=F("quantity"))),
    )


def shipping_state(order: Order) -> ShippingState:
    """Shipped when the status says so or a delivery note was issued (the whole
    order leaves at once); otherwise what the shipping events cover. The order must
    come from `orders_with_shipping`."""
    if order.status in shipped_statuses() or order.has_delivery_note:
        return ShippingState.SHIPPED
    if order.has_shipped_lines:
        if order.has_unshipped_lines:
            return ShippingState.PARTLY_SHIPPED
        return ShippingState.SHIPPED
    if order.status in CANCELLED_STATUSES:
        return ShippingState.CANCELLED
    return ShippingState.NOT_SHIPPED


def order_status_summary(order: Order) -> str:
    """The status label, and the shipping state when the status does not tell it
    ("Processing · Partly shipped")."""
    label = order_status_label(order.status)
    state = shipping_state(order)
    if state in (ShippingState.SHIPPED, ShippingState.PARTLY_SHIPPED) and (
        order.status not in shipped_statuses()
    ):
        return f"{label} · {state.label}"
    return label


@dataclass(frozen=True)
class LineStatus:
    code: str
    label: str
    shipped_quantity: int


def line_statuses(order: Order) -> dict[int, LineStatus]:
    """Each line's status as the customer reads it, by line id. Reads the order's
    lines and shipping events with their quantities (prefetch them).

    A cancelled line says so; a line of a shipped order, or one its shipping events
    cover, is shipped; a line partly covered says how much; a line that never left
    the initial status follows the order's status (Oscar moves lines only through
    OSCAR_LINE_STATUS_PIPELINE, so "Pending" would otherwise stay on shipped lines)."""
    state = shipping_state(order)
    by_type: dict[tuple[int, int], int] = defaultdict(int)
    for event in order.shipping_events.all():
        if event.event_type.code in SHIPMENT_EVENT_TYPES:
            for quantity in event.line_quantities.all():
                by_type[quantity.line_id, event.event_type_id] += quantity.quantity
    shipped: dict[int, int] = defaultdict(int)
    for (line_id, _type), quantity in by_type.items():
        shipped[line_id] = max(shipped[line_id], quantity)
    return {
        line.pk: _line_status(line, order, state, shipped[line.pk])
        for line in order.lines.all()
    }


def _line_status(line, order, state, shipped: int) -> LineStatus:
    code = line.status
    quantity = min(shipped, line.quantity)
    if code in CANCELLED_STATUSES:
        label = line_status_label(code)
    elif state == ShippingState.SHIPPED or quantity >= line.quantity:
        quantity = line.quantity
        label = line_status_label("Shipped")
    elif quantity:
        label = gettext("Shipped %(shipped)s of %(quantity)s") % {
            "shipped": quantity,
            "quantity": line.quantity,
        }
    elif code and code != settings.OSCAR_INITIAL_LINE_STATUS:
        label = line_status_label(code)
    else:
        label = line_status_label(order.status)
    return LineStatus(code=code, label=label, shipped_quantity=quantity)
