"""Placing a B2B order: one transaction that locks the basket, checks credit,
allocates stock without overselling, writes the order and issues its invoice."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
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
from core.money import money_quantize
from invoicing.exceptions import InvoicingError
from invoicing.models import Invoice
from invoicing.services.credit import credit_account_lock, credit_check
from invoicing.services.invoices import invoice_issue, lines_from_basket
from sales.basket.models import Basket
from sales.order.models import Order, PaymentMethod, ShippingAddress
from sales.order.statuses import CANCELLED_STATUSES
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
    order: Order
    invoice: Invoice
    created: bool


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
) -> PlacedOrder:
    """Place the order of an open basket once; a repeated submission of the same
    basket returns the order already placed. A membership that may not order is
    refused with `ActionRefused` before anything is read or written."""
    _check(membership=membership, details=details)
    try:
        with transaction.atomic():
            return _order_place_locked(
                basket_id=basket_id,
                strategy=strategy,
                user=user,
                membership=membership,
                details=details,
            )
    except (InsufficientStock, InvoicingError, ValueError) as exc:
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


def _spending_check(
    *, membership: Membership, amount: Decimal, currency: str, user
) -> None:
    """Refuse an order above what the member may spend (`Membership.spending_limit`
    per order, `monthly_limit` for their orders of this calendar month, incl. VAT,
    cancelled orders not counted). The membership row is locked, so two checkouts
    of one buyer at once are counted one after the other."""
    if membership.spending_limit is None and membership.monthly_limit is None:
        return
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    per_order, per_month = membership.spending_limit, membership.monthly_limit
    if per_order is not None and amount > per_order:
        raise CheckoutError(
            _(
                "This order (%(amount)s) is above your limit of %(limit)s per order. "
                "Ask an administrator of your company to raise it."
            )
            % {"amount": _money(amount, currency), "limit": _money(per_order, currency)}
        )
    if per_month is None:
        return
    start = timezone.localdate().replace(day=1)
    spent = (
        Order.objects.filter(
            user=user,
            company=membership.company,
            currency=currency,
            date_placed__date__gte=start,
        )
        .exclude(status__in=CANCELLED_STATUSES)
        .aggregate(total=Sum("total_incl_tax"))["total"]
    )
    spent = money_quantize(Decimal(spent or 0))
    if spent + amount > per_month:
        raise CheckoutError(
            _(
                "This order (%(amount)s) would take your orders of this month to "
                "%(total)s, above your monthly limit of %(limit)s. Ask an "
                "administrator of your company to raise it."
            )
            % {
                "amount": _money(amount, currency),
                "total": _money(spent + amount, currency),
                "limit": _money(per_month, currency),
            }
        )


def _money(value: Decimal, currency: str) -> str:
    amount = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{amount}\N{NO-BREAK SPACE}{currency}"


def _order_place_locked(*, basket_id, strategy, user, membership, details):
    basket = Basket.objects.select_for_update().filter(pk=basket_id, owner=user).first()
    if basket is None:
        raise CheckoutError(_("Your basket was not found."))
    if basket.status != Basket.OPEN:
        order = Order.objects.filter(basket=basket).first()
        if order is None:
            raise CheckoutError(_("This basket can no longer be ordered."))
        return PlacedOrder(order=order, invoice=order.invoices.first(), created=False)
    basket.strategy = strategy
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))
    company = membership.company
    if details.address.pk is None:
        details.address.save()  # a new address is kept only with the order
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
    shipping_method = Free()
    shipping_charge = shipping_method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)
    _spending_check(
        membership=membership,
        amount=total.incl_tax,
        currency=basket.currency,
        user=user,
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
    invoice = invoice_issue(
        order=order,
        membership=membership,
        legal_entity=details.legal_entity,
        payment_method=details.payment_method,
    )
    return PlacedOrder(order=order, invoice=invoice, created=True)
