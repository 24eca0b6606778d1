"""Documents of a company for the archive tests, with small stored PDFs (rendering
hundreds of real ones would take minutes)."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.certificates import product_certificate_add
from invoicing.models import DeliveryNote
from tests.invoicing.factories import invoice_make

PDF = b"%PDF-1.4\n% a stored test document\n%%EOF\n"


def stored_invoice(*, company, amount="100.00", issue_date: date | None = None):
    invoice = invoice_make(company=company, amount=amount)
    if issue_date is not None:
        # Invoices are immutable through save(); a test moves one in time.
        type(invoice).objects.filter(pk=invoice.pk).update(issue_date=issue_date)
        invoice.refresh_from_db()
    invoice.pdf.save(f"test-{invoice.pk}.pdf", ContentFile(PDF), save=False)
    invoice.pdf_sha256 = "0" * 64
    invoice.save(update_fields=["pdf", "pdf_sha256"])
    return invoice


def delivery_note(*, order, seller, number):
    return DeliveryNote.objects.create(
        order=order, company=order.company, seller=seller, number=number, year=2026
    )


def certificate(*, product, number="DECL-1", content=PDF, valid_until=None):
    return product_certificate_add(
        product=product,
        title="Declaration of conformity",
        number=number,
        valid_until=valid_until,
        file=SimpleUploadedFile("c.pdf", content, content_type="application/pdf"),
        uploaded_by=None,
    )
