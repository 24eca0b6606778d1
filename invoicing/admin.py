"""Django admin for seller details and credit accounts (staff set the terms)."""

from django.contrib import admin

from invoicing.models import CreditAccount, SellerEntity


@admin.register(SellerEntity)
class SellerEntityAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "tax_id", "bank_name", "is_default"]


@admin.register(CreditAccount)
class CreditAccountAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "credit_limit",
        "currency",
        "payment_terms_days",
        "grace_days",
        "is_active",
    ]
    search_fields = ["company__name", "company__tax_id"]
    autocomplete_fields = ["company"]
