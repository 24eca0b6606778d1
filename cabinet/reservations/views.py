"""Reservations (/cabinet/reservations/): the company's reservations with what is
held where, until when, and the invoice; one reservation; POST create (from the
basket), convert, extend, cancel; the company's terms for its administrators.
Everything goes through `sales.reservations.services`, which checks the permission
and scopes by company: another company's number is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cabinet.reservations.forms import TermsForm
from sales.reservations import services
from sales.reservations.models import Reservation, ReservationLine

SHOWN = 50


def _membership(request):
    if request.membership is None:
        raise PermissionDenied(_("You are not acting for a company."))
    return request.membership


def reservations_listed(membership):
    """The list page's reservations: lines and documents in a fixed number of
    queries, newest first."""
    return services.reservations_visible(membership).prefetch_related(
        Prefetch("lines", queryset=ReservationLine.objects.order_by("pk"))
    )[:SHOWN]


@login_required
@require_GET
def reservation_list(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = request.membership
    return render(
        request,
        "cabinet/reservations/list.html",
        {
            "reservations": list(reservations_listed(membership)),
            "terms": services.terms_of(membership.company),
            "me": membership,
            "may_reserve": membership.allows("reserve"),
            "may_order": membership.allows("order"),
            "now": timezone.now(),
        },
    )


def _reservation(request, number: str) -> Reservation:
    try:
        return services.reservation_get(request.membership, number)
    except Reservation.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def reservation_detail(request, number: str):
    if request.membership is None:
        raise Http404
    reservation = _reservation(request, number)
    membership = request.membership
    return render(
        request,
        "cabinet/reservations/detail.html",
        {
            "reservation": reservation,
            "lines": reservation.lines.select_related("product"),
            "events": reservation.events.select_related("actor"),
            "terms": services.terms_of(membership.company),
            "may_reserve": membership.allows("reserve"),
            "may_order": membership.allows("order"),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def reservation_create(request):
    membership = _membership(request)
    try:
        reservation = services.reservation_create(
            basket=request.basket, membership=membership, strategy=request.strategy
        )
    except services.ReservationError as exc:
        messages.error(request, str(exc))
        return redirect("basket:summary")
    messages.success(
        request,
        _(
            "Reserved as %(number)s until %(until)s; invoice %(invoice)s is issued "
            "for prepayment."
        )
        % {
            "number": reservation.number,
            "until": timezone.localtime(reservation.expires_at).strftime(
                "%d.%m.%Y %H:%M"
            ),
            "invoice": reservation.invoice.display_number,
        },
    )
    return redirect("cabinet:reservation-detail", number=reservation.number)


def _action(service, success):
    @login_required
    @require_POST
    def view(request, number: str):
        membership = _membership(request)
        _reservation(request, number)  # 404 before anything else
        try:
            service(membership=membership, number=number)
        except services.ReservationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
        return redirect("cabinet:reservation-detail", number=number)

    return view


reservation_convert_view = _action(
    services.reservation_convert,
    gettext_lazy("The reservation is now an order; the units stay yours."),
)
reservation_extend_view = _action(
    services.reservation_extend, gettext_lazy("The reservation is extended.")
)
reservation_cancel_view = _action(
    services.reservation_cancel,
    gettext_lazy("The reservation is cancelled; the goods went back to stock."),
)


@login_required
@require_http_methods(["GET", "POST"])
def reservation_settings(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = request.membership
    if not membership.can("manage_team"):
        raise PermissionDenied(
            _("Only an administrator of the company sets its reservation terms.")
        )
    terms = services.terms_of(membership.company)
    form = TermsForm(
        request.POST or None, initial={"days": terms.days}, max_days=terms.max_days
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.terms_update(
                membership=membership,
                days=services.days_parse(form.cleaned_data["days"]),
            )
        except services.ReservationError as exc:
            form.add_error("days", str(exc))
        else:
            messages.success(request, _("The reservation terms are saved."))
            return redirect("cabinet:reservation-settings")
    return render(
        request,
        "cabinet/reservations/settings.html",
        {"form": form, "terms": terms, "me": membership},
        status=400 if form.errors else 200,
    )
