"""Serial numbers API (/api/v1/cabinet/serials/): the serial numbers and batches of
the goods delivered to the company, filtered by order, shipment, period, serial or
article, paginated; and the same rows as CSV or XLSX (`export`), the file the serials
page exports. Any member who sees the orders (token scope `read`); another company's
order or delivery note is a 404."""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from accounts.models import ActionRefused, membership_require
from cabinet.serials.forms import SerialFilterForm
from cabinet.serials.views import EXPORT_LIMIT, WRITERS
from catalog.articles import article_normalize
from core.api import ApiCaller, ApiError, api_error, api_page
from invoicing.selectors import delivery_note_for_company
from invoicing.serials import serial_export_rows, serials_for_company
from sales.order.models import Order

PAGE_SIZE = 100
MAX_PK = 2**62
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["cabinet serials"])


class SerialOut(Schema):
    order: str
    po_number: str
    delivery_note: str | None
    delivery_note_id: int | None
    shipped_on: str | None
    article: str
    product: str
    serial: str
    batch: str


class SerialPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SerialOut]


class _Refused(Exception):
    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def _serials(request):
    """The company's serials the query asks for, and its cleaned filters; raises
    `_Refused` with the answer (403 role, 400 filters, 404 another's order)."""
    try:
        company = membership_require(request.membership, "view_orders").company
    except ActionRefused as exc:
        raise _Refused(api_error(exc.message, 403)) from None
    form = SerialFilterForm(request.GET)
    if not form.is_valid():
        raise _Refused(
            JsonResponse(
                {"detail": _("Invalid filters."), "errors": form.errors}, status=400
            )
        )
    data = form.cleaned_data
    order = note = None
    if data["order"]:
        order = Order.objects.filter(company=company, number=data["order"]).first()
        if order is None:
            raise _Refused(api_error(_("Order not found."), 404))
    if data["delivery_note"]:
        try:
            if data["delivery_note"] > MAX_PK:
                raise Http404
            note = delivery_note_for_company(company=company, pk=data["delivery_note"])
        except Http404:
            raise _Refused(api_error(_("No such delivery note."), 404)) from None
    serials = serials_for_company(
        company=company,
        order=order,
        delivery_note=note,
        date_from=data["from"],
        date_to=data["to"],
    )
    if data["serial"]:
        serials = serials.filter(serial_normalized=article_normalize(data["serial"]))
    if data["article"]:
        serials = serials.filter(
            product__article_normalized=article_normalize(data["article"])
        )
    return serials, data


def _serial_json(serial) -> dict:
    note = serial.delivery_note
    return {
        "order": serial.order.number,
        "po_number": serial.order.po_number,
        "delivery_note": note.display_number if note else None,
        "delivery_note_id": note.pk if note else None,
        "shipped_on": timezone.localdate(note.issued_at).isoformat() if note else None,
        "article": serial.product.article
        if serial.product
        else serial.line.partner_sku,
        "product": serial.line.title,
        "serial": serial.serial,
        "batch": serial.batch,
    }


@router.get(
    "",
    url_name="cabinet-serials",
    auth=ApiCaller(),
    response={200: SerialPageOut, **ERRORS},
    summary="Serial numbers and batches delivered to the company",
    description=(
        "Filters: `order` (number), `delivery_note` (id), `from`/`to` (the "
        "shipment's date), `serial` and `article` (compared normalised: `sn 001` "
        "finds `SN-001`)."
    ),
)
def serial_list(
    request,
    order: str | None = None,
    delivery_note: str | None = None,
    date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
    date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD"),
    serial: str | None = None,
    article: str | None = None,
    page: str | None = None,
):
    try:
        serials, _data = _serials(request)
    except _Refused as refused:
        return refused.response
    return api_page(request, serials, size=PAGE_SIZE, render=_serial_json)


@router.get(
    "export",
    url_name="cabinet-serials-export",
    auth=ApiCaller(),
    response=ERRORS,
    summary="The same serial numbers as a CSV or XLSX file (`format=csv|xlsx`)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file (formula-like cells escaped)",
                "content": {
                    WRITERS[fmt][1].split(";")[0]: {"schema": {"type": "string"}}
                    for fmt in WRITERS
                },
            }
        }
    },
)
def serial_export(
    request,
    format: str = "csv",  # noqa: A002 — the page's query name
    order: str | None = None,
    delivery_note: str | None = None,
    date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
    date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD"),
    serial: str | None = None,
    article: str | None = None,
):
    try:
        serials, data = _serials(request)
    except _Refused as refused:
        return refused.response
    fmt = data["format"] or "csv"
    headers, rows = serial_export_rows(serials[:EXPORT_LIMIT])
    writer, content_type = WRITERS[fmt]
    response = HttpResponse(writer(headers=headers, rows=rows), content_type)
    name = f"serials-{data['order']}" if data["order"] else "serials"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    response["Content-Disposition"] = content_disposition_header(True, f"{safe}.{fmt}")
    return response
