"""Placing a B2B order: one transaction that locks the basket, checks credit,
allocates stock without overselling, writes the order and issues its invoice."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.address.models import Country
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.shipping.methods import Free

from accounts.models import (
    CompanyAddress,
    LegalEntity,
    Membership,
    membership_require,
)
from catalog.partner.services import InsufficientStock
from invoicing.exceptions import InvoicingError
from invoicing.models import Invoice
from invoicing.services.credit import credit_account_lock, credit_check
from invoicing.services.invoices import (
    invoice_issue,
    invoice_order_attach,
    lines_from_basket,
)
from sales.basket.models import Basket
from sales.checkout.models import Requisition
from sales.checkout.requisitions import requisition_create
from sales.checkout.rules import RequisitionError, approval_verdict
from sales.order.models import Order, PaymentMethod, ShippingAddress
from sales.order.utils import OrderCreator, OrderNumberGenerator


class CheckoutError(Exception):
    """The order was not placed; the message says why and is safe to show."""


@dataclass(frozen=True)
class CheckoutDetails:
    address: CompanyAddress
    payment_method: str
    legal_entity: LegalEntity | None = None
    po_number: str = ""
    desired_delivery_date: date | None = None
    comment: str = ""


@dataclass(frozen=True)
class PlacedOrder:
    """What checkout did: placed an order (with its invoice), or, when the company's
    rules say so, sent a requisition for approval (`order` and `invoice` None)."""

    order: Order | None
    invoice: Invoice | None
    created: bool
    requisition: Requisition | None = None


def _shipping_address(address: CompanyAddress) -> ShippingAddress:
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2=address.country.upper(),
        defaults={"name": address.country.upper(), "is_shipping_country": True},
    )
    first, _sep, last = address.recipient.partition(" ")
    shipping = ShippingAddress(
        first_name=first[:255],
        last_name=last[:255],
        line1=address.line1,
        line2=address.line2,
        line4=address.city,
        state=address.region,
        postcode=address.postcode,
        country=country,
        phone_number=address.phone or "",
    )
    shipping.save()
    return shipping


def _check(*, membership: Membership | None, details: CheckoutDetails) -> None:
    membership_require(membership, "order")
    company = membership.company
    if details.address.company_id != company.pk:
        raise CheckoutError(_("Choose one of your company's addresses."))
    if details.legal_entity and details.legal_entity.company_id != company.pk:
        raise CheckoutError(_("Choose one of your company's legal entities."))
    if details.payment_method not in PaymentMethod.values:
        raise CheckoutError(_("Choose a payment method."))


def order_place(
    *,
    basket_id: int,
    strategy,
    user,
    membership: Membership | None,
    details: CheckoutDetails,
    requisition: Requisition | None = None,
    basket_frozen: bool = False,
    invoice: Invoice | None = None,
) -> PlacedOrder:
    """Place the order of an open basket once; a repeated submission of the same
    basket returns the order already placed. A membership that may not order is
    refused with `ActionRefused` before anything is read or written. When the
    company's approval rules apply, the basket becomes a requisition instead.
    `requisition` is given by its approval (`sales.checkout.approvals`): its frozen
    basket is ordered, the rules having been satisfied.
    `basket_frozen`: the caller froze the basket (a reservation, which released its
    held units in the same transaction); it is ordered as it is, without the rules.
    `invoice`: an invoice issued before the order (the reservation's prepayment) is
    linked to it instead of issuing another."""
    _check(membership=membership, details=details)
    try:
        with transaction.atomic():
            return _order_place_locked(
                basket_id=basket_id,
                strategy=strategy,
                user=user,
                membership=membership,
                details=details,
                requisition=requisition,
                basket_frozen=basket_frozen,
                invoice=invoice,
            )
    except (InsufficientStock, InvoicingError, ValueError, RequisitionError) as exc:
        raise CheckoutError(_message(exc)) from exc
    except IntegrityError:
        # Another request placed this basket's order first (unique order number).
        order = Order.objects.filter(basket_id=basket_id, user=user).first()
        if order is None:
            raise
        return PlacedOrder(order=order, invoice=order.invoices.first(), created=False)


def _message(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return " ".join(messages) if messages else str(exc)


def basket_total(basket):
    """The order total of a basket (goods and free delivery), as checkout places it."""
    return OrderTotalCalculator().calculate(basket, Free().calculate(basket))


def _done_before(basket, requisition, frozen=False) -> PlacedOrder | None:
    """What a repeated submission of this basket already produced (an order or a
    requisition), or None when the basket can be ordered now."""
    expected = Basket.FROZEN if requisition is not None or frozen else Basket.OPEN
    if requisition is not None and requisition.basket_id != basket.pk:
        raise CheckoutError(_("This basket can no longer be ordered."))
    if basket.status == Basket.FROZEN and requisition is None:
        existing = Requisition.objects.filter(basket=basket).first()
        if existing is not None:
            return PlacedOrder(
                order=None, invoice=None, created=False, requisition=existing
            )
    if basket.status == expected:
        return None
    order = Order.objects.filter(basket=basket).first()
    if order is None:
        raise CheckoutError(_("This basket can no longer be ordered."))
    return PlacedOrder(order=order, invoice=order.invoices.first(), created=False)


def _order_place_locked(
    *,
    basket_id,
    strategy,
    user,
    membership,
    details,
    requisition=None,
    basket_frozen=False,
    invoice=None,
):
    basket = Basket.objects.select_for_update().filter(pk=basket_id, owner=user).first()
    if basket is None:
        raise CheckoutError(_("Your basket was not found."))
    done = _done_before(basket, requisition, basket_frozen)
    if done is not None:
        return done
    basket.strategy = strategy
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))
    company = membership.company
    if details.address.pk is None:
        details.address.save()  # a new address is kept only with the order
    shipping_method = Free()
    shipping_charge = shipping_method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)
    if requisition is None and not basket_frozen:
        verdict = approval_verdict(
            membership=membership,
            amount=total.incl_tax,
            currency=basket.currency,
            user=user,
            lock=True,
        )
        if verdict.needed:
            created = requisition_create(
                basket=basket,
                membership=membership,
                details=details,
                verdict=verdict,
                total=total,
            )
            return PlacedOrder(
                order=None, invoice=None, created=True, requisition=created
            )
    if details.payment_method == PaymentMethod.ON_ACCOUNT:
        lines = lines_from_basket(basket)
        amount = sum((ln.amount_excl_vat + ln.vat_amount for ln in lines), 0)
        account = credit_account_lock(company=company)
        credit_check(
            account=account,
            amount=amount,
            currency=basket.currency,
            today=timezone.localdate(),
        )
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=shipping_method,
        shipping_charge=shipping_charge,
        user=user,
        shipping_address=_shipping_address(details.address),
        order_number=OrderNumberGenerator().order_number(basket),
        company=company,
        po_number=details.po_number,
        desired_delivery_date=details.desired_delivery_date,
        comment=details.comment,
        payment_method=details.payment_method,
    )
    basket.submit()
    if invoice is not None:
        invoice = invoice_order_attach(invoice=invoice, order=order)
    else:
        invoice = invoice_issue(
            order=order,
            membership=membership,
            legal_entity=details.legal_entity,
            payment_method=details.payment_method,
        )
    return PlacedOrder(order=order, invoice=invoice, created=True)
