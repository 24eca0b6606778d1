"""Pricing section of the dashboard (/dashboard/pricing/)."""

from django.urls import path

from catalog.pricing import dashboard_views as views

app_name = "dashboard-pricing"

urlpatterns = [
    path("", views.price_list_list, name="lists"),
    path("lists/new/", views.price_list_create, name="list-create"),
    path("lists/<int:pk>/", views.price_list_detail, name="list-detail"),
    path("companies/", views.company_list, name="companies"),
    path("companies/<int:pk>/", views.company_detail, name="company"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("explain/", views.price_explain, name="explain"),
]
