"""The funnel report in the Wagtail admin (filled in with the funnel)."""
