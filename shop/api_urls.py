"""The JSON API, version 1. Each app contributes its endpoints."""

from django.urls import include, path

from shop import api_views

app_name = "api"

urlpatterns = [
    path("", api_views.index, name="index"),
    path("", include("search.api_urls")),
    path("", include("catalog.pricing.api_urls")),
    path("", include("invoicing.serials_api")),
    path("cabinet/", include("cabinet.api_urls")),
]
