"""Quick order pages (/cabinet/quick-order/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.quickorder import views

urlpatterns = [
    path("", views.quick_order, name="quick-order"),
    path("add/", views.quick_order_add, name="quick-order-add"),
]
