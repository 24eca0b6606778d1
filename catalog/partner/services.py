"""Stock allocation that cannot oversell: one conditional UPDATE per stock record."""

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalog.partner.models import StockRecord


class InsufficientStock(Exception):
    """Not enough free stock; the message names the product and is safe to show."""


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
