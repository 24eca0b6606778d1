"""`CatalogJob`: a catalogue import, a price import or a catalogue export that a
background worker runs for a staff member; its status, figures and line errors.
While it runs, its live progress is in the cache (`catalog.importing.jobs`): the
import writes in one transaction, which its own row could not be seen through."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.importing.files import job_file_name, job_files


class CatalogJob(models.Model):
    class Kind(models.TextChoices):
        CATALOG_IMPORT = "catalog_import", _("Catalogue import")
        PRICE_IMPORT = "price_import", _("Price import")
        CATALOG_EXPORT = "catalog_export", _("Catalogue export")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="catalog_jobs",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    language = models.CharField(max_length=10, blank=True)  # of its messages
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # What to do.
    price_list = models.ForeignKey(
        "pricing.PriceList",
        verbose_name=_("price list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dry_run = models.BooleanField(_("check only"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    file_format = models.CharField(
        _("format"), max_length=4, choices=Format, default=Format.CSV
    )
    # The uploaded file (imports) or the file produced (exports); emptied when the
    # file is removed after `JOB_FILES_DAYS` (`catalog_jobs_clean`).
    file = models.FileField(
        storage=job_files, upload_to=job_file_name, max_length=255, blank=True
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    # The outcome.
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    applied = models.BooleanField(default=False)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[line, column, reason]]
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("catalogue job")
        verbose_name_plural = _("catalogue jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")),
                name="catalogjob_rows_done_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_import(self) -> bool:
        return self.kind != self.Kind.CATALOG_EXPORT
