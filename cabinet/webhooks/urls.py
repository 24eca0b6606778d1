"""Webhook pages (/cabinet/webhooks/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.webhooks import views

urlpatterns = [
    path("", views.webhook_index, name="webhooks"),
    path("<int:pk>/active/", views.endpoint_active, name="webhook-endpoint-active"),
    path("<int:pk>/delete/", views.endpoint_delete, name="webhook-endpoint-delete"),
    path("<int:pk>/test/", views.endpoint_test, name="webhook-endpoint-test"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="webhook-delivery-detail"),
    path(
        "deliveries/<int:pk>/resend/",
        views.delivery_resend,
        name="webhook-delivery-resend",
    ),
]
