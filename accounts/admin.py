"""Django admin for users and companies (staff approve companies here or in the dashboard)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Company, LegalEntity, Membership, User
from accounts.services import company_approve


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "phone", "language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class LegalEntityInline(admin.StackedInline):
    model = LegalEntity
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_id", "status", "industry", "region", "account_manager"]
    list_filter = ["status", "industry", "size_band"]
    search_fields = ["name", "legal_name", "tax_id"]
    inlines = [MembershipInline, LegalEntityInline]
    actions = ["approve"]

    @admin.action(description=_("Approve selected companies"))
    def approve(self, request, queryset):
        for company in queryset:
            company_approve(company=company, approved_by=request.user)
        messages.success(request, _("Approved."))
