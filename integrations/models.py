"""Webhook endpoints a company registers and the deliveries sent to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    ORDER_PLACED = "order.placed", _("Order placed")
    ORDER_SHIPPED = "order.shipped", _("Order shipped")
    INVOICE_ISSUED = "invoice.issued", _("Invoice issued")
    TEST = "webhook.test", _("Test event")


# What an endpoint may subscribe to (a test event goes to the endpoint asked).
SUBSCRIBABLE_EVENTS = (
    WebhookEvent.ORDER_PLACED,
    WebhookEvent.ORDER_SHIPPED,
    WebhookEvent.INVOICE_ISSUED,
)


class WebhookEndpoint(models.Model):
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("Company"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("Description"), max_length=100, blank=True)
    events = models.JSONField(_("Events"), default=list)
    # In clear: every delivery is signed with it. Shown to the company once.
    secret = models.CharField(_("Secret"), max_length=64)
    is_active = models.BooleanField(_("Active"), default=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Webhook endpoint")
        verbose_name_plural = _("Webhook endpoints")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return self.url

    @property
    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(e, e)) for e in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("Endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("Event"), max_length=32, choices=WebhookEvent.choices)
    # Names what happened (`order.placed:<order id>`): one delivery per endpoint.
    key = models.CharField(_("Key"), max_length=100)
    payload = models.JSONField(_("Payload"), default=dict)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("Last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("Last error"), max_length=255, blank=True)
    response_body = models.TextField(_("Response"), blank=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("Last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("Next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("Delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook delivery")
        verbose_name_plural = _("Webhook deliveries")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "key"], name="webhook_delivery_once_per_endpoint"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} #{self.pk}"


# The 1C exchange (CommerceML) keeps its tables in this app.
from integrations.commerceml.models import (  # noqa: E402, F401
    ExchangeItem,
    ExchangeLog,
    OrderExport,
)
