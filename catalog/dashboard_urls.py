"""Catalog sections of the dashboard (/dashboard/catalog/): import, export, relations."""

from django.urls import path

from catalog import dashboard_views as views

app_name = "dashboard-catalog"

urlpatterns = [
    path("import/", views.catalog_import_view, name="import"),
    path("export/", views.catalog_export_view, name="export"),
    path(
        "products/<int:pk>/relations/", views.product_relations_view, name="relations"
    ),
]
