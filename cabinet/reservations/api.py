"""Reservations API (/api/v1/cabinet/reservations/): GET the company's reservations,
POST to reserve the caller's current basket; one reservation with its lines; POST
`<number>/convert|extend|cancel/`. The same services and rules as the pages (session
or API token); another company's number is 404, a refusal 400 with its reason, a
role that may not act 403."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.api import api_endpoint, api_error, api_page
from sales.reservations import services
from sales.reservations.models import Reservation

PAGE_SIZE = 50


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


@api_endpoint()
def _list(request):
    membership, error = _membership(request)
    if error:
        return error
    found = services.reservations_visible(membership).prefetch_related("lines")
    return api_page(request, found, size=PAGE_SIZE, render=_json)


@api_endpoint(method="POST")
def _create(request):
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


@csrf_exempt  # the POST endpoint checks a session caller's CSRF token itself
def reservation_root(request):
    if request.method == "GET":
        return _list(request)
    if request.method == "POST":
        return _create(request)
    return HttpResponseNotAllowed(["GET", "POST"])


def _found(membership, number):
    try:
        return services.reservation_get(membership, number)
    except Reservation.DoesNotExist:
        return None


@api_endpoint()
def reservation_detail(request, number):
    membership, error = _membership(request)
    if error:
        return error
    reservation = _found(membership, number)
    if reservation is None:
        return api_error(_("Reservation not found."), 404)
    return JsonResponse(_json(reservation))


def _action_endpoint(service):
    @api_endpoint(method="POST")
    def endpoint(request, number):
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

    return endpoint


reservation_convert = _action_endpoint(services.reservation_convert)
reservation_extend = _action_endpoint(services.reservation_extend)
reservation_cancel = _action_endpoint(services.reservation_cancel)

urlpatterns = [
    path("", reservation_root, name="cabinet-reservations"),
    path("<str:number>/", reservation_detail, name="cabinet-reservation"),
    path(
        "<str:number>/convert/",
        reservation_convert,
        name="cabinet-reservation-convert",
    ),
    path("<str:number>/extend/", reservation_extend, name="cabinet-reservation-extend"),
    path("<str:number>/cancel/", reservation_cancel, name="cabinet-reservation-cancel"),
]
