"""Issuing invoices: numbering, immutability, credit notes, PDF contents."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from pypdf import PdfReader

from accounts.models import LegalEntity
from invoicing.exceptions import DocumentImmutableError, InvoicingError
from invoicing.models import DocumentKind, Invoice, InvoiceStatus
from invoicing.pdf.documents import payment_qr_payload
from invoicing.pdf.render import LocalURLFetcher
from invoicing.services.documents import invoice_pdf_render
from invoicing.services.invoices import credit_note_issue, invoice_issue_from_basket
from tests.factories import CompanyFactory, UserFactory
from tests.invoicing.factories import (
    basket_make,
    draft_line,
    invoice_make,
    stockrecord_make,
)

pytestmark = pytest.mark.django_db


def pdf_text(invoice) -> str:
    invoice.pdf.open("rb")
    try:
        reader = PdfReader(io.BytesIO(invoice.pdf.read()))
    finally:
        invoice.pdf.close()
    return "\n".join(page.extract_text() for page in reader.pages)


def test_numbers_are_sequential_and_a_rollback_gives_the_number_back(seller, company):
    first = invoice_make(company=company)
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_make(company=company)
        raise RuntimeError("the order failed after the invoice was numbered")
    second = invoice_make(company=company)

    assert (first.number, second.number) == (1, 2)
    assert Invoice.objects.count() == 2
    assert first.display_number == f"{first.year}-00001"


def test_credit_notes_have_their_own_sequence(seller, company):
    invoice = invoice_make(company=company)
    other = invoice_make(company=company)

    note = credit_note_issue(invoice=invoice, issued_by=None)

    invoice.refresh_from_db()
    assert (note.kind, note.number, note.corrects) == (
        DocumentKind.CREDIT_NOTE,
        1,
        invoice,
    )
    assert note.total_incl_vat == invoice.total_incl_vat
    assert invoice.status == InvoiceStatus.CANCELLED
    assert other.number == 2


def test_editing_an_issued_invoice_is_refused_and_nothing_changes(seller, company):
    invoice = invoice_make(company=company)

    invoice.total_excl_vat = Decimal("1.00")
    with pytest.raises(DocumentImmutableError):
        invoice.save()
    with pytest.raises(DocumentImmutableError):
        invoice.save(update_fields=["total_excl_vat"])
    line = invoice.lines.get()
    line.quantity = 99
    with pytest.raises(DocumentImmutableError):
        line.save()
    with pytest.raises(DocumentImmutableError):
        invoice.delete()

    fresh = Invoice.objects.get(pk=invoice.pk)
    assert fresh.total_excl_vat == Decimal("100.00")
    assert fresh.lines.get().quantity == 1


def test_invoice_totals_and_vat_breakdown_per_rate(seller, company):
    invoice = invoice_make(
        company=company,
        lines=[
            draft_line(quantity=3, price="10.00", vat="20"),
            draft_line(quantity=1, price="50.00", vat="10"),
            draft_line(quantity=2, price="7.50", vat="0"),
        ],
    )

    assert invoice.total_excl_vat == Decimal("95.00")
    assert invoice.total_vat == Decimal("11.00")
    assert invoice.total_incl_vat == Decimal("106.00")
    assert invoice.due_date == invoice.issue_date + timedelta(days=5)


def test_invoice_from_basket_snapshots_the_chosen_legal_entity(seller, company, buyer):
    entity = LegalEntity.objects.create(
        company=company,
        legal_name="АО «Завод-2»",
        tax_id="7736207543",
        kpp="773601001",
        legal_address="Тула",
    )
    basket = basket_make(user=buyer, items=[(stockrecord_make(price="250.00"), 4)])

    invoice = invoice_issue_from_basket(
        basket=basket, membership=buyer.memberships.get(), legal_entity=entity
    )
    entity.legal_name = "Renamed later"
    entity.save()

    invoice.refresh_from_db()
    assert (invoice.payer_name, invoice.payer_tax_id) == ("АО «Завод-2»", "7736207543")
    line = invoice.lines.get()
    assert (line.quantity, line.unit_price_excl_vat, line.amount_incl_vat) == (
        4,
        Decimal("250.00"),
        Decimal("1200.00"),
    )
    assert invoice.total_vat == Decimal("200.00")


def test_foreign_legal_entity_is_refused(seller, company, buyer):
    foreign = LegalEntity.objects.create(
        company=CompanyFactory(), legal_name="X", tax_id="7702070139"
    )
    basket = basket_make(user=buyer, items=[(stockrecord_make(), 1)])

    with pytest.raises(InvoicingError):
        invoice_issue_from_basket(
            basket=basket, membership=buyer.memberships.get(), legal_entity=foreign
        )
    assert Invoice.objects.count() == 0


def test_pdf_contains_number_parties_lines_and_totals(seller, company):
    lines = [
        draft_line(title=f"Bearing {i:02d}", article=f"ART-{i:02d}", quantity=i)
        for i in range(1, 21)
    ]
    invoice = invoice_make(company=company, lines=lines)

    invoice = invoice_pdf_render(invoice=invoice)

    text = pdf_text(invoice)
    assert invoice.display_number in text
    assert company.legal_name in text
    assert "ООО «Промснаб»" in text
    for i in range(1, 21):
        assert f"Bearing {i:02d}" in text
        assert f"ART-{i:02d}" in text
    flat = text.replace(" ", "")
    # 210 units × 100.00 net, 20 % VAT (an English invoice: "21,000.00")
    assert "21,000.00" in flat
    assert "4,200.00" in flat
    assert "25,200.00" in flat
    invoice.pdf.open("rb")
    assert hashlib.sha256(invoice.pdf.read()).hexdigest() == invoice.pdf_sha256
    invoice.pdf.close()


def test_pdf_in_the_buyers_language_with_amount_in_words(seller, company):
    user = UserFactory(language="ru")
    invoice = invoice_make(company=company, issued_by=user)

    invoice = invoice_pdf_render(invoice=invoice)

    text = pdf_text(invoice)
    assert invoice.language == "ru"
    assert "Счёт на оплату" in text
    assert "Сто двадцать рублей" in text


def test_rendered_pdf_is_kept_once(seller, company):
    invoice = invoice_pdf_render(invoice=invoice_make(company=company))
    name, digest = invoice.pdf.name, invoice.pdf_sha256

    again = invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))

    assert (again.pdf.name, again.pdf_sha256) == (name, digest)


def test_payment_qr_uses_the_st00012_format(seller, company):
    invoice = invoice_make(company=company)

    payload = payment_qr_payload(invoice)

    assert payload.startswith(
        "ST00012|Name=ООО «Промснаб»|PersonalAcc=40702810900000000001"
    )
    assert "|BIC=044525225|" in payload
    assert "|Sum=12000|" in payload


def test_documents_never_fetch_remote_urls():
    fetcher = LocalURLFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/x.css")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
