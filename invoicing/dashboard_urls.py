"""The "Invoicing" section of Oscar's dashboard (/dashboard/invoicing/)."""

from django.urls import path

from invoicing import dashboard_views as views

app_name = "dashboard-invoicing"

urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("<int:pk>/credit-note/", views.invoice_credit_note, name="credit-note"),
    path("payments/new/", views.payment_create, name="payment-create"),
    path("payments/<int:pk>/refund/", views.payment_refund_view, name="payment-refund"),
]
