"""Customer cabinet URLs (/cabinet/). Each flow has its own module of patterns."""

from django.urls import include, path

from cabinet import views

app_name = "cabinet"

urlpatterns = [
    path("", views.home, name="home"),
    path("manager/message/", views.manager_message, name="manager-message"),
    path("orders/", include("cabinet.order_urls")),
    path("quick-order/", include("cabinet.quickorder_urls")),
    path("lists/", include("cabinet.list_urls")),
    path("invoices/", include("cabinet.invoice_urls")),
]
