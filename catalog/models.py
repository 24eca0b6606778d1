"""Products as business buyers know them: article numbers, manufacturers, cross-references,
analogue groups and substitutes. Oscar's catalogue, forked under its own app label."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct

from catalog.articles import ARTICLE_MAX_LENGTH, article_normalize
from catalog.certificate_files import certificate_file_name, certificate_files


class Manufacturer(models.Model):
    name = models.CharField(_("Name"), max_length=128, unique=True)
    slug = models.SlugField(_("Slug"), max_length=128, unique=True)
    country = models.CharField(_("Country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("Manufacturer")
        verbose_name_plural = _("Manufacturers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnalogueGroup(models.Model):
    """Products in one group are fully interchangeable (the relation is transitive)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Analogue group")
        verbose_name_plural = _("Analogue groups")

    def __str__(self):
        return f"#{self.pk}"


class Unit(models.TextChoices):
    PIECE = "pcs", _("pcs")
    METRE = "m", _("m")
    KILOGRAM = "kg", _("kg")
    LITRE = "l", _("l")
    SET = "set", _("set")
    PACK = "pack", _("pack")
    PAIR = "pair", _("pair")
    ROLL = "roll", _("roll")


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISCONTINUED = "discontinued", _("Discontinued")


def english_active() -> bool:
    """Whether names are shown in English: the English title or name where set."""
    return (get_language() or "").split("-")[0] == "en"


class Category(AbstractCategory):
    name_en = models.CharField(_("Name in English"), max_length=255, blank=True)

    @property
    def display_name(self) -> str:
        """The English name when the active language is English and it is set."""
        return self.name_en if self.name_en and english_active() else self.name


class Product(AbstractProduct):
    title_en = models.CharField(
        _("Title in English"), max_length=255, blank=True, default=""
    )
    article = models.CharField(
        _("Article"), max_length=ARTICLE_MAX_LENGTH, unique=True, null=True, blank=True
    )
    article_normalized = models.CharField(
        max_length=ARTICLE_MAX_LENGTH, db_index=True, blank=True, editable=False
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        verbose_name=_("Manufacturer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    manufacturer_article = models.CharField(
        _("Manufacturer's part number"), max_length=ARTICLE_MAX_LENGTH, blank=True
    )
    manufacturer_article_normalized = models.CharField(
        max_length=ARTICLE_MAX_LENGTH, db_index=True, blank=True, editable=False
    )
    unit = models.CharField(
        _("Unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE
    )
    pack_size = models.PositiveIntegerField(_("Pack size"), default=1)
    min_order_qty = models.PositiveIntegerField(_("Minimum order quantity"), default=1)
    order_step = models.PositiveIntegerField(_("Order step"), default=1)
    vat_rate = models.DecimalField(
        _("VAT rate, %"), max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    lifecycle = models.CharField(
        _("Lifecycle"),
        max_length=16,
        choices=Lifecycle.choices,
        default=Lifecycle.ACTIVE,
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("Successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    analogue_group = models.ForeignKey(
        AnalogueGroup,
        verbose_name=_("Analogue group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )

    class Meta(AbstractProduct.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(pack_size__gte=1), name="product_pack_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_order_qty__gte=1), name="product_min_order_qty_positive"
            ),
            models.CheckConstraint(
                condition=Q(order_step__gte=1), name="product_order_step_positive"
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100),
                name="product_vat_rate_range",
            ),
        ]

    def save(self, *args, **kwargs):
        self.article_normalized = article_normalize(self.article)
        self.manufacturer_article_normalized = article_normalize(
            self.manufacturer_article
        )
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        """The English title when the active language is English and it is set,
        else the (Russian) title: what every page, list and API shows."""
        if self.title_en and english_active():
            return self.title_en
        return self.get_title()

    @property
    def is_discontinued(self) -> bool:
        return self.lifecycle == Lifecycle.DISCONTINUED


class CrossReference(models.Model):
    """Another number the product is known by."""

    class Kind(models.TextChoices):
        OEM = "oem", _("OEM number")
        MANUFACTURER = "manufacturer", _("Other manufacturer's number")
        STANDARD = "standard", _("Standard designation (GOST, DIN, ISO)")
        OLD_ARTICLE = "old_article", _("Former article")
        OTHER = "other", _("Other")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="cross_references"
    )
    kind = models.CharField(
        _("Kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER
    )
    number = models.CharField(_("Number"), max_length=ARTICLE_MAX_LENGTH)
    number_normalized = models.CharField(
        max_length=ARTICLE_MAX_LENGTH, db_index=True, editable=False
    )
    brand = models.CharField(_("Brand or standard"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Cross-reference")
        verbose_name_plural = _("Cross-references")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number_normalized"],
                name="crossref_unique_per_product",
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.number_normalized = article_normalize(self.number)
        super().save(*args, **kwargs)


class CompanyPartNumber(models.Model):
    """A buyer company's own code for one of our products."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="part_numbers"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="company_part_numbers"
    )
    number = models.CharField(_("Your part number"), max_length=ARTICLE_MAX_LENGTH)
    number_normalized = models.CharField(
        max_length=ARTICLE_MAX_LENGTH, db_index=True, editable=False
    )

    class Meta:
        verbose_name = _("Company part number")
        verbose_name_plural = _("Company part numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number_normalized"], name="companypartnumber_unique"
            )
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number_normalized = article_normalize(self.number)
        super().save(*args, **kwargs)


class Substitute(models.Model):
    """A replacement with differences the buyer must be told about (not symmetric)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="substitutes"
    )
    substitute = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="substitute_for"
    )
    note = models.CharField(_("Differences"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("Substitute")
        verbose_name_plural = _("Substitutes")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "substitute"], name="substitute_unique"
            ),
            models.CheckConstraint(
                condition=~Q(product=models.F("substitute")), name="substitute_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.product_id} → {self.substitute_id}"


class ProductCertificate(models.Model):
    """A certificate of a product (conformity, test report) attached by staff; a
    company sees it in its document archive once it has bought the product. The
    file (PDF, JPEG or PNG, checked by content) is stored privately."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("Product"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    title = models.CharField(_("Title"), max_length=255)
    number = models.CharField(_("Number"), max_length=64)
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    file = models.FileField(
        _("File"),
        storage=certificate_files,
        upload_to=certificate_file_name,
        max_length=255,
    )
    content_type = models.CharField(max_length=32)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("Product certificate")
        verbose_name_plural = _("Product certificates")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403  (Oscar's other models)
