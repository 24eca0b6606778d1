"""Cabinet API (/api/v1/cabinet/): the same flows as the pages, as JSON."""

from django.urls import include, path

urlpatterns = [
    path("orders/", include("cabinet.api_orders")),
    path("quick-order/", include("cabinet.api_quickorder")),
    path("lists/", include("cabinet.api_lists")),
    path("basket/", include("cabinet.api_basket")),
]
