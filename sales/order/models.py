"""Oscar's orders, placed on behalf of a customer company; each line remembers how
it is served: units from warehouses' stock now, and a back-order expected later."""

from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder
from oscar.apps.partner.exceptions import InvalidStockAdjustment


class PaymentMethod(models.TextChoices):
    ON_ACCOUNT = "on_account", _("On account (deferred payment)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer against an invoice")
    CARD = "card", _("Card")


class Order(AbstractOrder):
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("Company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    po_number = models.CharField(_("Your PO number"), max_length=64, blank=True)
    desired_delivery_date = models.DateField(
        _("Desired delivery date"), null=True, blank=True
    )
    comment = models.TextField(_("Comment"), blank=True)
    payment_method = models.CharField(
        _("Payment method"), max_length=16, choices=PaymentMethod.choices, blank=True
    )

    class Meta(AbstractOrder.Meta):
        indexes = [models.Index(fields=["company", "-date_placed"])]


class Line(AbstractLine):
    """Oscar's order line whose stock allocation may span several warehouses
    (`LineAllocation`); consuming or cancelling it walks those parts."""

    class Meta(AbstractLine.Meta):
        pass

    def consume_allocation(self, quantity):
        self._release_allocation(quantity, consume=True)

    consume_allocation.alters_data = True

    def cancel_allocation(self, quantity):
        self._release_allocation(quantity, consume=False)

    cancel_allocation.alters_data = True

    def _release_allocation(self, quantity, *, consume: bool):
        if not self.can_track_allocations:
            return
        if not self.is_allocation_consumption_possible(quantity):
            if consume:
                raise InvalidStockAdjustment(_("Invalid stock consumption request"))
            return
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            locked.num_allocated -= quantity
            if not consume and locked.num_allocated == 0:
                locked.allocation_cancelled = True
            locked.save(update_fields=["num_allocated", "allocation_cancelled"])
            parts = self.allocations.filter(is_backorder=False).select_related(
                "stockrecord"
            )
            left = quantity
            for part in parts.order_by("pk"):
                take = min(part.quantity - part.released, left)
                if take <= 0 or part.stockrecord is None:
                    continue
                if consume:
                    part.stockrecord.consume_allocation(take)
                else:
                    part.stockrecord.cancel_allocation(take)
                LineAllocation.objects.filter(pk=part.pk).update(
                    released=F("released") + take
                )
                left -= take
        self.refresh_from_db(fields=["num_allocated", "allocation_cancelled"])

    @property
    def backorders(self) -> list["LineAllocation"]:
        return [a for a in self.allocations.all() if a.is_backorder]


class LineAllocation(models.Model):
    """Part of an order line: `quantity` units taken from a warehouse's stock when
    the order was placed, or (is_backorder) to be supplied to it by
    `expected_date`."""

    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="allocations"
    )
    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Warehouse"), on_delete=models.PROTECT
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", null=True, blank=True, on_delete=models.SET_NULL
    )
    quantity = models.PositiveIntegerField(_("Quantity"))
    is_backorder = models.BooleanField(_("Back-order"), default=False)
    expected_date = models.DateField(_("Expected dispatch"))
    # Units of this part already shipped (consumed) or given back (cancelled).
    released = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["line", "is_backorder", "pk"]
        verbose_name = _("Line allocation")
        verbose_name_plural = _("Line allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="lineallocation_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(released__lte=F("quantity")),
                name="lineallocation_released_within_quantity",
            ),
        ]

    def __str__(self):
        kind = _("back-order") if self.is_backorder else _("from stock")
        return f"{self.quantity} × {self.line_id} ({kind}, {self.partner})"


from oscar.apps.order.models import *  # noqa: E402,F401,F403
