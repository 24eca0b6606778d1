"""Oscar's order creator: each line is served by the one stock rule — free stock
warehouse by warehouse, the rest a back-order — and cannot oversell."""

from django.utils import timezone
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401

from catalog.partner.services import line_stock_allocate
from sales.order.models import LineAllocation


class OrderCreator(OscarOrderCreator):
    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        self._allocate(line)
        return line

    def update_stock_records(self, line):
        """Stock is allocated with the order line (`_allocate`); Oscar calls this
        with the basket line afterwards."""

    def _allocate(self, line):
        """Guarded allocation over the warehouses (Oscar's own `allocate()` is an
        unconditional increment of one record after an unlocked check). The line's
        own stock record becomes the first warehouse it ships from."""
        track = line.product.get_product_class().track_stock
        parts = line_stock_allocate(
            product=line.product,
            quantity=line.quantity,
            today=timezone.localdate(),
            track_stock=track,
        )
        LineAllocation.objects.bulk_create(
            LineAllocation(
                line=line,
                partner_id=part.stockrecord.partner_id,
                stockrecord=part.stockrecord,
                quantity=part.quantity,
                is_backorder=part.is_backorder,
                expected_date=part.expected_date,
            )
            for part in parts
        )
        first = parts[0].stockrecord
        line.stockrecord = first
        line.partner = first.partner
        line.partner_name = first.partner.name
        line.partner_sku = first.partner_sku
        if track:
            line.num_allocated = sum(p.quantity for p in parts if not p.is_backorder)
        line.save(
            update_fields=[
                "stockrecord",
                "partner",
                "partner_name",
                "partner_sku",
                "num_allocated",
            ]
        )
