"""Cabinet invoices API (/api/v1/cabinet/invoices/): the company's invoices and
credit notes (list, filter by status, one with its lines, its PDF), for ERP clients
with the `finance` scope (session callers: any member who sees the invoices page).
Another company's invoice is a 404, as on the pages."""

from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from accounts.models import ActionRefused, membership_require
from cabinet.invoices.forms import StatusFilterForm
from core.api import api_endpoint, api_error, api_page
from core.files import private_file_response
from invoicing import selectors
from invoicing.services.documents import invoice_pdf_render

PAGE_SIZE = 50
MAX_PK = 2**62


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


@api_endpoint(scope="finance")
def invoice_list(request):
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


@api_endpoint(scope="finance")
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


@api_endpoint(scope="finance")
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


urlpatterns = [
    path("", invoice_list, name="cabinet-invoices"),
    path("<int:pk>/", invoice_detail, name="cabinet-invoice"),
    path("<int:pk>/pdf", invoice_pdf, name="cabinet-invoice-pdf"),
]
