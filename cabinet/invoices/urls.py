"""Cabinet invoice pages (/cabinet/invoices/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.invoices import views

urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("<int:pk>/facturx.pdf", views.invoice_facturx, name="invoice-facturx"),
    path("<int:pk>/ubl.xml", views.invoice_ubl, name="invoice-ubl"),
    path("<int:pk>/pay/", views.invoice_pay, name="invoice-pay"),
    path("from-basket/", views.invoice_from_basket, name="invoice-issue-basket"),
    path(
        "for-order/<int:order_pk>/", views.invoice_for_order, name="invoice-issue-order"
    ),
    path(
        "delivery-notes/<int:pk>/pdf/",
        views.delivery_note_pdf,
        name="delivery-note-pdf",
    ),
    path(
        "delivery-notes/<int:pk>/upd/",
        views.upd_pdf,
        name="upd-pdf",
    ),
    path("statement/", views.statement, name="statement"),
    path("quote.pdf", views.basket_quote, name="basket-quote"),
]
