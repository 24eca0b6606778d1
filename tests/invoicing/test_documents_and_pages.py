"""Statements, delivery notes, cabinet invoice pages and the staff dashboard; one
test walks order → invoice → payment → paid."""

import io
from datetime import timedelta
from decimal import Decimal
from random import Random

import pytest
from django.test import Client
from django.utils import timezone
from oscar.apps.basket import middleware as basket_middleware
from oscar.apps.order.processing import EventHandler
from pypdf import PdfReader

from invoicing.demo import build_demo_invoicing
from invoicing.models import (
    CreditAccount,
    DeliveryNote,
    Invoice,
    InvoiceStatus,
    Payment,
    SellerEntity,
)
from invoicing.selectors import (
    credit_status,
    documents_for_order,
    statement_for_company,
)
from invoicing.services.documents import delivery_note_pdf_render, statement_pdf_bytes
from invoicing.services.payments import bank_payment_record
from sales.order.models import Order, PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import (
    CreditAccountFactory,
    VatStrategy,
    basket_make,
    invoice_make,
    stockrecord_make,
)

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


class _Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return VatStrategy()


@pytest.fixture
def vat_strategy(monkeypatch):
    monkeypatch.setattr(basket_middleware, "selector", _Selector())


@pytest.fixture
def accountant_client(client, company):
    client.force_login(MembershipFactory(company=company, role="accountant").user)
    return client


def place_order(client, basket, method=PaymentMethod.ON_ACCOUNT):
    return client.post(
        "/checkout/",
        {
            "basket_id": basket.pk,
            "address": "new",
            "recipient": "Ivan Petrov",
            "line1": "ul. Lenina, 1",
            "city": "Tula",
            "payer": "own",
            "payment_method": method,
            "po_number": "PO-1",
        },
    )


def test_order_invoice_payment_paid_end_to_end(
    vat_strategy, buyer_client, buyer, company, seller, staff_user
):
    CreditAccountFactory(company=company, credit_limit=Decimal("5000.00"))
    basket = basket_make(user=buyer, items=[(stockrecord_make(price="1000.00"), 3)])

    place_order(buyer_client, basket)
    order = Order.objects.get()
    invoice = Invoice.objects.get(order=order)
    assert (invoice.status, invoice.total_incl_vat) == (
        InvoiceStatus.ISSUED,
        Decimal("3600.00"),
    )
    assert credit_status(company=company).available == Decimal("1400.00")
    listing = buyer_client.get("/cabinet/invoices/").content.decode()
    assert invoice.display_number in listing

    staff_client = Client()
    staff_client.force_login(staff_user)
    for amount in ("1000.00", "2600.00"):
        response = staff_client.post(
            f"/dashboard/invoicing/payments/new/?invoice={invoice.pk}",
            {
                "company": company.pk,
                "amount": amount,
                "received_on": timezone.localdate().isoformat(),
                "reference": "PP-9",
            },
        )
        assert response.status_code == 302

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("3600.00"),
    )
    assert credit_status(company=company).available == Decimal("5000.00")
    pdf = buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert invoice.display_number in text_of(b"".join(pdf.streaming_content))


