"""The record that makes e-mail idempotent: one row per mail key, written in the
transaction that sends it."""

from django.db import models
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
