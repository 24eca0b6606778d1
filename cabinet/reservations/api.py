"""Reservations API (/api/v1/cabinet/reservations/): GET the company's reservations,
POST to reserve the caller's current basket; one reservation with its lines; POST
`<number>/convert|extend|cancel/`. The same services and rules as the pages (session
or API token); another company's number is 404, a refusal 400 with its reason, a
role that may not act 403."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from core.api import ApiCaller, ApiError, api_error, api_page
from core.idempotency import OPENAPI_HEADER, idempotent
from sales.reservations import services
from sales.reservations.models import Reservation

PAGE_SIZE = 50
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["reservations"])


class ReservationLineOut(Schema):
    article: str
    name: str
    warehouse: str
    quantity: int
    unit_price_excl_tax: str
    unit_price_incl_tax: str


class ReservationOut(Schema):
    number: str
    status: str
    status_label: str
    created_at: str
    expires_at: str
    extended: bool
    created_by: str
    currency: str
    total_excl_tax: str
    total_incl_tax: str
    invoice: str | None
    invoice_status: str | None
    order: str | None
    lines: list[ReservationLineOut]


class ReservationPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ReservationOut]


def _line_json(line) -> dict:
    return {
        "article": line.article,
        "name": line.title,
        "warehouse": line.warehouse,
        "quantity": line.quantity,
        "unit_price_excl_tax": str(line.unit_price_excl_tax),
        "unit_price_incl_tax": str(line.unit_price_incl_tax),
    }


def _json(reservation: Reservation) -> dict:
    invoice = reservation.invoice
    return {
        "number": reservation.number,
        "status": reservation.status,
        "status_label": str(reservation.get_status_display()),
        "created_at": reservation.created_at.isoformat(),
        "expires_at": reservation.expires_at.isoformat(),
        "extended": reservation.extended,
        "created_by": reservation.created_by.email,
        "currency": reservation.currency,
        "total_excl_tax": str(reservation.total_excl_tax),
        "total_incl_tax": str(reservation.total_incl_tax),
        "invoice": invoice.display_number if invoice else None,
        "invoice_status": invoice.status if invoice else None,
        "order": reservation.order.number if reservation.order_id else None,
        "lines": [_line_json(line) for line in reservation.lines.all()],
    }


def _membership(request):
    if request.membership is None:
        return None, api_error(_("You are not acting for a company."), 403)
    return request.membership, None


@router.get(
    "",
    url_name="cabinet-reservations",
    auth=ApiCaller(),
    response={200: ReservationPageOut, **ERRORS},
    summary="The company's reservations",
)
def reservation_list(request, page: str | None = None):
    membership, error = _membership(request)
    if error:
        return error
    found = services.reservations_visible(membership).prefetch_related("lines")
    return api_page(request, found, size=PAGE_SIZE, render=_json)


@router.post(
    "",
    url_name="cabinet-reservations",
    auth=ApiCaller(),
    response={201: ReservationOut, **ERRORS, 409: ApiError, 422: ApiError},
    summary="Reserve the caller's current basket (no body)",
    description="Send an `Idempotency-Key`: a repeat returns the first reservation.",
    openapi_extra={"parameters": [OPENAPI_HEADER]},
)
@idempotent
def reservation_create(request):
    membership, error = _membership(request)
    if error:
        return error
    try:
        reservation = services.reservation_create(
            basket=request.basket, membership=membership, strategy=request.strategy
        )
    except PermissionDenied as exc:
        return api_error(str(exc), 403)
    except services.ReservationError as exc:
        return api_error(str(exc), 400)
    return JsonResponse(_json(reservation), status=201)


def _found(membership, number):
    try:
        return services.reservation_get(membership, number)
    except Reservation.DoesNotExist:
        return None


@router.get(
    "{number}/",
    url_name="cabinet-reservation",
    auth=ApiCaller(),
    response={200: ReservationOut, **ERRORS},
    summary="One reservation with its lines",
)
def reservation_detail(request, number: str):
    membership, error = _membership(request)
    if error:
        return error
    reservation = _found(membership, number)
    if reservation is None:
        return api_error(_("Reservation not found."), 404)
    return JsonResponse(_json(reservation))


def _action_endpoint(service, *, action: str, summary: str):
    """The POST endpoint `<number>/<action>/` calling `service`."""

    def endpoint(request, number: str):
        membership, error = _membership(request)
        if error:
            return error
        if _found(membership, number) is None:
            return api_error(_("Reservation not found."), 404)
        try:
            service(membership=membership, number=number)
        except PermissionDenied as exc:
            return api_error(str(exc), 403)
        except services.ReservationError as exc:
            return api_error(str(exc), 400)
        return JsonResponse(_json(services.reservation_get(membership, number)))

    router.add_api_operation(
        f"{{number}}/{action}/",
        ["POST"],
        endpoint,
        url_name=f"cabinet-reservation-{action}",
        operation_id=f"cabinet_reservation_{action}",
        auth=ApiCaller(),
        response={200: ReservationOut, **ERRORS},
        summary=summary,
    )
    return endpoint


reservation_convert = _action_endpoint(
    services.reservation_convert,
    action="convert",
    summary="Turn a reservation into an order",
)
reservation_extend = _action_endpoint(
    services.reservation_extend, action="extend", summary="Extend a reservation once"
)
reservation_cancel = _action_endpoint(
    services.reservation_cancel, action="cancel", summary="Cancel a reservation"
)
