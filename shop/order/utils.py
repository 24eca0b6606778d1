"""Oscar's order creator, with stock allocation that cannot oversell."""

from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401

from catalog.partner.services import stockrecord_allocate


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Guarded allocation (Oscar's own `allocate()` is an unconditional increment
        after an unlocked check); raises InsufficientStock and the order's
        transaction rolls back."""
        if line.product.get_product_class().track_stock:
            stockrecord_allocate(stockrecord=line.stockrecord, quantity=line.quantity)
