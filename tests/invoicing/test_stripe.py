"""Card payments through the real Stripe SDK against a local fake Stripe, and the
webhook: signatures, replays, out-of-order events, refunds."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from invoicing.exceptions import PaymentError
from invoicing.models import InvoiceStatus, Payment, PaymentStatus, StripeEvent
from invoicing.services.payments import (
    card_payment_confirm,
    card_payment_start,
    payment_refund,
)
from tests.invoicing.conftest import WEBHOOK_SECRET
from tests.invoicing.factories import invoice_make
from tests.invoicing.stripe_server import DECLINED, event_payload, webhook_signature

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/stripe/webhook/"


def post_event(client, payload: bytes, *, secret=WEBHOOK_SECRET, timestamp=None):
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=webhook_signature(payload, secret, timestamp),
    )


@pytest.fixture
def invoice(seller, company):
    return invoice_make(company=company)  # 100.00 + 20 % VAT = 120.00


def test_card_payment_succeeds_and_the_invoice_is_paid(fake_stripe, invoice, buyer):
    payment, secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )

    payment = card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("120.00"),
    )
    assert secret == "pi_test_1_secret_x"
    intent = fake_stripe.intents["pi_test_1"]
    assert (intent["amount"], intent["currency"]) == (12000, "rub")
    assert intent["metadata"] == {
        "payment_id": str(payment.pk),
        "invoice_id": str(invoice.pk),
    }
    create = [r for r in fake_stripe.requests if r[1] == "/v1/payment_intents"][0]
    assert create[2] == f"invoice-{invoice.pk}-payment-{payment.pk}"


def test_declined_card_fails_and_the_invoice_stays_unpaid(fake_stripe, invoice, buyer):
    payment, _secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )

    payment = card_payment_confirm(payment=payment, payment_method_id=DECLINED)

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_message == "Your card was declined."
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.ISSUED, Decimal("0"))


def test_starting_twice_reuses_the_payment_intent(fake_stripe, invoice, buyer):
    first, _s1 = card_payment_start(invoice=invoice, membership=buyer.memberships.get())
    second, _s2 = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )

    assert first.pk == second.pk
    assert len(fake_stripe.intents) == 1
    assert Payment.objects.count() == 1


def test_paying_an_already_paid_invoice_is_refused(fake_stripe, invoice, buyer):
    payment, _secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )
    card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")

    with pytest.raises(PaymentError):
        card_payment_start(invoice=invoice, membership=buyer.memberships.get())
    with pytest.raises(PaymentError):
        card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")

    assert Payment.objects.count() == 1
    assert len(fake_stripe.intents) == 1


def test_refund_goes_through_stripe_and_reopens_the_invoice(
    fake_stripe, invoice, buyer, staff_user
):
    payment, _secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )
    card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")

    refund = payment_refund(
        payment=payment, amount=Decimal("50.00"), refunded_by=staff_user
    )

    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert refund.stripe_refund_id in fake_stripe.refunds
    assert fake_stripe.refunds[refund.stripe_refund_id]["amount"] == 5000
    assert payment.amount_refunded == Decimal("50.00")
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PARTLY_PAID,
        Decimal("70.00"),
    )
    with pytest.raises(PaymentError):
        payment_refund(payment=payment, amount=Decimal("70.01"), refunded_by=staff_user)


def _started(invoice, buyer):
    payment, _secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )
    return payment


def _intent(fake_stripe, payment, status):
    intent = dict(fake_stripe.intents[payment.stripe_payment_intent_id])
    intent["status"] = status
    return intent


def test_webhook_with_a_bad_signature_is_refused_and_changes_nothing(
    client, fake_stripe, invoice, buyer
):
    payment = _started(invoice, buyer)
    payload = event_payload(
        event_id="evt_1",
        type="payment_intent.succeeded",
        obj=_intent(fake_stripe, payment, "succeeded"),
    )

    response = post_event(client, payload, secret="whsec_wrong")

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert response.status_code == 400
    assert payment.status == PaymentStatus.PENDING
    assert invoice.status == InvoiceStatus.ISSUED
    assert StripeEvent.objects.count() == 0


def test_webhook_with_a_stale_timestamp_is_refused(client, fake_stripe, invoice, buyer):
    payment = _started(invoice, buyer)
    payload = event_payload(
        event_id="evt_1",
        type="payment_intent.succeeded",
        obj=_intent(fake_stripe, payment, "succeeded"),
    )

    response = post_event(client, payload, timestamp=int(time.time()) - 301)

    payment.refresh_from_db()
    assert response.status_code == 400
    assert payment.status == PaymentStatus.PENDING
    assert StripeEvent.objects.count() == 0


def test_the_same_event_twice_has_one_effect(client, fake_stripe, invoice, buyer):
    payment = _started(invoice, buyer)
    payload = event_payload(
        event_id="evt_1",
        type="payment_intent.succeeded",
        obj=_intent(fake_stripe, payment, "succeeded"),
    )

    first = post_event(client, payload)
    second = post_event(client, payload)

    invoice.refresh_from_db()
    assert (first.status_code, second.status_code) == (200, 200)
    assert payment.allocations.count() == 1
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("120.00"),
    )
    assert StripeEvent.objects.count() == 1


def test_failure_after_success_leaves_the_invoice_paid(
    client, fake_stripe, invoice, buyer
):
    payment = _started(invoice, buyer)
    succeeded = event_payload(
        event_id="evt_1",
        type="payment_intent.succeeded",
        obj=_intent(fake_stripe, payment, "succeeded"),
    )
    failed = event_payload(
        event_id="evt_2",
        type="payment_intent.payment_failed",
        obj=_intent(fake_stripe, payment, "requires_payment_method"),
    )

    post_event(client, succeeded)
    response = post_event(client, failed)

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert response.status_code == 200
    assert payment.status == PaymentStatus.SUCCEEDED
    assert invoice.status == InvoiceStatus.PAID
    assert StripeEvent.objects.count() == 2


def test_success_event_before_the_intent_id_was_stored_finds_the_payment(
    client, fake_stripe, invoice, buyer
):
    payment = _started(invoice, buyer)
    intent = _intent(fake_stripe, payment, "succeeded")
    Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=None)

    post_event(
        client,
        event_payload(event_id="evt_1", type="payment_intent.succeeded", obj=intent),
    )

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.stripe_payment_intent_id == intent["id"]


def test_webhook_url_name():
    assert reverse("invoicing:stripe-webhook") == WEBHOOK
