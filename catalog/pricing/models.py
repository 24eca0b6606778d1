"""Price lists with quantity breaks, company price terms, contracts and discount rules.

Precedence (see catalog/pricing/engine.py): contract price > company discount rule >
company base list > public list price. The public list is the one price list of kind
LIST; catalog imports write its prices.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def default_currency():
    return settings.OSCAR_DEFAULT_CURRENCY


class PriceListQuerySet(models.QuerySet):
    def public(self) -> "PriceList | None":
        """The shop's one public list price list (kind LIST), or None. Whether it is
        active and valid today is the caller's question (the pricing engine asks)."""
        return self.filter(kind=PriceList.Kind.LIST).first()

    def public_or_new(self) -> "PriceList":
        """The public list price list, or a new unsaved one (in the default currency)
        for a caller that fills it, e.g. the first catalog import."""
        return self.public() or PriceList(
            name="List price",
            code="list",
            kind=PriceList.Kind.LIST,
            currency=default_currency(),
        )


class PriceList(models.Model):
    class Kind(models.TextChoices):
        LIST = "list", _("Public list price")
        WHOLESALE = "wholesale", _("Wholesale")

    name = models.CharField(_("Name"), max_length=128)
    code = models.SlugField(_("Code"), max_length=64, unique=True)
    kind = models.CharField(
        _("Kind"), max_length=16, choices=Kind.choices, default=Kind.WHOLESALE
    )
    currency = models.CharField(_("Currency"), max_length=3, default=default_currency)
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("Active"), default=True)

    objects = PriceListQuerySet.as_manager()

    class Meta:
        verbose_name = _("Price list")
        verbose_name_plural = _("Price lists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="list"),
                name="pricelist_one_public_list",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="pricelist_valid_range",
            ),
        ]

    def __str__(self):
        return self.name


class QuantityBreak(models.Model):
    """A price excl. VAT from `min_quantity` units up: what a price list item and a
    contract item share. Each subclass adds its owner and `product` (their reverse
    names differ) and puts these checks beside its own uniqueness."""

    min_quantity = models.PositiveIntegerField(_("From quantity"), default=1)
    price = models.DecimalField(_("Price excl. VAT"), max_digits=14, decimal_places=2)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=0), name="%(class)s_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=1),
                name="%(class)s_min_quantity_positive",
            ),
        ]


class PriceListItem(QuantityBreak):
    """The price of a product in a list from `min_quantity` units up (a quantity break)."""

    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="price_list_items"
    )

    class Meta(QuantityBreak.Meta):
        verbose_name = _("Price list item")
        verbose_name_plural = _("Price list items")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"],
                name="pricelistitem_unique_break",
            ),
            *QuantityBreak.Meta.constraints,
        ]
        indexes = [models.Index(fields=["product", "price_list"])]

    def __str__(self):
        return (
            f"{self.price_list}: {self.product_id} ≥{self.min_quantity} = {self.price}"
        )


class CompanyPriceTerms(models.Model):
    """Which price list a company buys from, and when. Periods of one company never
    overlap (checked by `catalog.pricing.services.company_terms_assign` under a lock on
    the company)."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="price_terms"
    )
    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("Base price list"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("Company price terms")
        verbose_name_plural = _("Company price terms")
        ordering = ["company", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="companypriceterms_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.company}: {self.price_list}"


class Contract(models.Model):
    """A supply contract with company-specific prices for particular products."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="contracts"
    )
    number = models.CharField(_("Contract number"), max_length=64)
    currency = models.CharField(_("Currency"), max_length=3, default=default_currency)
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Contract")
        verbose_name_plural = _("Contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="contract_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="contract_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.company})"


class ContractItem(QuantityBreak):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="contract_items"
    )

    class Meta(QuantityBreak.Meta):
        verbose_name = _("Contract price")
        verbose_name_plural = _("Contract prices")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "product", "min_quantity"],
                name="contractitem_unique_break",
            ),
            *QuantityBreak.Meta.constraints,
        ]

    def __str__(self):
        return (
            f"{self.contract_id}: {self.product_id} ≥{self.min_quantity} = {self.price}"
        )


class DiscountRule(models.Model):
    """Percent off a base list for a company, by category and/or manufacturer."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="discount_rules"
    )
    base_price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("Base price list"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The list the discount is taken off (usually the public list)."),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    manufacturer = models.ForeignKey(
        "catalogue.Manufacturer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    percent = models.DecimalField(_("Discount, %"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_to = models.DateField(_("Valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("Discount rule")
        verbose_name_plural = _("Discount rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=Decimal(0)) & Q(percent__lt=Decimal(100)),
                name="discountrule_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | Q(manufacturer__isnull=False),
                name="discountrule_has_scope",
            ),
        ]

    def __str__(self):
        scope = " / ".join(
            str(x) for x in (self.category, self.manufacturer) if x is not None
        )
        return f"-{self.percent}% {scope}"
