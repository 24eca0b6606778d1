"""Page 1 of every document kind as a PNG in tests/artifacts/ (60 dpi, to look at
in review); the quote's is written by its view test."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from invoicing.selectors import statement_for_company
from invoicing.services.documents import (
    delivery_note_pdf_render,
    invoice_pdf_bytes,
    statement_pdf_bytes,
    upd_pdf_bytes,
)
from invoicing.services.invoices import credit_note_issue
from tests.documents_pdf.pdfcheck import png_page_one

pytestmark = pytest.mark.django_db


def _statement(company, seller, language):
    today = timezone.localdate()
    with translation.override(language):
        statement = statement_for_company(
            company=company, start=today - timedelta(days=30), end=today, seller=seller
        )
    return statement_pdf_bytes(statement=statement, language=language)


def test_page_one_of_every_kind_as_png(invoice_ru, invoice_en, shipped, seller):
    note = credit_note_issue(invoice=invoice_ru, issued_by=None)
    documents = {
        "invoice-ru": invoice_pdf_bytes(invoice=invoice_ru),
        "invoice-en": invoice_pdf_bytes(invoice=invoice_en),
        "credit-note": invoice_pdf_bytes(invoice=note),
        "upd": upd_pdf_bytes(note=shipped),
        "statement": _statement(shipped.company, seller, "ru"),
        "delivery-note": delivery_note_pdf_render(note=shipped).pdf.read(),
    }
    for name, data in documents.items():
        png = png_page_one(data, name)
        assert png.stat().st_size > 5_000, name
