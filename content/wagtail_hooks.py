"""The content app in Wagtail's admin: leads to work (`content.leads_admin`) and the
funnel report (`content.funnel_admin`)."""

from content import funnel_admin, leads_admin  # noqa: F401  (they register hooks)
