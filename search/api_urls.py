"""Search API endpoints (mounted under /api/v1/)."""

from django.urls import path

from search import api_views

urlpatterns = [
    path("search", api_views.search, name="search"),
    path("lookup", api_views.lookup, name="lookup"),
]
