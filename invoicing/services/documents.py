"""The PDFs of invoices, credit notes, delivery notes, УПД, statements and basket
quotes. Invoices, credit notes and delivery notes are rendered once and stored (a
background task after the document is issued, or the first download, whichever
comes first); the УПД, statements and quotes are rendered on request from data that
is already fixed (the order, the payments) or is the buyer's own (the basket)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, membership_require
from invoicing.exceptions import InvoicingError
from invoicing.models import (
    DeliveryNote,
    DocumentKind,
    Invoice,
    InvoiceStatus,
    Payment,
    SellerEntity,
)
from invoicing.pdf.documents import (
    amount_in_words,
    currency_label,
    document_rows,
    payment_qr_data_uri,
    rows_total,
    vat_breakdown,
)
from invoicing.pdf.render import pdf_render, sha256_hex

# A module import: invoicing.services.invoices imports the tasks, which import this.
from invoicing.services import invoices as invoice_service
from sales.order.selectors import order_backorders


@dataclass(frozen=True)
class Party:
    """A side of a document as the forms print it."""

    name: str
    tax_id: str
    kpp: str
    address: str


def _seller_party(seller: SellerEntity) -> Party:
    return Party(seller.legal_name, seller.tax_id, seller.kpp, seller.legal_address)


def _company_party(company) -> Party:
    if company is None:
        return Party("", "", "", "")
    return Party(company.legal_name, company.tax_id, company.kpp, company.legal_address)


def _words(amount, currency: str, language: str) -> str:
    return amount_in_words(amount=amount, currency=currency, language=language)


INVOICE_TEMPLATE = "invoicing/pdf/invoice.html"


def invoice_pdf_context(*, invoice: Invoice) -> dict:
    """What the invoice template prints (the PDF and the Factur-X PDF alike)."""
    lines = list(invoice.lines.all())
    rows = document_rows(lines)
    return {
        "invoice": invoice,
        "rows": rows,
        "supplier": Party(
            invoice.seller_name,
            invoice.seller_tax_id,
            invoice.seller_kpp,
            invoice.seller_address,
        ),
        "buyer": Party(
            invoice.payer_name,
            invoice.payer_tax_id,
            invoice.payer_kpp,
            invoice.payer_address,
        ),
        "backorders": order_backorders(order=invoice.order) if invoice.order_id else [],
        "vat_rows": vat_breakdown(rows),
        "amount_words": _words(
            invoice.total_incl_vat, invoice.currency, invoice.language
        ),
        "qr": payment_qr_data_uri(invoice)
        if invoice.kind == DocumentKind.INVOICE and invoice.currency == "RUB"
        else "",
    }


def invoice_pdf_bytes(*, invoice: Invoice) -> bytes:
    return pdf_render(
        template=INVOICE_TEMPLATE,
        context=invoice_pdf_context(invoice=invoice),
        language=invoice.language,
    )


def invoice_pdf_render(*, invoice: Invoice) -> Invoice:
    """Render and store the PDF once; the stored file and its hash never change
    (the row lock makes a download and the background task agree)."""
    if invoice.pdf:
        return invoice
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.pdf:
            return invoice
        data = invoice_pdf_bytes(invoice=invoice)
        invoice.pdf.save(
            f"invoice-{invoice.display_number}.pdf", ContentFile(data), save=False
        )
        invoice.pdf_sha256 = sha256_hex(data)
        invoice.save(update_fields=["pdf", "pdf_sha256"])
    return invoice


def delivery_note_language(note: DeliveryNote) -> str:
    """The language of the order's buyer, as the note's and the УПД's."""
    user = note.order.user
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _shipment_context(*, note: DeliveryNote, language: str) -> dict:
    """What the delivery note and the УПД print: the order's lines priced as
    ordered, the parties (the payer as invoiced, else the company), the order's
    invoice and the payments received against it."""
    order = note.order
    invoice = (
        Invoice.objects.invoices()
        .filter(order=order)
        .exclude(status=InvoiceStatus.CANCELLED)
        .first()
    )
    payments = (
        list(
            Payment.objects.received()
            .filter(allocations__invoice=invoice)
            .distinct()
            .order_by("received_on", "pk")
        )
        if invoice
        else []
    )
    with translation.override(language):
        rows = document_rows(invoice_service.lines_from_order(order))
    totals = rows_total(rows)
    if invoice is not None:
        buyer = Party(
            invoice.payer_name,
            invoice.payer_tax_id,
            invoice.payer_kpp,
            invoice.payer_address,
        )
    else:
        buyer = _company_party(order.company)
    currency_name, currency_code = currency_label(order.currency, language=language)
    return {
        "note": note,
        "order": order,
        "invoice": invoice,
        "payments": payments,
        "seller": note.seller,
        "supplier": _seller_party(note.seller),
        "buyer": buyer,
        "ship_to": order.shipping_address.summary if order.shipping_address else "",
        "rows": rows,
        "totals": totals,
        "vat_rows": vat_breakdown(rows),
        "ship_date": timezone.localdate(note.issued_at),
        "currency": order.currency,
        "currency_name": currency_name,
        "currency_code": currency_code,
        "amount_words": _words(totals.incl, order.currency, language),
        "language": language,
    }


