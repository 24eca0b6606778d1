"""Cabinet order pages (/cabinet/orders/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.orders import views

urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("basket/add/", views.basket_add, name="basket-add"),
    path("<str:number>/", views.order_detail, name="order-detail"),
    path("<str:number>/reorder/", views.order_reorder_view, name="order-reorder"),
]
