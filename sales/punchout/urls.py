"""Punchout URLs (/punchout/), namespace `punchout`."""

from django.urls import path

from sales.punchout import views

app_name = "punchout"

urlpatterns = [
    path("oci/", views.oci_entry, name="oci"),
    path("oci/transfer/", views.oci_transfer, name="oci-transfer"),
]
