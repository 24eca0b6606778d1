"""Cabinet invoices API (/api/v1/cabinet/invoices/): the company's invoices and
credit notes (list, filter by status, one with its lines, its PDF, its Factur-X
and UBL e-invoices), for ERP clients
with the `finance` scope (session callers: any member who sees the invoices page).
Another company's invoice is a 404, as on the pages."""

import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Router, Schema

from accounts.models import ActionRefused, membership_require
from cabinet.invoices.forms import StatusFilterForm
from core.api import ApiCaller, ApiError, api_error, api_page
from core.files import private_file_response
from invoicing import selectors
from invoicing.einvoice.facturx import facturx_pdf_bytes
from invoicing.einvoice.ubl import ubl_xml
from invoicing.services.documents import invoice_pdf_render

PAGE_SIZE = 50
MAX_PK = 2**62
logger = logging.getLogger(__name__)
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["invoices"])


class InvoiceOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    status_label: str
    issue_date: str
    due_date: str
    order: str | None
    po_number: str
    currency: str
    total_excl_vat: str
    total_vat: str
    total_incl_vat: str
    amount_paid: str
    amount_due: str
    pdf: str


class InvoicePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[InvoiceOut]


class PartyOut(Schema):
    name: str
    tax_id: str


class InvoiceLineOut(Schema):
    position: int
    article: str
    title: str
    unit: str
    quantity: str | int
    unit_price_excl_vat: str
    vat_rate: str
    amount_excl_vat: str
    vat_amount: str
    amount_incl_vat: str


class InvoiceDetailOut(InvoiceOut):
    seller: PartyOut
    payer: PartyOut
    lines: list[InvoiceLineOut]


def _membership(request):
    """(membership, error response)."""
    try:
        return membership_require(request.membership, "view_orders"), None
    except ActionRefused as exc:
        return None, api_error(exc.message, 403)


def _invoice_json(invoice) -> dict:
    return {
        "id": invoice.pk,
        "number": invoice.display_number,
        "kind": invoice.kind,
        "status": invoice.status,
        "status_label": str(invoice.get_status_display()),
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "order": invoice.order.number if invoice.order_id else None,
        "po_number": invoice.po_number,
        "currency": invoice.currency,
        "total_excl_vat": str(invoice.total_excl_vat),
        "total_vat": str(invoice.total_vat),
        "total_incl_vat": str(invoice.total_incl_vat),
        "amount_paid": str(invoice.amount_paid),
        "amount_due": str(invoice.amount_due),
        "pdf": f"/api/v1/cabinet/invoices/{invoice.pk}/pdf",
    }


def _found(membership, pk: int):
    if pk > MAX_PK:
        raise Http404
    return selectors.invoice_for_company(company=membership.company, pk=pk)


@router.get(
    "",
    url_name="cabinet-invoices",
    auth=ApiCaller(scope="finance"),
    response={200: InvoicePageOut, **ERRORS},
    summary="The company's invoices and credit notes (`?status=`)",
)
def invoice_list(request, status: str | None = None, page: str | None = None):
    membership, error = _membership(request)
    if error:
        return error
    form = StatusFilterForm(request.GET or None)
    if request.GET.get("status") and not form.is_valid():
        return api_error(_("Unknown invoice status."), 400)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    invoices = selectors.invoices_for_company(
        company=membership.company, status=status
    ).order_by("-issue_date", "-pk")
    return api_page(request, invoices, size=PAGE_SIZE, render=_invoice_json)


@router.get(
    "{int:pk}/",
    url_name="cabinet-invoice",
    auth=ApiCaller(scope="finance"),
    response={200: InvoiceDetailOut, **ERRORS},
    summary="One invoice with its parties and lines",
)
def invoice_detail(request, pk: int):
    membership, error = _membership(request)
    if error:
        return error
    try:
        invoice = _found(membership, pk)
    except Http404:
        return api_error(_("No such invoice."), 404)
    data = _invoice_json(invoice)
    data["seller"] = {"name": invoice.seller_name, "tax_id": invoice.seller_tax_id}
    data["payer"] = {"name": invoice.payer_name, "tax_id": invoice.payer_tax_id}
    data["lines"] = [
        {
            "position": line.position,
            "article": line.article,
            "title": line.title,
            "unit": line.unit,
            "quantity": line.quantity,
            "unit_price_excl_vat": str(line.unit_price_excl_vat),
            "vat_rate": str(line.vat_rate),
            "amount_excl_vat": str(line.amount_excl_vat),
            "vat_amount": str(line.vat_amount),
            "amount_incl_vat": str(line.amount_incl_vat),
        }
        for line in invoice.lines.all()
    ]
    return JsonResponse(data)


@router.get(
    "{int:pk}/pdf",
    url_name="cabinet-invoice-pdf",
    auth=ApiCaller(scope="finance"),
    response={**ERRORS, 503: ApiError},
    summary="The invoice as PDF",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string"}}},
            }
        }
    },
)
def invoice_pdf(request, pk: int):
    membership, error = _membership(request)
    if error:
        return error
    try:
        invoice = _found(membership, pk)
    except Http404:
        return api_error(_("No such invoice."), 404)
    try:
        invoice = invoice_pdf_render(invoice=invoice)
    except Exception:
        response = api_error(_("The PDF is being prepared; try again shortly."), 503)
        response["Retry-After"] = "60"
        return response
    return private_file_response(
        file=invoice.pdf,
        filename=f"invoice-{invoice.display_number}.pdf",
        content_type="application/pdf",
    )


def _einvoice(request, pk: int, *, build, filename: str, content_type: str):
    membership, error = _membership(request)
    if error:
        return error
    try:
        invoice = _found(membership, pk)
    except Http404:
        return api_error(_("No such invoice."), 404)
    try:
        data = build(invoice)
    except Exception:
        logger.exception("E-invoice generation failed for invoice %s", invoice.pk)
        return api_error(
            _("The e-invoice could not be generated; try again later."), 503
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, filename.format(number=invoice.display_number)
    )
    return response


def _file_doc(description: str, content_type: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {content_type: {"schema": {"type": "string"}}},
            }
        }
    }


@router.get(
    "{int:pk}/facturx.pdf",
    url_name="cabinet-invoice-facturx",
    auth=ApiCaller(scope="finance"),
    response={**ERRORS, 503: ApiError},
    summary="The invoice as Factur-X (PDF/A-3 with the EN 16931 CII XML)",
    openapi_extra=_file_doc("The Factur-X PDF", "application/pdf"),
)
def invoice_facturx(request, pk: int):
    return _einvoice(
        request,
        pk,
        build=lambda invoice: facturx_pdf_bytes(invoice=invoice),
        filename="invoice-{number}-facturx.pdf",
        content_type="application/pdf",
    )


@router.get(
    "{int:pk}/ubl.xml",
    url_name="cabinet-invoice-ubl",
    auth=ApiCaller(scope="finance"),
    response={**ERRORS, 503: ApiError},
    summary="The invoice or credit note as UBL 2.1 XML (PEPPOL BIS Billing 3.0)",
    openapi_extra=_file_doc("The UBL XML", "application/xml"),
)
def invoice_ubl(request, pk: int):
    return _einvoice(
        request,
        pk,
        build=ubl_xml,
        filename="invoice-{number}-ubl.xml",
        content_type="application/xml",
    )
