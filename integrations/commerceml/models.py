"""What the 1C exchange remembers: which 1C item (`Ид`) is which product, which
orders 1C has taken, and a log of every step (with the permission to exchange)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

EXCHANGE_PERMISSION = "integrations.exchange_commerceml"


class ExchangeItem(models.Model):
    """A 1C catalogue item: its `Ид`, the article it is matched by, and what
    import.xml said about it, so that offers.xml (which carries only the `Ид`)
    finds it and can create the product once it brings a price."""

    external_id = models.CharField(_("1C id"), max_length=80, unique=True)
    article = models.CharField(_("Article"), max_length=64)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("Product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_items",
    )
    # The row of the catalogue import built from import.xml (name, category, unit...).
    data = models.JSONField(_("Data from 1C"), default=dict)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated"), auto_now=True)

    class Meta:
        verbose_name = _("1C catalogue item")
        verbose_name_plural = _("1C catalogue items")
        ordering = ("article",)

    def __str__(self):
        return f"{self.article} ({self.external_id})"


class OrderExport(models.Model):
    """An order sent to 1C by a query (`queried_at`) and, once 1C confirmed taking
    it (`mode=success`), exported (`exported_at`)."""

    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("Order"),
        on_delete=models.CASCADE,
        related_name="commerceml_export",
    )
    queried_at = models.DateTimeField(_("Sent to 1C"))
    exported_at = models.DateTimeField(_("Taken by 1C"), null=True, blank=True)

    class Meta:
        verbose_name = _("Order exported to 1C")
        verbose_name_plural = _("Orders exported to 1C")
        ordering = ("-queried_at", "-pk")

    def __str__(self):
        return str(self.order_id)


class ExchangeKind(models.TextChoices):
    CATALOG = "catalog", _("Catalogue")
    SALE = "sale", _("Orders")


class ExchangeLog(models.Model):
    """One step of an exchange with 1C, as staff read it in the admin."""

    created_at = models.DateTimeField(_("Time"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("Exchange"), max_length=16, blank=True)
    mode = models.CharField(_("Step"), max_length=16, blank=True)
    filename = models.CharField(_("File"), max_length=255, blank=True)
    ok = models.BooleanField(_("Succeeded"), default=True)
    message = models.TextField(_("Message"), blank=True)
    address = models.GenericIPAddressField(_("Address"), null=True, blank=True)

    class Meta:
        verbose_name = _("1C exchange log entry")
        verbose_name_plural = _("1C exchange log")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["-created_at"])]
        permissions = [("exchange_commerceml", _("Can exchange data with 1C"))]

    def __str__(self):
        return f"{self.kind}/{self.mode} {self.created_at:%Y-%m-%d %H:%M:%S}"
