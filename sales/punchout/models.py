"""The one-time start links of cXML punchouts: a PunchOutSetupRequest that
authenticated is answered with `/punchout/cxml/start/<token>/`, which the buyer's
browser opens once, within minutes. Only the token's SHA-256 is stored."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PunchoutStartToken(models.Model):
    class Operation(models.TextChoices):
        CREATE = "create", _("Create")
        EDIT = "edit", _("Edit")
        INSPECT = "inspect", _("Inspect")

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+"
    )
    operation = models.CharField(
        max_length=8, choices=Operation.choices, default=Operation.CREATE
    )
    browser_form_post_url = models.CharField(max_length=2048)
    buyer_cookie = models.CharField(max_length=2048)
    # The parties as the setup request named them, (domain, identity) each, and
    # its language: the order message echoes them.
    buyer_domain = models.CharField(max_length=255, blank=True)
    buyer_identity = models.CharField(max_length=255, blank=True)
    supplier_domain = models.CharField(max_length=255, blank=True)
    supplier_identity = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=35, blank=True)
    payload_id = models.CharField(max_length=255, blank=True)
    contact_email = models.CharField(max_length=254, blank=True)
    extrinsics = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cXML punchout start link")
        verbose_name_plural = _("cXML punchout start links")
        indexes = [models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="punchout_start_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}@{self.company_id} {self.created_at:%Y-%m-%d %H:%M}"
