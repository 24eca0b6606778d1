"""Staff's read-only view of webhook endpoints and deliveries."""

from django.contrib import admin

from integrations.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "company", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "company__name")
    exclude = ("secret",)
    readonly_fields = ("company", "url", "events", "created_at", "created_by")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "event", "endpoint", "status", "attempts", "created_at")
    list_filter = ("status", "event")
    search_fields = ("key", "endpoint__url")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]


# The 1C exchange's log, items and exported orders.
from integrations.commerceml import admin as commerceml_admin  # noqa: E402, F401