def test_dashboard_refuses_a_negative_payment_and_changes_nothing(
    client, staff_user, seller, company
):
    invoice = invoice_make(company=company)
    client.force_login(staff_user)

    response = client.post(
        f"/dashboard/invoicing/payments/new/?invoice={invoice.pk}",
        {
            "company": company.pk,
            "amount": "-5.00",
            "received_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert Payment.objects.count() == 0
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("0.00")


def test_dashboard_is_for_staff_only(buyer_client, seller, company):
    invoice = invoice_make(company=company)

    assert buyer_client.get("/dashboard/invoicing/").status_code == 403
    assert buyer_client.get(f"/dashboard/invoicing/{invoice.pk}/").status_code == 403


def test_dashboard_list_and_detail_query_budget(
    client, staff_user, seller, django_assert_max_num_queries
):
    invoices = [invoice_make(company=CompanyFactory()) for _i in range(30)]
    invoice = invoices[0]
    client.force_login(staff_user)

    with django_assert_max_num_queries(25):
        assert client.get("/dashboard/invoicing/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/dashboard/invoicing/{invoice.pk}/").status_code == 200


def test_dashboard_credit_note_cancels_the_invoice(client, staff_user, seller, company):
    invoice = invoice_make(company=company)
    client.force_login(staff_user)

    client.post(f"/dashboard/invoicing/{invoice.pk}/credit-note/")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice.credit_notes.get().total_incl_vat == invoice.total_incl_vat


def test_cabinet_list_shows_own_invoices_within_a_query_budget(
    buyer_client, company, seller, credit_account, django_assert_max_num_queries
):
    own = [invoice_make(company=company) for _i in range(10)]
    foreign = invoice_make(company=CompanyFactory())

    with django_assert_max_num_queries(22):
        response = buyer_client.get("/cabinet/invoices/")

    body = response.content.decode()
    assert response.status_code == 200
    assert all(i.display_number in body for i in own)
    assert foreign.display_number not in body
    assert 'id="credit-status"' in body


def test_a_foreign_companys_invoice_is_not_found(buyer_client, seller):
    foreign = invoice_make(company=CompanyFactory())

    assert buyer_client.get(f"/cabinet/invoices/{foreign.pk}/pdf/").status_code == 404
    assert buyer_client.get(f"/cabinet/invoices/{foreign.pk}/pay/").status_code == 404
    foreign.refresh_from_db()
    assert not foreign.pdf


def test_buyer_issues_an_invoice_from_the_basket(
    vat_strategy, buyer_client, buyer, company, seller
):
    basket_make(user=buyer, items=[(stockrecord_make(price="10.00"), 5)])

    response = buyer_client.post("/cabinet/invoices/from-basket/")

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert (invoice.company, invoice.order, invoice.total_incl_vat) == (
        company,
        None,
        Decimal("60.00"),
    )
    assert invoice.payment_method == PaymentMethod.BANK_TRANSFER


def test_statement_of_account_pdf(accountant_client, company, seller):
    first = invoice_make(company=company)
    bank_payment_record(
        company=company,
        amount=Decimal("50.00"),
        received_on=timezone.localdate(),
        reference="PP-42",
        recorded_by=None,
        invoice=first,
    )
    today = timezone.localdate()
    statement = statement_for_company(
        company=company, start=today - timedelta(days=1), end=today, seller=seller
    )
    assert (statement.opening, statement.credit_total) == (
        Decimal("0.00"),
        Decimal("50.00"),
    )

    response = accountant_client.get(
        "/cabinet/invoices/statement/",
        {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )

    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert company.legal_name in text
    assert "PP-42" in text
    assert "Statement of account" in text


def test_statement_needs_finance_rights(buyer_client, seller):
    assert buyer_client.get("/cabinet/invoices/statement/").status_code == 403


def test_statement_pdf_in_russian(company, seller):
    today = timezone.localdate()
    statement = statement_for_company(
        company=company, start=today, end=today, seller=seller
    )

    text = text_of(statement_pdf_bytes(statement=statement, language="ru"))

    assert "Акт сверки" in text


def test_a_shipped_order_gets_a_delivery_note_listed_with_its_invoice(
    vat_strategy, buyer_client, buyer, company, seller, staff_user
):
    basket = basket_make(user=buyer, items=[(stockrecord_make(price="10.00"), 2)])
    place_order(buyer_client, basket, PaymentMethod.BANK_TRANSFER)
    order = Order.objects.get()

    EventHandler(staff_user).handle_order_status_change(order, "Processing")
    EventHandler(staff_user).handle_order_status_change(order, "Shipped")

    note = delivery_note_pdf_render(note=DeliveryNote.objects.get(order=order))
    assert order.number in text_of(note.pdf.read())
    kinds = [d.kind for d in documents_for_order(order=order)]
    assert sorted(kinds) == ["delivery_note", "invoice"]
    response = buyer_client.get(f"/cabinet/invoices/delivery-notes/{note.pk}/pdf/")
    assert response.status_code == 200


def test_pay_by_card_page_and_confirmation(buyer_client, company, seller, fake_stripe):
    invoice = invoice_make(company=company)

    page = buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pay/")
    declined = buyer_client.post(
        f"/cabinet/invoices/{invoice.pk}/pay/",
        {"payment_method": "pm_card_chargeDeclined"},
        follow=True,
    )
    paid = buyer_client.post(
        f"/cabinet/invoices/{invoice.pk}/pay/", {"payment_method": "pm_card_visa"}
    )

    invoice.refresh_from_db()
    assert page.status_code == 200
    assert 'id="card-form"' in page.content.decode()
    assert "Your card was declined." in declined.content.decode()
    assert paid.status_code == 302
    assert invoice.status == InvoiceStatus.PAID
    assert buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pay/").status_code == 302


def test_demo_builds_the_seller_and_credit_accounts(db):
    companies = {key: CompanyFactory() for key in ("stroymontazh", "zavod", "dealer")}

    build_demo_invoicing(rng=Random(1), companies=companies)
    build_demo_invoicing(rng=Random(1), companies=companies)

    assert SellerEntity.objects.get(is_default=True).bank_bik == "044525225"
    assert CreditAccount.objects.count() == 3
    assert credit_status(company=companies["zavod"]).limit == Decimal("3000000.00")
