"""Leads in the Wagtail admin (filled in by the lead pipeline)."""
