"""Cabinet API (/api/v1/cabinet/): the same flows as the pages, as JSON. Each feature
package's `api` module carries its endpoints and their patterns."""

from django.urls import include, path

urlpatterns = [
    path("orders/", include("cabinet.orders.api")),
    path("quick-order/", include("cabinet.quickorder.api")),
    path("lists/", include("cabinet.lists.api")),
    path("basket/", include("cabinet.basket.api")),
    path("requisitions/", include("cabinet.approvals.api")),
    path("reservations/", include("cabinet.reservations.api")),
    path("invoices/", include("cabinet.invoices.api")),
]
