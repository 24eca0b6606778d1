"""Stock allocation that cannot oversell: a line takes free stock warehouse by
warehouse (priority order, rows locked, one conditional UPDATE each); the rest is a
back-order (`catalog.partner.availability.stock_split`)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalog.partner.availability import (
    backorder_days,
    records_in_priority,
    stock_split,
    working_days_after,
)
from catalog.partner.models import StockRecord


class InsufficientStock(Exception):
    """Not enough free stock; the message names the product and is safe to show."""


@dataclass(frozen=True)
class Allocation:
    """One part of an order line: units taken from a warehouse's stock now, or a
    back-order expected at a warehouse by a date."""

    stockrecord: StockRecord
    quantity: int
    is_backorder: bool
    expected_date: date


def stockrecord_allocate(*, stockrecord: StockRecord, quantity: int) -> None:
    """Reserve `quantity` units of a stock record for an order, or raise.

    Runs `UPDATE ... SET num_allocated = num_allocated + q WHERE id = ? AND
    num_in_stock - num_allocated >= q`; the row lock the UPDATE takes serialises
    concurrent orders, and a zero row count means the stock ran out. Call it inside
    the order's transaction so a later failure gives the units back.
    """
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    if not stockrecord.can_track_allocations:
        return
    allocated = Coalesce(F("num_allocated"), 0)
    updated = StockRecord.objects.filter(
        pk=stockrecord.pk, num_in_stock__gte=allocated + quantity
    ).update(num_allocated=allocated + quantity)
    if updated != 1:
        raise InsufficientStock(
            _("Not enough stock of %(product)s: %(quantity)s requested.")
            % {"product": stockrecord.product.get_title(), "quantity": quantity}
        )
    stockrecord.refresh_from_db(fields=["num_allocated"])
    stockrecord.post_save_signal()  # as Oscar's own allocate() does


def line_stock_allocate(
    *, product, quantity: int, today: date, track_stock: bool = True
) -> list[Allocation]:
    """Serve `quantity` units of `product` for an order: free stock in warehouse
    priority order is allocated now (rows locked first, in id order, so concurrent
    orders queue instead of deadlocking), the rest is a back-order. Call it inside
    the order's transaction. Raises InsufficientStock only when no warehouse carries
    the product (it is on request) — a page never offers that for ordering."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    locked = list(
        StockRecord.objects.select_for_update()
        .filter(product=product)
        .select_related("partner")
        .order_by("pk")
    )
    records = records_in_priority(locked)
    if not records:
        raise InsufficientStock(
            _("%(product)s is on request: ask your account manager for a quote.")
            % {"product": product.get_title()}
        )
    if not track_stock:
        record = records[0]
        return [Allocation(record, quantity, False, _ready_date(record, today))]
    split = stock_split(records, quantity)
    allocations = []
    for record, taken in split.taken:
        stockrecord_allocate(stockrecord=record, quantity=taken)
        allocations.append(Allocation(record, taken, False, _ready_date(record, today)))
    if split.backorder:
        record = split.backorder_record
        days = backorder_days(record)[1]
        allocations.append(
            Allocation(record, split.backorder, True, working_days_after(today, days))
        )
    return allocations


def _ready_date(record: StockRecord, today: date) -> date:
    return working_days_after(today, record.partner.lead_time_max_days)
