"""Oscar's orders, placed on behalf of a customer company."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder


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


from oscar.apps.order.models import *  # noqa: E402,F401,F403
