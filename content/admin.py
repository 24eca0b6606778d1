"""Leads in the Django admin, a fallback for superusers; marketing and sales work
them in the Wagtail admin (`content.leads_admin`), where every change is a service
call with a note. Here the stage, its dates and the history are read-only."""

from django.contrib import admin

from content.models import Lead, LeadNote


class LeadNoteInline(admin.TabularInline):
    model = LeadNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author", "text"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "status",
        "name",
        "email",
        "phone",
        "company",
        "owner",
        "page",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = [
        "name",
        "email",
        "phone",
        "inn",
        "company__name",
        "page",
        "referrer",
    ]
    raw_id_fields = ["user", "company", "owner", "source_page"]
    # Where the lead came from is recorded, not edited; the stage moves through
    # `lead_status_set` (the Wagtail admin), which stamps its dates and notes it.
    readonly_fields = [
        "status",
        "status_reason",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "closed_at",
        "consent_at",
        "consent_text",
        "visitor_id",
        "submissions",
        "first_touch",
        "last_touch",
        "referrer",
        "landing_url",
        "utm_source",
        "utm_campaign",
    ]
    date_hierarchy = "created_at"
    inlines = [LeadNoteInline]
