"""Payment endpoints under /payments/."""

from django.urls import path

from invoicing import views

app_name = "invoicing"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
]
