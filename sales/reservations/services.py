"""Reserving goods for a company: the basket is frozen, its units are taken from
free stock warehouse by warehouse (the stock rule, rows locked in id order, the same
conditional UPDATE as orders: `catalog.partner.services.stockrecord_allocate`), a
prepayment invoice is issued, due when the reservation ends. Paying it converts the
reservation into an order through `order_place` at the held prices, the order
taking over the held units in the same transaction; the buyer may also convert by
hand, extend once, or cancel; the hourly job expires what ran out.

Every action takes the acting membership and checks its permission first
(`reserve`; converting by hand places an order: `order`) and fetches the
reservation through the company's scope with its row locked."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.partner import prices

from accounts.models import CompanyAddress, Membership, Role, membership_require
from catalog.partner.availability import (
    free_quantity,
    records_in_priority,
    stock_split,
    working_days_after,
)
from catalog.partner.models import StockRecord
from catalog.partner.services import InsufficientStock, stockrecord_allocate
from catalog.partner.strategy import CompanyPricing
from invoicing.exceptions import InvoicingError
from invoicing.models import CreditAccount, Invoice, InvoiceStatus
from invoicing.services.invoices import credit_note_issue, invoice_issue_from_basket
from sales.basket.models import Basket
from sales.checkout.rules import RequisitionError, approval_verdict
from sales.checkout.services import (
    CheckoutDetails,
    CheckoutError,
    basket_total,
    order_place,
)
from sales.order.models import PaymentMethod
from sales.reservations.models import (
    Reservation,
    ReservationEvent,
    ReservationLine,
    ReservationStatus,
    ReservationTerms,
)
from sales.reservations.notices import tell_expired, tell_expiring


class ReservationError(Exception):
    """Nothing was changed; the message says why and is safe to show."""


# -- terms ------------------------------------------------------------------------


def terms_of(company) -> ReservationTerms:
    """The company's terms (unsaved defaults when it has none)."""
    terms = ReservationTerms.objects.filter(company=company).first()
    return terms or ReservationTerms(company=company)


def days_parse(raw) -> int:
    """A number of working days as typed or sent: a whole positive number."""
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 4:
        raise ReservationError(_("Enter the number of working days as a whole number."))
    return int(text)


def terms_update(*, membership: Membership | None, days: int) -> ReservationTerms:
    """The company's administrators choose how many working days a reservation
    runs, from 1 to the `max_days` staff set."""
    membership_require(membership, "manage_team")
    with transaction.atomic():
        terms, _created = ReservationTerms.objects.select_for_update().get_or_create(
            company=membership.company
        )
        if not isinstance(days, int) or days < 1 or days > terms.max_days:
            raise ReservationError(
                _("Choose from 1 to %(max)s working days.") % {"max": terms.max_days}
            )
        terms.days = days
        terms.save(update_fields=["days"])
    return terms


