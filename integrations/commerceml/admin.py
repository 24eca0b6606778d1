"""Staff's read-only view of the 1C exchange: its log, the 1C items and the orders
sent to 1C."""

from django.contrib import admin

from integrations.commerceml.models import ExchangeItem, ExchangeLog, OrderExport


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExchangeLog)
class ExchangeLogAdmin(_ReadOnly):
    list_display = ("created_at", "kind", "mode", "filename", "ok", "user", "address")
    list_filter = ("ok", "kind", "mode")
    search_fields = ("filename", "message", "user__email")
    date_hierarchy = "created_at"


@admin.register(ExchangeItem)
class ExchangeItemAdmin(_ReadOnly):
    list_display = ("article", "external_id", "product", "updated_at")
    search_fields = ("article", "external_id")
    raw_id_fields = ("product",)


@admin.register(OrderExport)
class OrderExportAdmin(_ReadOnly):
    list_display = ("order", "queried_at", "exported_at")
    raw_id_fields = ("order",)
