"""The records that make repeats harmless: one row per e-mail key, written in the
transaction that sends it, and one per API request sent with an idempotency key."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentMail(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key` header (`core.idempotency`): the first
    one runs and its answer is kept; a repeat with the same key gets that answer
    again instead of creating a second order. A key is the caller's own: one
    user's key never meets another's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    # The method, path and body of the first request (SHA-256): the same key with
    # another request is refused, not answered with the wrong result.
    fingerprint = models.CharField(max_length=64)
    # None while the first request runs.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotent API request")
        verbose_name_plural = _("idempotent API requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="core_idempotent_request_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code or '…'}"
