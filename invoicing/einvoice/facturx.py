"""The Factur-X (ZUGFeRD 2) PDF of an invoice: our invoice PDF rendered as
PDF/A-3b with its EN 16931 CII XML attached as factur-x.xml. The only module that
imports the `facturx` library."""

from django.template.loader import render_to_string
from django.utils import translation
from facturx import generate_from_binary
from weasyprint import HTML

from invoicing.einvoice.cii import cii_xml
from invoicing.models import Invoice
from invoicing.pdf.render import BASE_URL, _resources
from invoicing.services.documents import INVOICE_TEMPLATE, invoice_pdf_context

FLAVOR = "factur-x"
LEVEL = "en16931"
PDF_VARIANT = "pdf/a-3b"


def _pdfa_bytes(invoice: Invoice) -> bytes:
    """The invoice PDF as PDF/A-3b, with the process's fonts, stylesheet and
    local-only URL fetcher."""
    font_config, css, fetcher = _resources()
    with translation.override(invoice.language):
        html = render_to_string(INVOICE_TEMPLATE, invoice_pdf_context(invoice=invoice))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[css], font_config=font_config, pdf_variant=PDF_VARIANT
    )


def facturx_pdf_bytes(*, invoice: Invoice) -> bytes:
    """The Factur-X PDF/A-3 of an issued invoice or credit note (XSD-checked)."""
    return generate_from_binary(
        _pdfa_bytes(invoice),
        cii_xml(invoice),
        flavor=FLAVOR,
        level=LEVEL,
        check_xsd=True,
        pdf_metadata={
            "author": invoice.seller_name,
            "keywords": "Factur-X, Invoice",
            "title": f"{invoice.seller_name}: {invoice.display_number}",
            "subject": f"Factur-X {invoice.display_number} {invoice.issue_date}",
        },
        lang=invoice.language,
    )
