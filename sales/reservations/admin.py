"""Staff see reservations and set each company's reservation terms (the longest a
reservation may run, whether it may be extended)."""

from django.contrib import admin

from sales.reservations.models import (
    Reservation,
    ReservationEvent,
    ReservationLine,
    ReservationTerms,
)


@admin.register(ReservationTerms)
class ReservationTermsAdmin(admin.ModelAdmin):
    list_display = ("company", "days", "max_days", "extend_allowed")
    list_editable = ("max_days", "extend_allowed")
    search_fields = ("company__name", "company__tax_id")
    autocomplete_fields = ("company",)


class ReservationLineInline(admin.TabularInline):
    model = ReservationLine
    extra = 0
    can_delete = False
    fields = ("product", "warehouse", "quantity", "unit_price_incl_tax")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReservationEventInline(admin.TabularInline):
    model = ReservationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    """Read only: reservations change through their services (stock, invoices)."""

    list_display = (
        "number",
        "company",
        "status",
        "expires_at",
        "extended",
        "total_incl_tax",
        "invoice",
        "order",
    )
    list_filter = ("status", "extended")
    search_fields = ("number", "company__name")
    inlines = [ReservationLineInline, ReservationEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
