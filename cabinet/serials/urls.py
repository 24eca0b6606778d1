"""Serial numbers of delivered goods (/cabinet/serials/), under the `cabinet`
namespace."""

from django.urls import path

from cabinet.serials import views

urlpatterns = [path("", views.serials_index, name="serials")]
