"""Pricing API URLs (included under /api/v1/)."""

from django.urls import path

from catalog.pricing import api_views

urlpatterns = [
    path("prices/explain", api_views.price_explain_view, name="price-explain"),
]
