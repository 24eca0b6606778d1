"""Delivery notes: numbered when an order ships; the PDF follows in a background task."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit
from invoicing.models import DeliveryNote, DocumentKind
from invoicing.serials import serials_attach_delivery_note
from invoicing.services.invoices import seller_default
from invoicing.services.numbering import document_number_next
from invoicing.tasks import delivery_note_pdf_task


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
    serials_attach_delivery_note(note=note)
    if getattr(settings, "INVOICING_RENDER_PDF_ON_COMMIT", True):
        enqueue_on_commit(delivery_note_pdf_task, note_id=note.pk)
    return note