def reservation_end(*, start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day, the day of reserving counting as the
    first when it is a working day (Monday to Friday), in the shop's time zone."""
    day = timezone.localdate(start)
    if day.weekday() >= 5:
        day = working_days_after(day, 1)
    last = working_days_after(day, days - 1)
    return _end_of(last)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


# -- reading ----------------------------------------------------------------------


def reservations_visible(membership: Membership | None):
    """The company's reservations, for any of its active members."""
    if membership is None or not membership.is_active:
        return Reservation.objects.none()
    return Reservation.objects.of_company(membership.company).select_related(
        "created_by", "invoice", "order"
    )


def reservation_get(membership: Membership | None, number: str) -> Reservation:
    """One reservation of the member's company; `Reservation.DoesNotExist` for
    another company's number."""
    return reservations_visible(membership).get(number=number)


def _locked(membership, number: str) -> Reservation:
    return (
        reservations_visible(membership)
        .select_for_update(of=("self",))
        .get(number=number)
    )


def _event(reservation, actor, kind, text: str = "") -> None:
    ReservationEvent.objects.create(
        reservation=reservation, actor=actor, kind=kind, text=str(text)[:255]
    )


# -- creating ---------------------------------------------------------------------


def _address_of(company) -> CompanyAddress | None:
    return company.addresses.order_by("-is_default", "pk").first()


def _lock_records(product_ids) -> dict[int, list[StockRecord]]:
    """The products' stock records, locked in id order (as orders lock them, so a
    reservation and an order queue instead of deadlocking), by product, in the
    stock rule's priority order."""
    locked = (
        StockRecord.objects.select_for_update(of=("self",))
        .filter(product_id__in=sorted(set(product_ids)))
        .select_related("partner", "product", "product__product_class")
        .order_by("pk")
    )
    by_product: dict[int, list[StockRecord]] = {}
    for record in locked:
        by_product.setdefault(record.product_id, []).append(record)
    return {pid: records_in_priority(rs) for pid, rs in by_product.items()}


def _shortages(lines, records) -> list[str]:
    problems = []
    for line in lines:
        product = line.product
        found = records.get(product.pk, [])
        if not found:
            problems.append(
                _("%(product)s is on request and cannot be reserved.")
                % {"product": product.get_title()}
            )
            continue
        free = sum(free_quantity(r) for r in found)
        if line.quantity > free:
            problems.append(
                _(
                    "%(product)s: %(wanted)s requested, only %(free)s in stock can "
                    "be reserved."
                )
                % {
                    "product": product.get_title(),
                    "wanted": line.quantity,
                    "free": free,
                }
            )
    return problems


def _hold(line, records, reservation) -> list[ReservationLine]:
    """Take the line's units from free stock in priority order."""
    held = []
    for record, taken in stock_split(records, line.quantity).taken:
        stockrecord_allocate(stockrecord=record, quantity=taken)
        held.append(
            ReservationLine(
                reservation=reservation,
                product=line.product,
                stockrecord=record,
                article=line.product.article or "",
                title=line.product.get_title()[:255],
                warehouse=record.partner.name[:128],
                quantity=taken,
                unit_price_excl_tax=line.unit_price_excl_tax,
                unit_price_incl_tax=line.unit_price_incl_tax,
            )
        )
    return held


def reservation_create(
    *, basket: Basket, membership: Membership | None, strategy=None
) -> Reservation:
    """Reserve what is in the member's open basket: every line from stock on hand
    (a line above the free stock, or of a product on request, is refused with
    what can be reserved, and nothing is saved), the basket frozen (the buyer gets
    a new one), the prepayment invoice issued, due when the reservation ends."""
    membership_require(membership, "reserve")
    company = membership.company
    try:
        with transaction.atomic():
            return _create_locked(
                basket_id=basket.pk,
                membership=membership,
                strategy=strategy or getattr(basket, "strategy", None),
                company=company,
            )
    except (
        InsufficientStock,
        InvoicingError,
        CheckoutError,
        RequisitionError,
        ValueError,
    ) as exc:
        raise ReservationError(str(exc)) from exc


def _create_locked(*, basket_id, membership, strategy, company) -> Reservation:
    basket = (
        Basket.objects.select_for_update()
        .filter(pk=basket_id, owner=membership.user, status=Basket.OPEN)
        .first()
    )
    if basket is None:
        raise ReservationError(_("Your basket was not found."))
    basket.strategy = strategy or CompanyPricing(company=company)
    lines = list(basket.all_lines())
    if not lines:
        raise ReservationError(_("Your basket is empty."))
    if _address_of(company) is None:
        raise ReservationError(
            _(
                "Add a delivery address of your company first: a reservation ships there."
            )
        )
    for line in lines:
        if line.unit_price_excl_tax is None or line.unit_price_incl_tax is None:
            raise ReservationError(
                _("%(product)s has no price for you.") % {"product": line.product}
            )
    records = _lock_records(line.product_id for line in lines)
    problems = _shortages(lines, records)
    if problems:
        raise ReservationError(" ".join(problems))
    terms = terms_of(company)
    now = timezone.now()
    total = basket_total(basket)
    # A paid reservation becomes an order without a checkout: one the company's
    # rules would send for approval cannot be reserved.
    verdict = approval_verdict(
        membership=membership,
        amount=total.incl_tax,
        currency=basket.currency,
        user=membership.user,
        lock=True,
    )
    if verdict.needed:
        raise ReservationError(
            _(
                "This order needs approval in your company (%(reasons)s): send it "
                "for approval from the checkout instead of reserving it."
            )
            % {"reasons": "; ".join(reason.text for reason in verdict.reasons)}
        )
    basket.freeze()
    reservation = Reservation.objects.create(
        company=company,
        number=f"tmp-{basket.pk}",
        created_by=membership.user,
        basket=basket,
        days=terms.days,
        expires_at=reservation_end(start=now, days=terms.days),
        currency=basket.currency,
        total_excl_tax=total.excl_tax,
        total_incl_tax=total.incl_tax,
        created_at=now,
    )
    reservation.number = f"RS-{reservation.pk:06d}"
    held = []
    for line in lines:
        held.extend(_hold(line, records[line.product_id], reservation))
    ReservationLine.objects.bulk_create(held)
    reservation.invoice = invoice_issue_from_basket(
        basket=basket,
        membership=membership,
        due_date=timezone.localdate(reservation.expires_at),
        permission="reserve",
        po_number=reservation.number,
    )
    reservation.save(update_fields=["number", "invoice"])
    _event(reservation, membership.user, ReservationEvent.Kind.CREATED)
    return reservation


# -- releasing --------------------------------------------------------------------


def _release(reservation: Reservation) -> None:
    """Give the held units back to free stock (rows locked in id order)."""
    lines = list(
        reservation.lines.select_related("stockrecord__product__product_class")
    )
    lines = [line for line in lines if line.stockrecord is not None]  # else deleted
    ids = sorted({line.stockrecord_id for line in lines})
    list(StockRecord.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for line in lines:
        if not line.stockrecord.can_track_allocations:
            continue
        updated = StockRecord.objects.filter(
            pk=line.stockrecord_id, num_allocated__gte=line.quantity
        ).update(num_allocated=F("num_allocated") - line.quantity)
        if updated != 1:
            raise ReservationError(
                _("The stock of %(product)s does not match the reservation.")
                % {"product": line.title}
            )


def _invoice_locked(reservation: Reservation) -> Invoice | None:
    """The prepayment invoice, row-locked (a payment locks it too, so what is
    decided here cannot be overtaken by a payment arriving meanwhile)."""
    if reservation.invoice_id is None:
        return None
    invoice = Invoice.objects.select_for_update().get(pk=reservation.invoice_id)
    reservation.invoice = invoice
    return invoice


def _cancel_invoice(reservation: Reservation, actor) -> None:
    """Cancel the unpaid prepayment invoice with a credit note."""
    invoice = _invoice_locked(reservation)
    if invoice is not None and invoice.is_open and invoice.amount_paid == 0:
        credit_note_issue(invoice=invoice, issued_by=actor)


def _close(reservation, status, actor, kind, text: str = "") -> Reservation:
    reservation.status = status
    reservation.closed_at = timezone.now()
    reservation.save(update_fields=["status", "closed_at", "order"])
    _event(reservation, actor, kind, text)
    return reservation


def _require_active(reservation: Reservation, *, now: datetime) -> None:
    if reservation.status == ReservationStatus.CONVERTED:
        raise ReservationError(_("This reservation is already an order."))
    if reservation.status != ReservationStatus.ACTIVE:
        raise ReservationError(
            _("This reservation is %(status)s.")
            % {"status": reservation.get_status_display().lower()}
        )
    if reservation.expires_at <= now:
        raise ReservationError(_("This reservation has expired."))


def reservation_cancel(*, membership: Membership | None, number: str) -> Reservation:
    """Cancel: the units go back to stock, the unpaid invoice is cancelled with a
    credit note. A paid one becomes an order instead; a partly paid one is for the
    account manager."""
    membership_require(membership, "reserve")
    with transaction.atomic():
        reservation = _locked(membership, number)
        _require_active(reservation, now=timezone.now())
        invoice = _invoice_locked(reservation)
        if invoice is not None and invoice.amount_paid > 0:
            raise ReservationError(
                _(
                    "The invoice of this reservation is (partly) paid: it becomes an "
                    "order when paid in full; ask your account manager to refund it."
                )
            )
        _release(reservation)
        _cancel_invoice(reservation, membership.user)
        return _close(
            reservation,
            ReservationStatus.CANCELLED,
            membership.user,
            ReservationEvent.Kind.CANCELLED,
        )


def reservation_extend(*, membership: Membership | None, number: str) -> Reservation:
    """Extend once, when the company's terms allow it, by its days again, to at
    most `max_days` working days from the day it was made. An unpaid invoice is
    re-issued with the new due date (the old one cancelled by a credit note)."""
    membership_require(membership, "reserve")
    with transaction.atomic():
        reservation = _locked(membership, number)
        _require_active(reservation, now=timezone.now())
        terms = terms_of(reservation.company)
        if not terms.extend_allowed:
            raise ReservationError(_("Your company's reservations cannot be extended."))
        if reservation.extended:
            raise ReservationError(_("A reservation can be extended only once."))
        days = min(reservation.days + terms.days, terms.max_days)
        end = reservation_end(start=reservation.created_at, days=days)
        if end <= reservation.expires_at:
            raise ReservationError(
                _("This reservation already runs the longest allowed.")
            )
        reservation.days, reservation.expires_at = days, end
        reservation.extended = True
        invoice = _invoice_locked(reservation)
        if invoice is not None:
            if invoice.is_open and invoice.amount_paid == 0:
                credit_note_issue(invoice=invoice, issued_by=membership.user)
                basket = Basket.objects.get(pk=reservation.basket_id)
                basket.strategy = held_strategy(reservation)
                reservation.invoice = invoice_issue_from_basket(
                    basket=basket,
                    membership=membership,
                    due_date=timezone.localdate(end),
                    permission="reserve",
                    po_number=reservation.number,
                )
        reservation.save(update_fields=["days", "expires_at", "extended", "invoice"])
        _event(
            reservation,
            membership.user,
            ReservationEvent.Kind.EXTENDED,
            timezone.localtime(end).strftime("%d.%m.%Y"),
        )
        return reservation


# -- converting -------------------------------------------------------------------


class HeldPrices(CompanyPricing):
    """The company's strategy with the reservation's prices (stock as it is)."""

    def __init__(self, *, company, held: dict, currency: str):
        super().__init__(company=company)
        self.held, self.currency = held, currency

    def _price(self, product, quantity):
        if product.pk in self.held:
            excl, incl = self.held[product.pk]
            return prices.FixedPrice(
                currency=self.currency, excl_tax=excl, tax=incl - excl
            )
        return super()._price(product, quantity)


def held_strategy(reservation: Reservation) -> HeldPrices:
    held = {
        line.product_id: (line.unit_price_excl_tax, line.unit_price_incl_tax)
        for line in reservation.lines.all()
    }
    return HeldPrices(
        company=reservation.company, held=held, currency=reservation.currency
    )


@dataclass(frozen=True)
class Conversion:
    reservation: Reservation
    created: bool  # False: it was an order already (a repeated payment signal)


def usual_payment_method(company) -> str:
    """Deferred payment for a company with an active credit account, else
    prepayment by bank transfer (what the checkout page offers first)."""
    account = CreditAccount.objects.filter(company=company).first()
    if account is not None and account.is_active:
        return PaymentMethod.ON_ACCOUNT
    return PaymentMethod.BANK_TRANSFER


def _place(reservation, *, membership, payment_method, invoice) -> None:
    """Inside the transaction holding the reservation's row: the held units are
    released and the order allocates them at once, the stock rows staying locked
    until the commit, so nobody can take them in between."""
    address = _address_of(reservation.company)
    if address is None:
        raise ReservationError(_("Add a delivery address of your company first."))
    _release(reservation)
    placed = order_place(
        basket_id=reservation.basket_id,
        strategy=held_strategy(reservation),
        user=reservation.created_by,
        membership=membership,
        details=CheckoutDetails(
            address=address,
            payment_method=payment_method,
            legal_entity=invoice.legal_entity if invoice is not None else None,
            po_number=reservation.number,
        ),
        basket_frozen=True,
        invoice=invoice,
    )
    reservation.order = placed.order


def reservation_convert(*, membership: Membership | None, number: str) -> Reservation:
    """The buyer turns an active reservation into an order now, at the held
    prices. On the company's usual terms: a company on deferred payment orders on
    account (the unpaid prepayment invoice is cancelled with a credit note and the
    order gets its invoice with the credit account's terms); a prepaying company,
    or one that has paid part of the invoice, keeps the prepayment invoice as the
    order's invoice."""
    membership_require(membership, "order")
    try:
        with transaction.atomic():
            reservation = _locked(membership, number)
            _require_active(reservation, now=timezone.now())
            invoice = _invoice_locked(reservation)
            method = usual_payment_method(reservation.company)
            paid_any = invoice is not None and invoice.amount_paid > 0
            if method == PaymentMethod.ON_ACCOUNT and not paid_any:
                _cancel_invoice(reservation, membership.user)
                invoice = None
            else:
                method = PaymentMethod.BANK_TRANSFER
            _place(
                reservation,
                membership=membership,
                payment_method=method,
                invoice=invoice,
            )
            return _close(
                reservation,
                ReservationStatus.CONVERTED,
                membership.user,
                ReservationEvent.Kind.CONVERTED,
                reservation.order.number,
            )
    except (CheckoutError, InvoicingError) as exc:
        raise ReservationError(str(exc)) from exc


def _orderer(reservation) -> Membership:
    """Who the paid reservation's order is placed for: its buyer while they may
    order for the company, else one of its administrators."""
    members = Membership.objects.active().filter(company=reservation.company)
    for membership in [
        *members.filter(user_id=reservation.created_by_id),
        *members.filter(role=Role.ADMIN).order_by("pk"),
    ]:
        if membership.allows("order"):
            return membership
    raise ReservationError(_("Nobody can order for this company any more."))


def reservation_convert_paid(*, invoice_id: int) -> Conversion | None:
    """The prepayment invoice is paid: its active reservation becomes an order
    linked to that invoice (no second invoice), at the held prices and with the
    held units. Idempotent: a reservation already converted is returned as it is;
    None when no reservation waits for this invoice."""
    with transaction.atomic():
        reservation = (
            Reservation.objects.select_for_update(of=("self",))
            .filter(invoice_id=invoice_id)
            .select_related("invoice", "company")
            .first()
        )
        if reservation is None:
            return None
        if reservation.status == ReservationStatus.CONVERTED:
            return Conversion(reservation, created=False)
        if reservation.status != ReservationStatus.ACTIVE:
            return None
        invoice = reservation.invoice
        if invoice.status != InvoiceStatus.PAID:
            return None
        membership = _orderer(reservation)
        try:
            _place(
                reservation,
                membership=membership,
                payment_method=PaymentMethod.BANK_TRANSFER,
                invoice=invoice,
            )
        except (CheckoutError, InvoicingError) as exc:
            raise ReservationError(str(exc)) from exc
        _close(
            reservation,
            ReservationStatus.CONVERTED,
            None,
            ReservationEvent.Kind.CONVERTED,
            reservation.order.number,
        )
        return Conversion(reservation, created=True)


# -- expiry -----------------------------------------------------------------------

REMIND_BEFORE = timedelta(days=1)


def reservations_expire(*, now: datetime) -> list[Reservation]:
    """Expire the active reservations whose end has passed: the units go back to
    stock, an unpaid invoice is cancelled with a credit note, the buyer is told.
    Running it again changes nothing more."""
    expired = []
    due = Reservation.objects.active().filter(expires_at__lte=now).order_by("pk")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            reservation = (
                Reservation.objects.select_for_update(of=("self",))
                .filter(pk=pk, status=ReservationStatus.ACTIVE, expires_at__lte=now)
                .select_related("invoice", "company", "created_by")
                .first()
            )
            if reservation is None:
                continue
            invoice = _invoice_locked(reservation)
            if invoice is not None and invoice.status == InvoiceStatus.PAID:
                continue  # its conversion is on the way
            _release(reservation)
            _cancel_invoice(reservation, None)
            _close(
                reservation,
                ReservationStatus.EXPIRED,
                None,
                ReservationEvent.Kind.EXPIRED,
            )
            tell_expired(reservation)
            expired.append(reservation)
    return expired


def reservations_remind(*, now: datetime) -> list[Reservation]:
    """Tell the buyer the day before a reservation ends, once per end (an
    extension brings a new reminder)."""
    reminded = []
    soon = Reservation.objects.active().filter(
        expires_at__gt=now, expires_at__lte=now + REMIND_BEFORE
    )
    for reservation in soon.select_related("created_by", "company", "invoice"):
        with transaction.atomic():
            text = reservation.expires_at.isoformat()
            if reservation.events.filter(
                kind=ReservationEvent.Kind.REMINDED, text=text
            ).exists():
                continue
            _event(reservation, None, ReservationEvent.Kind.REMINDED, text)
            tell_expiring(reservation)
            reminded.append(reservation)
    return reminded
