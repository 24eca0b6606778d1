"""Counted downloads (/downloads/): `content.downloads`."""

from django.urls import path

from content import downloads

app_name = "downloads"

urlpatterns = [
    path("<int:document_id>/", downloads.document, name="document"),
]
