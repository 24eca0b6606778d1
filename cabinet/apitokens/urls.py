"""API token pages (/cabinet/api-tokens/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.apitokens import views

urlpatterns = [
    path("", views.token_index, name="api-tokens"),
    path("<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
]
