"""The company's serial numbers: find a shipment by a serial number (a warranty
claim) and export the serials of an order, a shipment or a period as CSV or XLSX.
Everything is read through the active company: another company's order or delivery
note is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import membership_require
from cabinet.serials.forms import SerialExportForm
from catalog.importing.tables import csv_write, xlsx_write
from invoicing.selectors import delivery_note_for_company
from invoicing.serials import (
    serial_export_rows,
    serial_find,
    serial_orders_for_company,
    serials_for_company,
)
from sales.order.models import Order

PAGE_SIZE = 25
EXPORT_LIMIT = 100_000
WRITERS = {
    "csv": (csv_write, "text/csv; charset=utf-8"),
    "xlsx": (
        xlsx_write,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@login_required
def serials_index(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    company = membership_require(request.membership, "view_orders").company
    export_form = SerialExportForm(request.GET if "format" in request.GET else None)
    if export_form.is_bound and export_form.is_valid():
        return _export(company=company, data=export_form.cleaned_data)
    query = request.GET.get("q", "").strip()[:64]
    found = serial_find(company=company, serial=query) if query else []
    page = Paginator(serial_orders_for_company(company=company), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cabinet/serials/index.html",
        {
            "query": query,
            "found": found,
            "page_obj": page,
            "export_form": export_form,
        },
        status=400 if export_form.is_bound else 200,
    )


def _export(*, company, data) -> HttpResponse:
    """The file of one order's, one shipment's or a period's serials."""
    order = note = None
    name = "serials"
    if data["order"]:
        order = get_object_or_404(
            Order.objects.filter(company=company), number=data["order"]
        )
        name = f"serials-{order.number}"
    if data["delivery_note"]:
        note = delivery_note_for_company(company=company, pk=data["delivery_note"])
        name = f"serials-{note.display_number}"
    serials = serials_for_company(
        company=company,
        order=order,
        delivery_note=note,
        date_from=data["from"],
        date_to=data["to"],
    )[:EXPORT_LIMIT]
    headers, rows = serial_export_rows(serials)
    writer, content_type = WRITERS[data["format"]]
    response = HttpResponse(writer(headers=headers, rows=rows), content_type)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    response["Content-Disposition"] = f'attachment; filename="{safe}.{data["format"]}"'
    return response
