"""Cabinet data: purchase lists (requisition lists) shared inside a company, and the
ZIP bundles of the document archive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from cabinet.files import bundle_file_name, bundle_files
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


class DocumentBundle(models.Model):
    """A ZIP of a company's documents built by a worker (too many documents for the
    request, or PDFs still to render): who asked, which documents (archive refs),
    its state and its private file, removed when it expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    company = models.ForeignKey(
        Company,
        verbose_name=_("Company"),
        on_delete=models.CASCADE,
        related_name="document_bundles",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refs = models.JSONField(default=list)
    # Statements inside: only members who may see the finances download it.
    with_finance = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="ru")
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(
        storage=bundle_files, upload_to=bundle_file_name, max_length=255, blank=True
    )
    size = models.PositiveBigIntegerField(default=0)
    document_count = models.PositiveIntegerField(_("Documents"), default=0)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("Requested"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("Available until"))

    class Meta:
        verbose_name = _("Document bundle")
        verbose_name_plural = _("Document bundles")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["company", "-created_at"], name="cabinet_bundle_company"
            ),
            models.Index(fields=["expires_at"], name="cabinet_bundle_expires"),
        ]

    def __str__(self):
        return f"{self.company_id}/{self.pk} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        return (
            f"documents-{timezone.localdate(self.created_at).isoformat()}-{self.pk}.zip"
        )
