"""Leads in the Django admin, for marketing and sales to qualify."""

from django.contrib import admin

from content.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "name", "email", "phone", "company", "page"]
    list_filter = ["kind", "created_at"]
    search_fields = ["name", "email", "phone", "company__name", "page", "referrer"]
    raw_id_fields = ["user", "company"]
    # Where the lead came from is recorded, not edited.
    readonly_fields = ["first_touch", "last_touch", "referrer", "landing_url"]
    date_hierarchy = "created_at"
