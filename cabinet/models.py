"""Cabinet data: purchase lists (requisition lists) shared inside a company."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from catalog.models import Product


class PurchaseList(models.Model):
    """A named list of products a company buys again and again. Every member of the
    company sees it; members who may order edit it."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("Company"),
        on_delete=models.CASCADE,
        related_name="purchase_lists",
    )
    name = models.CharField(_("Name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated"), auto_now=True)

    class Meta:
        verbose_name = _("Purchase list")
        verbose_name_plural = _("Purchase lists")
        ordering = ["-updated_at", "pk"]
        constraints = [
            # "Tools" and "tools" are the same list for people.
            models.UniqueConstraint(
                "company", Lower("name"), name="cabinet_purchaselist_company_name"
            ),
        ]
        indexes = [
            models.Index(
                fields=["company", "-updated_at"], name="cabinet_plist_company_upd"
            ),
        ]

    def __str__(self):
        return self.name


class PurchaseListLine(models.Model):
    """A product and how many of it. The product is CASCADE: products leave the
    catalogue by `lifecycle=discontinued` (the line stays and offers the successor);
    a hard delete is a staff correction that customers' lists must not block."""

    purchase_list = models.ForeignKey(
        PurchaseList,
        verbose_name=_("Purchase list"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("Product"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("Quantity"), default=1)
    note = models.CharField(_("Note"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("Position"), default=0)
    added_at = models.DateTimeField(_("Added"), auto_now_add=True)

    class Meta:
        verbose_name = _("Purchase list line")
        verbose_name_plural = _("Purchase list lines")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["purchase_list", "product"],
                name="cabinet_purchaselistline_list_product",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="cabinet_purchaselistline_quantity_positive",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"
