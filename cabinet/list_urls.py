"""URL patterns (filled in by the flow that owns this module)."""

urlpatterns: list = []
