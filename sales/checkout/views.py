"""The one-page B2B checkout (/checkout/) and its thank-you page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import ActionRefused
from invoicing.selectors import credit_status
from sales.checkout.forms import CheckoutForm
from sales.checkout.rules import RequisitionError, approval_verdict
from sales.checkout.services import (
    CheckoutDetails,
    CheckoutError,
    basket_total,
    order_place,
)
from sales.order.models import Order
from sales.order.selectors import order_backorders


def _refused(request, membership):
    return render(
        request,
        "checkout/checkout_refused.html",
        {"membership": membership},
        status=403,
    )


@login_required
def checkout(request):
    membership = request.membership
    if membership is None or not membership.allows("order"):
        return _refused(request, membership)
    basket = request.basket
    credit = credit_status(company=membership.company)
    form = CheckoutForm(
        request.POST or None,
        initial={"basket_id": basket.pk},
        company=membership.company,
        on_account_allowed=bool(credit and credit.is_active),
    )
    if request.method == "POST" and form.is_valid():
        details = CheckoutDetails(
            address=form.delivery_address(),
            payment_method=form.cleaned_data["payment_method"],
            legal_entity=form.legal_entity(),
            po_number=form.cleaned_data["po_number"],
            desired_delivery_date=form.cleaned_data["desired_delivery_date"],
            comment=form.cleaned_data["comment"],
        )
        try:
            placed = order_place(
                basket_id=form.cleaned_data["basket_id"],
                strategy=request.strategy,
                user=request.user,
                membership=membership,
                details=details,
            )
        except ActionRefused:
            return _refused(request, membership)
        except CheckoutError as exc:
            messages.error(request, str(exc))
        else:
            if placed.requisition is not None:
                messages.success(
                    request,
                    _(
                        "Requisition %(number)s is sent for approval. You will be "
                        "told by e-mail when it is decided."
                    )
                    % {"number": placed.requisition.number},
                )
                return redirect(
                    "cabinet:requisition-detail", number=placed.requisition.number
                )
            return redirect("checkout:thank-you", number=placed.order.number)
    if basket.is_empty and request.method == "GET":
        messages.info(request, _("Your basket is empty."))
        return redirect("basket:summary")
    return render(
        request,
        "checkout/checkout.html",
        {
            "form": form,
            "basket": basket,
            "credit": credit,
            "approval": _approval_preview(membership, basket),
        },
    )


def _approval_preview(membership, basket):
    """Whether this basket would go for approval, told before the buyer submits."""
    if basket.is_empty:
        return None
    try:
        verdict = approval_verdict(
            membership=membership,
            amount=basket_total(basket).incl_tax,
            currency=basket.currency,
            user=membership.user,
        )
    except RequisitionError as exc:
        return exc
    # The template shows any other value as a warning: no approval, nothing to say.
    return verdict if verdict.needed else None


@login_required
def thank_you(request, number: str):
    order = get_object_or_404(
        Order.objects.filter(company=request.company, company__isnull=False),
        number=number,
    )
    return render(
        request,
        "checkout/thank_you.html",
        {
            "order": order,
            "invoice": order.invoices.filter(kind="invoice").first(),
            "backorders": order_backorders(order=order),
        },
    )
