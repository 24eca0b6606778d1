"""What a buyer sees about stock, and the one rule of how an order line is served.

The rule (as distributors do it): a line takes free stock from the warehouses in
priority order — that part ships now — and whatever is left is a back-order, promised
within the quickest restock lead time of the warehouses that carry the product. An
item with no stock record at all is "on request" and is quoted, not ordered.
Pages (`ProductAvailability.label`, `.promise(quantity)`), the basket and checkout
(`stock_split`) all read this one rule, so what a page says is what checkout does.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from catalog.partner.models import StockRecord


@dataclass(frozen=True)
class WarehouseAvailability:
    name: str
    city: str
    available: int
    lead_time_min_days: int
    lead_time_max_days: int

    @property
    def lead_time_label(self) -> str:
        return lead_time_label(self.lead_time_min_days, self.lead_time_max_days)


@dataclass(frozen=True)
class StockPromise:
    """How `quantity` units of a product would be served today."""

    quantity: int
    now: int
    later: int
    backorder_min_days: int | None = None
    backorder_max_days: int | None = None

    @property
    def on_request(self) -> bool:
        """Part of the quantity has no warehouse that could ever supply it."""
        return self.later > 0 and self.backorder_min_days is None

    @property
    def short(self) -> bool:
        """More is wanted than is on hand: the buyer must be told."""
        return self.later > 0

    @property
    def label(self) -> str:
        if not self.later:
            return _("In stock: all %(qty)s ship now") % {"qty": self.quantity}
        if self.on_request:
            if self.now:
                return _("%(now)s available now, the rest on request") % {
                    "now": self.now
                }
            return _("On request")
        lead = lead_time_label(self.backorder_min_days, self.backorder_max_days)
        if self.now:
            return _("%(now)s available now, the rest (%(later)s) in %(lead)s") % {
                "now": self.now,
                "later": self.later,
                "lead": lead.lower(),
            }
        return _("Back-order: %(lead)s") % {"lead": lead.lower()}


@dataclass(frozen=True)
class ProductAvailability:
    total_available: int = 0
    warehouses: list[WarehouseAvailability] = field(default_factory=list)
    # The back-order promise: the quickest restock lead time among the warehouses
    # that carry the product (None: no warehouse carries it — on request).
    backorder_min_days: int | None = None
    backorder_max_days: int | None = None

    @property
    def in_stock(self) -> bool:
        return self.total_available > 0

    @property
    def status(self) -> str:
        if self.in_stock:
            return "in_stock"
        if self.backorder_min_days is not None:
            return "to_order"
        return "on_request"

    @property
    def label(self) -> str:
        if self.in_stock:
            return _("In stock: %(qty)s") % {"qty": self.total_available}
        if self.backorder_min_days is not None:
            return lead_time_label(self.backorder_min_days, self.backorder_max_days)
        return _("On request")

    def promise(self, quantity: int) -> StockPromise:
        now = min(max(quantity, 0), self.total_available)
        return StockPromise(
            quantity=quantity,
            now=now,
            later=max(quantity - now, 0),
            backorder_min_days=self.backorder_min_days,
            backorder_max_days=self.backorder_max_days,
        )


def lead_time_label(min_days: int, max_days: int | None) -> str:
    max_days = max(min_days, max_days or min_days)
    if max_days <= 0:
        return _("Today")
    if min_days == max_days:
        return _("%(days)s days") % {"days": max_days}
    return _("%(min)s–%(max)s days") % {"min": min_days, "max": max_days}


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def free_quantity(record: StockRecord) -> int:
    return max(0, (record.num_in_stock or 0) - (record.num_allocated or 0))


def records_in_priority(records: Iterable[StockRecord]) -> list[StockRecord]:
    """Stock records in the order a line takes from them (partner loaded)."""
    return sorted(
        records,
        key=lambda r: (r.partner.priority, r.partner.lead_time_max_days, r.partner_id),
    )


@dataclass(frozen=True)
class StockSplit:
    """A line split over warehouses: (record, quantity) taken from stock now, and
    the back-ordered rest with the record it is expected at."""

    taken: list[tuple[StockRecord, int]]
    backorder: int
    backorder_record: StockRecord | None


def stock_split(records: Sequence[StockRecord], quantity: int) -> StockSplit:
    """The one rule: free stock in priority order, the rest back-ordered at the
    warehouse that restocks it soonest. `records` are in priority order."""
    taken, left = [], quantity
    for record in records:
        if left <= 0:
            break
        take = min(free_quantity(record), left)
        if take > 0:
            taken.append((record, take))
            left -= take
    return StockSplit(
        taken=taken,
        backorder=left,
        backorder_record=backorder_record(records) if left > 0 else None,
    )


def backorder_record(records: Sequence[StockRecord]) -> StockRecord | None:
    """The warehouse that would get a back-ordered quantity soonest."""
    if not records:
        return None
    return min(
        records,
        key=lambda r: (backorder_days(r)[1], r.partner.priority, r.partner_id),
    )


def backorder_days(record: StockRecord) -> tuple[int, int]:
    partner = record.partner
    return (
        partner.restock_days + partner.lead_time_min_days,
        partner.restock_days + partner.lead_time_max_days,
    )


ON_REQUEST = ProductAvailability()


def availability_for_products(*, products: Iterable) -> dict[int, ProductAvailability]:
    """Availability of each product, keyed by id, in one query."""
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    if not ids:
        return {}
    records = StockRecord.objects.filter(product_id__in=ids).select_related("partner")
    by_product: dict[int, list[StockRecord]] = defaultdict(list)
    for record in records:
        by_product[record.product_id].append(record)
    return {pid: availability_from_records(by_product.get(pid, [])) for pid in ids}


def availability_from_records(records: Iterable[StockRecord]) -> ProductAvailability:
    """Availability from a product's stock records (partners loaded), no query."""
    records = records_in_priority(records)
    if not records:
        return ON_REQUEST
    warehouses = [
        WarehouseAvailability(
            name=record.partner.name,
            city=record.partner.city,
            available=free_quantity(record),
            lead_time_min_days=record.partner.lead_time_min_days,
            lead_time_max_days=record.partner.lead_time_max_days,
        )
        for record in records
    ]
    backorder = backorder_days(backorder_record(records))
    return ProductAvailability(
        total_available=sum(w.available for w in warehouses),
        warehouses=warehouses,
        backorder_min_days=backorder[0],
        backorder_max_days=backorder[1],
    )
