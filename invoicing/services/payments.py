"""Payments: bank transfers recorded by staff, their allocation to invoices, card
payments through Stripe, refunds, and the invoice status that follows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, membership_require
from core.money import ZERO, money_from_minor, money_quantize, money_to_minor
from invoicing.exceptions import PaymentError
from invoicing.models import (
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    Refund,
)
from invoicing.signals import invoice_paid
from invoicing.stripe import client as stripe_client


def invoice_status_for(*, invoice: Invoice, today: date) -> str:
    if invoice.status == InvoiceStatus.CANCELLED:
        return InvoiceStatus.CANCELLED
    if invoice.amount_paid >= invoice.total_incl_vat:
        return InvoiceStatus.PAID
    if invoice.due_date < today and invoice.status == InvoiceStatus.OVERDUE:
        return InvoiceStatus.OVERDUE
    if invoice.amount_paid > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


def _invoice_add_paid(*, invoice_id: int, delta: Decimal) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    was_paid = invoice.status == InvoiceStatus.PAID
    invoice.amount_paid = money_quantize(invoice.amount_paid + delta)
    invoice.status = invoice_status_for(invoice=invoice, today=timezone.localdate())
    invoice.paid_at = timezone.now() if invoice.status == InvoiceStatus.PAID else None
    invoice.save(update_fields=["amount_paid", "status", "paid_at"])
    if invoice.status == InvoiceStatus.PAID and not was_paid:
        # Layers above (a reservation waiting for its prepayment) act on it.
        transaction.on_commit(
            lambda: invoice_paid.send(sender=Invoice, invoice_id=invoice_id),
            robust=True,
        )
    return invoice


def _unallocated(payment: Payment) -> Decimal:
    allocated = sum((a.amount for a in payment.allocations.all()), ZERO)
    return payment.amount - payment.amount_refunded - allocated


def payment_allocate(*, payment: Payment, invoice: Invoice, amount: Decimal) -> Decimal:
    """Settle up to `amount` of the invoice from the payment; returns what was
    allocated (limited by the invoice's amount due and the payment's remainder)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if payment.status != PaymentStatus.SUCCEEDED:
            raise PaymentError(_("Only received payments can be allocated."))
        if invoice.company_id != payment.company_id:
            raise PaymentError(_("The invoice belongs to another company."))
        if not invoice.is_open:
            raise PaymentError(
                _("Invoice %(number)s is not awaiting payment.")
                % {"number": invoice.display_number}
            )
        if payment.currency != invoice.currency:
            raise PaymentError(_("The payment and the invoice differ in currency."))
        if amount <= 0:
            raise PaymentError(_("The amount must be positive."))
        share = min(money_quantize(amount), invoice.amount_due, _unallocated(payment))
        if share <= 0:
            raise PaymentError(_("Nothing of this payment is left to allocate."))
        PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=share)
        _invoice_add_paid(invoice_id=invoice.pk, delta=share)
        return share


@transaction.atomic
def bank_payment_record(
    *,
    company,
    amount: Decimal,
    received_on: date,
    reference: str,
    recorded_by,
    invoice: Invoice | None = None,
    currency: str = "RUB",
) -> Payment:
    """A bank transfer received from the company; settles the given invoice, or its
    open invoices oldest due first. What is left stays as the company's advance."""
    amount = money_quantize(amount)
    if amount <= 0:
        raise PaymentError(_("The amount must be positive."))
    if invoice is not None and invoice.company_id != company.pk:
        raise PaymentError(_("The invoice belongs to another company."))
    if invoice is not None and not invoice.is_open:
        raise PaymentError(
            _("Invoice %(number)s is not awaiting payment.")
            % {"number": invoice.display_number}
        )
    payment = Payment.objects.create(
        company=company,
        method=Payment.Method.BANK_TRANSFER,
        status=PaymentStatus.SUCCEEDED,
        amount=amount,
        currency=currency,
        received_on=received_on,
        reference=reference,
        recorded_by=recorded_by,
    )
    targets = (
        [invoice]
        if invoice is not None
        else list(
            Invoice.objects.open()
            .filter(company=company, currency=currency)
            .order_by("due_date", "pk")
        )
    )
    left = amount
    for target in targets:
        if left <= 0:
            break
        left -= payment_allocate(payment=payment, invoice=target, amount=left)
    return payment


