"""What a buyer sees about stock: per warehouse and in one line ("In stock: 120",
"5–7 days", "On request") — never raw stock-record internals."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

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
class ProductAvailability:
    total_available: int = 0
    warehouses: list[WarehouseAvailability] = field(default_factory=list)
    # Lead time promised when no warehouse has it on hand (the slowest of the
    # warehouses that carry it: a promise we can keep).
    supply_min_days: int | None = None
    supply_max_days: int | None = None

    @property
    def in_stock(self) -> bool:
        return self.total_available > 0

    @property
    def status(self) -> str:
        if self.in_stock:
            return "in_stock"
        if self.supply_min_days is not None:
            return "to_order"
        return "on_request"

    @property
    def label(self) -> str:
        if self.in_stock:
            return _("In stock: %(qty)s") % {"qty": self.total_available}
        if self.supply_min_days is not None:
            return lead_time_label(self.supply_min_days, self.supply_max_days)
        return _("On request")


def lead_time_label(min_days: int, max_days: int | None) -> str:
    max_days = max(min_days, max_days or min_days)
    if max_days <= 0:
        return _("Today")
    if min_days == max_days:
        return _("%(days)s days") % {"days": max_days}
    return _("%(min)s–%(max)s days") % {"min": min_days, "max": max_days}


ON_REQUEST = ProductAvailability()


def availability_for_products(*, products: Iterable) -> dict[int, ProductAvailability]:
    """Availability of each product, keyed by id, in one query."""
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    if not ids:
        return {}
    records = (
        StockRecord.objects.filter(product_id__in=ids)
        .select_related("partner")
        .order_by("partner__priority", "partner__lead_time_max_days", "partner_id")
    )
    by_product: dict[int, list[StockRecord]] = defaultdict(list)
    for record in records:
        by_product[record.product_id].append(record)
    return {pid: _availability(by_product.get(pid, [])) for pid in ids}


def _availability(records: list[StockRecord]) -> ProductAvailability:
    if not records:
        return ON_REQUEST
    warehouses = []
    supply: tuple[int, int] | None = None
    for record in records:
        free = max(0, (record.num_in_stock or 0) - (record.num_allocated or 0))
        partner = record.partner
        warehouses.append(
            WarehouseAvailability(
                name=partner.name,
                city=partner.city,
                available=free,
                lead_time_min_days=partner.lead_time_min_days,
                lead_time_max_days=partner.lead_time_max_days,
            )
        )
        candidate = (partner.lead_time_min_days, partner.lead_time_max_days)
        if supply is None or candidate > supply:
            supply = candidate
    total = sum(w.available for w in warehouses)
    return ProductAvailability(
        total_available=total,
        warehouses=warehouses,
        supply_min_days=supply[0] if supply else None,
        supply_max_days=supply[1] if supply else None,
    )
