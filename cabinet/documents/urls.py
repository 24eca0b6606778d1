"""The document archive (/cabinet/documents/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.documents import views

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("zip/", views.documents_zip, name="documents-zip"),
    path("send/", views.document_send_view, name="documents-send"),
    path("certificates/<int:pk>/", views.certificate_file, name="document-certificate"),
    path("bundles/<int:pk>/", views.bundle_detail, name="document-bundle"),
    path(
        "bundles/<int:pk>/download/",
        views.bundle_download,
        name="document-bundle-download",
    ),
]
