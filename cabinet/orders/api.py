"""Cabinet orders API (/api/v1/cabinet/orders/): the company's order history, one
order, and placing the caller's basket as an order (the checkout's one service, with
an Idempotency-Key so a repeat places nothing twice). Another company's order, address
or legal entity is 404, as on the pages."""

import json
from datetime import date

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema

from accounts.models import ActionRefused
from cabinet.orders.forms import OrderFilterForm
from cabinet.orders.selectors import order_for_company, order_history
from core.api import ApiCaller, ApiError, api_error, api_page, json_body
from core.idempotency import OPENAPI_HEADER, idempotent
from invoicing.selectors import credit_status
from sales.basket.selectors import basket_of_caller
from sales.checkout.services import CheckoutDetails, CheckoutError, order_place
from sales.order.models import PaymentMethod
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


class OrderPlaceIn(Schema):
    payment_method: PaymentMethod = Field(
        description="on_account needs the company's credit; card is paid afterwards "
        "on the invoice's page"
    )
    address: int | None = Field(
        None, description="One of the company's addresses; default: its default one"
    )
    legal_entity: int | None = Field(
        None, description="Invoice another of the company's legal entities"
    )
    po_number: str = Field("", max_length=64)
    desired_delivery_date: date | None = None
    comment: str = Field("", max_length=2000)


class InvoiceRefOut(Schema):
    id: int
    number: str


class OrderPlacedOut(OrderDetailOut):
    invoice: InvoiceRefOut | None


class RequisitionSentOut(Schema):
    requisition: str
    status: str
    reasons: list[str]


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
    return JsonResponse(_order_detail_json(order))


def _order_detail_json(order) -> dict:
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
    return {**_order_json(order), "lines": lines}


PLACE_USAGE = gettext_lazy(
    'The body must be JSON: {"payment_method": "bank_transfer", "address": id, '
    '"po_number": "..."}.'
)


def _place_input(request, company) -> tuple[CheckoutDetails | None, str | None]:
    """The checkout details from the body, or (None, why not); another company's
    address or legal entity is not found."""
    try:
        data = OrderPlaceIn.model_validate(json.loads(request.body or b"null"))
    except (ValueError, UnicodeDecodeError):  # pydantic's ValidationError included
        return None, str(PLACE_USAGE)
    addresses = company.addresses.all()
    address = (
        addresses.filter(pk=data.address).first()
        if data.address is not None
        else addresses.order_by("-is_default", "pk").first()
    )
    if address is None:
        return None, _("Give one of your company's addresses (address).")
    entity = None
    if data.legal_entity is not None:
        entity = company.legal_entities.filter(pk=data.legal_entity).first()
        if entity is None:
            return None, _("Give one of your company's legal entities.")
    if data.desired_delivery_date and data.desired_delivery_date < timezone.localdate():
        return None, _("Choose a date from today on.")
    if data.payment_method == PaymentMethod.ON_ACCOUNT:
        credit = credit_status(company=company)
        if credit is None or not credit.is_active:
            return None, _("Your company has no credit line: choose another payment.")
    if "\x00" in data.po_number + data.comment:
        return None, str(PLACE_USAGE)
    details = CheckoutDetails(
        address=address,
        payment_method=data.payment_method,
        legal_entity=entity,
        po_number=data.po_number.strip(),
        desired_delivery_date=data.desired_delivery_date,
        comment=data.comment.strip(),
    )
    return details, None


@router.post(
    "",
    url_name="cabinet-orders",
    auth=ApiCaller(),
    response={
        201: OrderPlacedOut,
        202: RequisitionSentOut,
        **ERRORS,
        409: ApiError,
        413: ApiError,
        422: ApiError,
    },
    summary="Place the basket as an order (or a requisition, when approval is needed)",
    description=(
        "Places the caller's open basket the way the checkout page does: stock is "
        "allocated, credit checked and the invoice issued (201). When the company's "
        "approval rules apply, the basket becomes a requisition instead (202). Send "
        "an `Idempotency-Key`: a repeat returns the first answer and places nothing."
    ),
    openapi_extra={**json_body(OrderPlaceIn), "parameters": [OPENAPI_HEADER]},
)
@idempotent
def order_place_view(request):
    membership = request.membership
    if membership is None or not membership.allows("order"):
        return api_error(_("Your role does not allow placing orders."), 403)
    details, error = _place_input(request, membership.company)
    if error:
        return api_error(error, 400)
    basket = basket_of_caller(request)
    if basket.pk is None or basket.is_empty:
        return api_error(_("Your basket is empty."), 400)
    try:
        placed = order_place(
            basket_id=basket.pk,
            strategy=request.strategy,
            user=request.user,
            membership=membership,
            details=details,
        )
    except ActionRefused as exc:
        return api_error(exc.message, 403)
    except CheckoutError as exc:
        return api_error(exc, 400)
    if placed.requisition is not None:
        requisition = placed.requisition
        return JsonResponse(
            {
                "requisition": requisition.number,
                "status": requisition.status,
                "reasons": requisition.reason_texts,
            },
            status=202,
        )
    invoice = placed.invoice
    order = order_for_company(company=membership.company, number=placed.order.number)
    return JsonResponse(
        {
            **_order_detail_json(order),
            "invoice": {"id": invoice.pk, "number": invoice.number}
            if invoice
            else None,
        },
        status=201,
    )