def _refund_allocations(*, payment: Payment, amount: Decimal) -> None:
    """Give back from the unallocated remainder first, then from invoices, newest
    allocation first (the invoices reopen)."""
    left = amount - max(_unallocated(payment), ZERO)
    by_invoice: dict[int, Decimal] = {}
    for allocation in payment.allocations.order_by("-pk"):
        by_invoice[allocation.invoice_id] = (
            by_invoice.get(allocation.invoice_id, ZERO) + allocation.amount
        )
    for invoice_id, allocated in by_invoice.items():
        if left <= 0:
            break
        back = min(left, allocated)
        if back <= 0:
            continue
        PaymentAllocation.objects.create(
            payment=payment, invoice_id=invoice_id, amount=-back
        )
        _invoice_add_paid(invoice_id=invoice_id, delta=-back)
        left -= back


def _payment_refundable(*, payment: Payment, amount: Decimal) -> Payment:
    """The payment locked, once `amount` is checked against what is left to refund
    (call inside a transaction)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.SUCCEEDED:
        raise PaymentError(_("Only received payments can be refunded."))
    if amount <= 0 or amount > payment.amount - payment.amount_refunded:
        raise PaymentError(_("The refund must be positive and within what was paid."))
    return payment


def payment_refund(
    *, payment: Payment, amount: Decimal, refunded_by, stripe_refund_id: str = ""
) -> Refund:
    """Refund part or all of a received payment (through Stripe for a card).

    A card refund is checked under the payment's row lock, asked of Stripe with no
    lock held, then checked again and recorded. The idempotency key is the refund's
    ordinal, so two staff members refunding at once get one Stripe refund (the
    second finds it recorded) or a clear error, never two."""
    amount = money_quantize(amount)
    if payment.method == Payment.Method.CARD and not stripe_refund_id:
        with transaction.atomic():
            locked = _payment_refundable(payment=payment, amount=amount)
            ordinal = locked.refunds.count() + 1
        try:
            result = stripe_client.refund_create(
                payment_intent_id=locked.stripe_payment_intent_id,
                amount_minor=money_to_minor(amount),
                idempotency_key=f"payment-{locked.pk}-refund-{ordinal}",
            )
        except stripe_client.StripeUnavailable as exc:
            raise PaymentError(
                _("The card payment could not be refunded: %(error)s") % {"error": exc}
            ) from exc
        stripe_refund_id = result.id
    with transaction.atomic():
        if stripe_refund_id:
            known = Refund.objects.filter(stripe_refund_id=stripe_refund_id).first()
            if known is not None:
                return known
        payment = _payment_refundable(payment=payment, amount=amount)
        refund = Refund.objects.create(
            payment=payment,
            amount=amount,
            stripe_refund_id=stripe_refund_id or None,
            created_by=refunded_by,
        )
        _refund_allocations(payment=payment, amount=amount)
        payment.amount_refunded += amount
        payment.save(update_fields=["amount_refunded"])
    return refund


# Card payments ---------------------------------------------------------------


def card_payment_check(*, invoice: Invoice, membership: Membership | None) -> None:
    """Raise unless the membership may pay the invoice by card now; writes nothing
    (the pay page's GET: the payment starts with the POST of a card)."""
    membership_require(membership, "pay")
    if invoice.company_id != membership.company_id:
        raise PaymentError(_("The invoice belongs to another company."))
    if not invoice.is_open or invoice.amount_due <= 0:
        raise PaymentError(_("This invoice is already paid or cancelled."))


def card_payment_start(
    *, invoice: Invoice, membership: Membership | None
) -> tuple[Payment, str]:
    """A pending card payment of the invoice's amount due and its PaymentIntent,
    recorded by the membership's user; returns the payment and the intent's client
    secret. Reuses the pending payment of the same amount, so a second attempt does
    not create new intents."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        card_payment_check(invoice=invoice, membership=membership)
        payment = (
            Payment.objects.filter(
                invoice=invoice,
                method=Payment.Method.CARD,
                status=PaymentStatus.PENDING,
                amount=invoice.amount_due,
            )
            .exclude(stripe_payment_intent_id=None)
            .first()
        )
        if payment is None:
            payment = Payment.objects.create(
                company=invoice.company,
                method=Payment.Method.CARD,
                amount=invoice.amount_due,
                currency=invoice.currency,
                invoice=invoice,
                recorded_by=membership.user,
            )
    if payment.stripe_payment_intent_id:
        intent = stripe_client.payment_intent_retrieve(
            intent_id=payment.stripe_payment_intent_id
        )
        return payment, intent.client_secret
    try:
        intent = stripe_client.payment_intent_create(
            amount_minor=money_to_minor(payment.amount),
            currency=payment.currency,
            idempotency_key=f"invoice-{invoice.pk}-payment-{payment.pk}",
            metadata={"payment_id": str(payment.pk), "invoice_id": str(invoice.pk)},
            description=f"Invoice {invoice.display_number}",
        )
    except stripe_client.StripeUnavailable as exc:
        raise PaymentError(
            _("Card payments are unavailable now: %(error)s") % {"error": exc}
        ) from exc
    Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=intent.id)
    payment.stripe_payment_intent_id = intent.id
    return payment, intent.client_secret


@dataclass(frozen=True)
class CardAttempt:
    """A card payment after the server confirmed it. `action_secret` is set while
    the buyer's bank asks for 3-D Secure: the page hands it to Stripe.js's
    `handleNextAction`, then `card_payment_complete` reads the outcome."""

    payment: Payment
    action_secret: str = ""

    @property
    def needs_action(self) -> bool:
        return bool(self.action_secret)


def _card_confirm(*, payment: Payment, payment_method_id: str) -> CardAttempt:
    payment = Payment.objects.get(pk=payment.pk)
    if payment.status == PaymentStatus.SUCCEEDED:
        raise PaymentError(_("This payment has already been received."))
    if not payment.stripe_payment_intent_id:
        raise PaymentError(_("This payment was not started."))
    if not payment_method_id:
        raise PaymentError(_("Enter the card details."))
    try:
        intent = stripe_client.payment_intent_confirm(
            intent_id=payment.stripe_payment_intent_id,
            payment_method=payment_method_id,
            idempotency_key=f"payment-{payment.pk}-confirm-{payment_method_id}",
        )
    except stripe_client.StripeUnavailable as exc:
        raise PaymentError(
            _("The card payment failed: %(error)s") % {"error": exc}
        ) from exc
    payment = card_payment_apply_intent(intent=intent) or payment
    needs_action = (
        intent.status == "requires_action" and payment.status == PaymentStatus.PENDING
    )
    return CardAttempt(
        payment=payment, action_secret=intent.client_secret if needs_action else ""
    )


def card_payment_confirm(*, payment: Payment, payment_method_id: str) -> Payment:
    """Confirm a pending card payment with a payment method (server side); a card
    that needs 3-D Secure leaves it pending (see `card_payment_attempt`)."""
    return _card_confirm(payment=payment, payment_method_id=payment_method_id).payment


def card_payment_attempt(
    *, invoice: Invoice, membership: Membership | None, payment_method_id: str
) -> CardAttempt:
    """The buyer's card for the invoice: start (or take up) the payment and confirm
    it on the server."""
    if not payment_method_id:
        raise PaymentError(_("Enter the card details."))
    payment, _secret = card_payment_start(invoice=invoice, membership=membership)
    return _card_confirm(payment=payment, payment_method_id=payment_method_id)


def card_payment_complete(
    *, invoice: Invoice, membership: Membership | None
) -> CardAttempt:
    """After the buyer answered the bank's 3-D Secure challenge: read the invoice's
    latest card payment's PaymentIntent from Stripe (never the page's word) and
    record the outcome. Idempotent: the webhook may have recorded it already, or
    arrive later and change nothing."""
    membership_require(membership, "pay")
    if invoice.company_id != membership.company_id:
        raise PaymentError(_("The invoice belongs to another company."))
    payment = (
        Payment.objects.filter(invoice=invoice, method=Payment.Method.CARD)
        .exclude(stripe_payment_intent_id=None)
        .order_by("-pk")
        .first()
    )
    if payment is None:
        raise PaymentError(_("This payment was not started."))
    if payment.status != PaymentStatus.PENDING:
        return CardAttempt(payment=payment)
    try:
        intent = stripe_client.payment_intent_retrieve(
            intent_id=payment.stripe_payment_intent_id
        )
    except stripe_client.StripeUnavailable as exc:
        raise PaymentError(
            _("The payment status could not be checked: %(error)s") % {"error": exc}
        ) from exc
    payment = card_payment_apply_intent(intent=intent) or payment
    needs_action = (
        intent.status == "requires_action" and payment.status == PaymentStatus.PENDING
    )
    return CardAttempt(
        payment=payment, action_secret=intent.client_secret if needs_action else ""
    )


def _payment_for_intent(intent) -> Payment | None:
    payments = Payment.objects.select_for_update()
    payment = payments.filter(stripe_payment_intent_id=intent.id).first()
    payment_id = str(intent.metadata.get("payment_id", ""))
    if payment is None and payment_id.isdigit():
        payment = payments.filter(
            pk=int(payment_id), method=Payment.Method.CARD
        ).first()
        if payment is not None and payment.stripe_payment_intent_id not in (
            None,
            intent.id,
        ):
            return None
    return payment


@transaction.atomic
def card_payment_apply_intent(*, intent) -> Payment | None:
    """Bring our payment in line with a PaymentIntent's state. Idempotent, and a
    failure that arrives after success changes nothing (Stripe does not order
    events). `requires_action` (3-D Secure asked) and `processing` leave the
    payment pending: only `succeeded` settles the invoice, once, under the
    payment's row lock."""
    payment = _payment_for_intent(intent)
    if payment is None:
        return None
    if (
        intent.amount != money_to_minor(payment.amount)
        or intent.currency != payment.currency
    ):
        raise PaymentError(_("The card payment does not match the invoice amount."))
    if payment.status == PaymentStatus.SUCCEEDED:
        return payment
    payment.stripe_payment_intent_id = intent.id
    if intent.status == "succeeded":
        payment.status = PaymentStatus.SUCCEEDED
        payment.received_on = timezone.localdate()
        payment.failure_message = ""
        payment.save(
            update_fields=[
                "status",
                "received_on",
                "failure_message",
                "stripe_payment_intent_id",
            ]
        )
        invoice = payment.invoice
        if invoice is not None and invoice.is_open:
            invoice.refresh_from_db()
            if invoice.is_open:
                payment_allocate(
                    payment=payment, invoice=invoice, amount=payment.amount
                )
    elif intent.status in ("requires_payment_method", "canceled"):
        payment.status = PaymentStatus.FAILED
        payment.failure_message = (intent.error_message or "")[:255]
        payment.save(
            update_fields=["status", "failure_message", "stripe_payment_intent_id"]
        )
    return payment


def refund_sync_from_charge(*, charge: dict) -> None:
    """A refund made in Stripe's dashboard (charge.refunded): record the part we do
    not know of yet."""
    intent_id = charge.get("payment_intent")
    if not intent_id:
        return
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(stripe_payment_intent_id=intent_id, status=PaymentStatus.SUCCEEDED)
            .first()
        )
        if payment is None:
            return
        refunded = money_from_minor(int(charge.get("amount_refunded") or 0))
        missing = refunded - payment.amount_refunded
        if missing > 0:
            refund_ids = [
                r.get("id") for r in (charge.get("refunds") or {}).get("data", [])
            ]
            known = set(payment.refunds.values_list("stripe_refund_id", flat=True))
            new_id = next((r for r in refund_ids if r and r not in known), "")
            payment_refund(
                payment=payment,
                amount=missing,
                refunded_by=None,
                stripe_refund_id=new_id
                or f"sync-{intent_id}-{money_to_minor(refunded)}",
            )
