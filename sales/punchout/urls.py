"""Punchout URLs (/punchout/), namespace `punchout`: SAP OCI 4.0 and cXML 1.2."""

from django.urls import path

from sales.punchout import views

app_name = "punchout"

urlpatterns = [
    path("oci/", views.oci_entry, name="oci"),
    path("oci/transfer/", views.oci_transfer, name="oci-transfer"),
    path("cxml/setup/", views.cxml_setup, name="cxml-setup"),
    path("cxml/start/<str:token>/", views.cxml_start, name="cxml-start"),
    path("cxml/transfer/", views.cxml_transfer, name="cxml-transfer"),
]
