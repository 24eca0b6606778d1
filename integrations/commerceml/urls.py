"""The 1C exchange URL (/exchange/1c/), namespace `commerceml`."""

from django.urls import path

from integrations.commerceml import views

app_name = "commerceml"

urlpatterns = [path("", views.exchange, name="exchange")]
