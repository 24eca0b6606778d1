"""Catalog sections of the dashboard (/dashboard/catalog/): import and export jobs,
relations, certificates."""

from django.urls import path

from catalog import dashboard_views as views
from catalog.importing import views as jobs

app_name = "dashboard-catalog"

urlpatterns = [
    path("import/", jobs.catalog_import_view, name="import"),
    path("export/", jobs.catalog_export_view, name="export"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", jobs.job_progress, name="job-progress"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job-download"),
    path(
        "products/<int:pk>/relations/", views.product_relations_view, name="relations"
    ),
    path(
        "products/<int:pk>/certificates/",
        views.product_certificates_view,
        name="certificates",
    ),
]
