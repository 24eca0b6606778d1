"""The PDFs of invoices, credit notes, delivery notes and statements: rendered once
and stored (a background task after the document is issued, or the first download,
whichever comes first), statements on request."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from invoicing.models import DeliveryNote, DocumentKind, Invoice
from invoicing.pdf.documents import amount_in_words, payment_qr_data_uri, vat_breakdown
from invoicing.pdf.render import pdf_render, sha256_hex
from sales.order.selectors import order_backorders


def invoice_pdf_bytes(*, invoice: Invoice) -> bytes:
    lines = list(invoice.lines.all())
    context = {
        "invoice": invoice,
        "lines": lines,
        "backorders": order_backorders(order=invoice.order) if invoice.order_id else [],
        "vat_rows": vat_breakdown(lines),
        "amount_words": amount_in_words(
            amount=invoice.total_incl_vat,
            currency=invoice.currency,
            language=invoice.language,
        ),
        "qr": payment_qr_data_uri(invoice)
        if invoice.kind == DocumentKind.INVOICE and invoice.currency == "RUB"
        else "",
    }
    return pdf_render(
        template="invoicing/pdf/invoice.html",
        context=context,
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


def delivery_note_pdf_render(*, note: DeliveryNote) -> DeliveryNote:
    """Render and store the delivery note's PDF once (locked as the invoice's)."""
    if note.pdf:
        return note
    with transaction.atomic():
        note = DeliveryNote.objects.select_for_update().get(pk=note.pk)
        if note.pdf:
            return note
        order = note.order
        language = getattr(order.user, "language", "") or settings.LANGUAGE_CODE
        data = pdf_render(
            template="invoicing/pdf/delivery_note.html",
            context={
                "note": note,
                "order": order,
                "company": order.company,
                "lines": list(order.lines.all()),
                "language": language,
            },
            language=language,
        )
        note.pdf.save(f"delivery-note-{note}.pdf", ContentFile(data), save=False)
        note.pdf_sha256 = sha256_hex(data)
        note.save(update_fields=["pdf", "pdf_sha256"])
    return note


def statement_pdf_bytes(*, statement, language: str) -> bytes:
    return pdf_render(
        template="invoicing/pdf/statement.html",
        context={"statement": statement, "language": language},
        language=language,
    )
