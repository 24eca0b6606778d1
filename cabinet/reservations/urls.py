"""Reservation pages (/cabinet/reservations/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.reservations import views

urlpatterns = [
    path("", views.reservation_list, name="reservations"),
    path("create/", views.reservation_create, name="reservation-create"),
    path("settings/", views.reservation_settings, name="reservation-settings"),
    path("<str:number>/", views.reservation_detail, name="reservation-detail"),
    path(
        "<str:number>/convert/",
        views.reservation_convert_view,
        name="reservation-convert",
    ),
    path(
        "<str:number>/extend/", views.reservation_extend_view, name="reservation-extend"
    ),
    path(
        "<str:number>/cancel/", views.reservation_cancel_view, name="reservation-cancel"
    ),
]