def delivery_note_pdf_render(*, note: DeliveryNote) -> DeliveryNote:
    """Render and store the delivery note's PDF once (locked as the invoice's)."""
    if note.pdf:
        return note
    with transaction.atomic():
        note = DeliveryNote.objects.select_for_update().get(pk=note.pk)
        if note.pdf:
            return note
        language = delivery_note_language(note)
        data = pdf_render(
            template="invoicing/pdf/delivery_note.html",
            context=_shipment_context(note=note, language=language),
            language=language,
        )
        note.pdf.save(f"delivery-note-{note}.pdf", ContentFile(data), save=False)
        note.pdf_sha256 = sha256_hex(data)
        note.save(update_fields=["pdf", "pdf_sha256"])
    return note


def upd_pdf_bytes(*, note: DeliveryNote, language: str | None = None) -> bytes:
    """The universal transfer document (УПД, status 1: invoice and transfer act in
    one) of a delivery note, A4 landscape."""
    language = language or delivery_note_language(note)
    return pdf_render(
        template="invoicing/pdf/upd.html",
        context=_shipment_context(note=note, language=language),
        language=language,
    )


def statement_pdf_bytes(*, statement, language: str) -> bytes:
    closing = statement.closing
    return pdf_render(
        template="invoicing/pdf/statement.html",
        context={
            "statement": statement,
            "seller": statement.seller,
            "seller_party": _seller_party(statement.seller),
            "buyer": _company_party(statement.company),
            "opening_abs": abs(statement.opening),
            "closing_abs": abs(closing),
            "closing_words": _words(abs(closing), statement.currency, language),
            "language": language,
        },
        language=language,
    )


def quote_number(*, basket, today: date) -> str:
    return f"Q-{basket.pk}-{today:%y%m%d}"


def basket_quote_pdf_bytes(
    *,
    basket,
    membership: Membership | None,
    language: str,
    today: date | None = None,
) -> bytes:
    """A commercial proposal of the basket at the prices its strategy gives the
    buyer, with what ships now and what later per line; valid for
    `SHOP_QUOTE_VALID_DAYS` days."""
    membership_require(membership, "order")
    if basket.is_empty:
        raise InvoicingError(_("Your basket is empty."))
    seller = invoice_service.seller_default()
    today = today or timezone.localdate()
    with translation.override(language):
        drafts = invoice_service.lines_from_basket(basket)
    promises = []
    for line in basket.all_lines():
        promise = getattr(line.purchase_info.availability, "promise", None)
        promises.append(promise(line.quantity) if promise else None)
    rows = document_rows(drafts, promises=promises)
    totals = rows_total(rows)
    valid_days = settings.SHOP_QUOTE_VALID_DAYS
    return pdf_render(
        template="invoicing/pdf/quote.html",
        context={
            "number": quote_number(basket=basket, today=today),
            "date": today,
            "valid_until": today + timedelta(days=valid_days),
            "seller": seller,
            "supplier": _seller_party(seller),
            "buyer": _company_party(membership.company),
            "contact": membership.user,
            "rows": rows,
            "totals": totals,
            "vat_rows": vat_breakdown(rows),
            "currency": basket.currency,
            "amount_words": _words(totals.incl, basket.currency, language),
            "any_later": any(p is not None and p.short for p in promises),
            "language": language,
        },
        language=language,
    )
