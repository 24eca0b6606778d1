"""Cabinet orders API (/api/v1/cabinet/orders/): the company's order history and one
order, for the requesting member (session or API token). Another company's order is
404, as on the pages."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cabinet.orders.forms import OrderFilterForm
from cabinet.orders.selectors import order_for_company, order_history
from core.api import ApiCaller, ApiError, api_error, api_page
from sales.order.statuses import line_statuses, order_status_label, shipping_state

PAGE_SIZE = 50
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["cabinet orders"])


class OrderOut(Schema):
    number: str
    date_placed: str
    status: str
    status_label: str
    shipping: str
    shipping_label: str
    po_number: str
    ordered_by: str | None
    currency: str
    total_excl_tax: str
    total_incl_tax: str


class OrderListItemOut(OrderOut):
    lines: int


class OrderPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OrderListItemOut]


class OrderLineOut(Schema):
    article: str | None
    name: str
    quantity: int
    unit_price_excl_tax: str
    line_price_excl_tax: str
    line_price_incl_tax: str
    status: str
    status_label: str
    shipped_quantity: int


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]


def _membership(request):
    """(membership, error response)."""
    membership = request.membership
    if membership is None or not membership.can("view_orders"):
        return None, api_error(_("Your role does not allow viewing orders."), 403)
    return membership, None


def _order_json(order) -> dict:
    shipping = shipping_state(order)
    return {
        "number": order.number,
        "date_placed": order.date_placed.isoformat(),
        "status": order.status,
        "status_label": order_status_label(order.status),
        "shipping": shipping.value,
        "shipping_label": str(shipping.label),
        "po_number": order.po_number,
        "ordered_by": order.user.email if order.user else None,
        "currency": order.currency,
        "total_excl_tax": str(order.total_excl_tax),
        "total_incl_tax": str(order.total_incl_tax),
    }


@router.get(
    "",
    url_name="cabinet-orders",
    auth=ApiCaller(),
    response={200: OrderPageOut, **ERRORS},
    summary="The company's orders, newest first (filters as on the orders page)",
)
def order_list(request, page: str | None = None):
    membership, error = _membership(request)
    if error:
        return error
    form = OrderFilterForm(request.GET or None, company=membership.company)
    if form.is_bound and not form.is_valid():
        return JsonResponse(
            {"detail": _("Invalid filters."), "errors": form.errors}, status=400
        )
    orders = order_history(company=membership.company, filters=form.filters())
    return api_page(
        request,
        orders,
        size=PAGE_SIZE,
        render=lambda order: {**_order_json(order), "lines": order.line_count},
    )


@router.get(
    "{number}/",
    url_name="cabinet-order",
    auth=ApiCaller(),
    response={200: OrderDetailOut, **ERRORS},
    summary="One order with its lines and what has shipped",
)
def order_detail(request, number: str):
    membership, error = _membership(request)
    if error:
        return error
    try:
        order = order_for_company(company=membership.company, number=number)
    except Http404:
        return api_error(_("Order not found."), 404)
    statuses = line_statuses(order)
    lines = [
        {
            "article": line.product.article if line.product else line.partner_sku,
            "name": line.title,
            "quantity": line.quantity,
            "unit_price_excl_tax": str(line.unit_price_excl_tax),
            "line_price_excl_tax": str(line.line_price_excl_tax),
            "line_price_incl_tax": str(line.line_price_incl_tax),
            "status": line.status,
            "status_label": statuses[line.pk].label,
            "shipped_quantity": statuses[line.pk].shipped_quantity,
        }
        for line in order.lines.all()
    ]
    return JsonResponse({**_order_json(order), "lines": lines})
