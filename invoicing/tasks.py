"""Background tasks of invoicing (django-tasks, retried by `core.tasks`): the PDFs of
issued documents and the daily overdue run. Each is idempotent: a document that has
its PDF is left alone, an invoice already overdue is not marked or mailed again."""

from django.utils import timezone

from core.tasks import background_task
from invoicing.models import DeliveryNote, Invoice
from invoicing.services.documents import delivery_note_pdf_render, invoice_pdf_render
from invoicing.services.overdue import invoices_mark_overdue


@background_task()
def invoice_pdf_task(*, invoice_id: int) -> bool:
    """Render and store an invoice's (or credit note's) PDF; False when it had one
    already or the invoice is gone."""
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None or invoice.pdf:
        return False
    invoice_pdf_render(invoice=invoice)
    return True


@background_task()
def delivery_note_pdf_task(*, note_id: int) -> bool:
    note = DeliveryNote.objects.filter(pk=note_id).first()
    if note is None or note.pdf:
        return False
    delivery_note_pdf_render(note=note)
    return True


@background_task()
def mark_overdue_invoices() -> int:
    return len(invoices_mark_overdue(today=timezone.localdate()))
