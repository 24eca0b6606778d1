"""The "Serial numbers" section of Oscar's dashboard (/dashboard/serials/)."""

from django.urls import path

from invoicing import serials_dashboard as views

app_name = "dashboard-serials"

urlpatterns = [
    path("", views.serials_index, name="index"),
    path("orders/<str:number>/", views.serials_order, name="order"),
]
