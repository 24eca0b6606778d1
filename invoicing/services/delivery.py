"""Delivery notes: numbered when an order ships, with their PDF."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from invoicing.models import DeliveryNote, DocumentKind
from invoicing.pdf.render import pdf_render, sha256_hex
from invoicing.services.invoices import seller_default
from invoicing.services.numbering import document_number_next


@transaction.atomic
def delivery_note_issue(*, order) -> DeliveryNote:
    """The delivery note of a shipped order (issued once)."""
    existing = DeliveryNote.objects.filter(order=order).first()
    if existing is not None:
        return existing
    seller = seller_default()
    year = timezone.localdate().year
    note = DeliveryNote.objects.create(
        seller=seller,
        year=year,
        number=document_number_next(
            seller=seller, kind=DocumentKind.DELIVERY_NOTE, year=year
        ),
        order=order,
        company_id=order.company_id,
    )
    if getattr(settings, "INVOICING_RENDER_PDF_ON_COMMIT", True):
        note_id = note.pk
        transaction.on_commit(
            lambda: delivery_note_pdf_render(note=DeliveryNote.objects.get(pk=note_id))
        )
    return note


def delivery_note_pdf_render(*, note: DeliveryNote) -> DeliveryNote:
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
