"""3-D Secure: a card whose bank asks for authentication (`requires_action`, card
4000 0025 0000 3155) is not a failure. The payment stays pending while the buyer
answers the bank; the server then reads the PaymentIntent and records the payment
exactly once, whether the page or the webhook reports first, or twice."""

import re
from decimal import Decimal

import pytest

from invoicing.models import InvoiceStatus, Payment, PaymentStatus
from invoicing.services.payments import (
    card_payment_attempt,
    card_payment_complete,
)
from tests.factories import CompanyFactory
from tests.invoicing.conftest import WEBHOOK_SECRET
from tests.invoicing.factories import invoice_make
from tests.invoicing.stripe_server import (
    AUTHENTICATION_FAILED,
    THREE_D_SECURE,
    event_payload,
    intent_authenticate,
    webhook_signature,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(seller, company):
    return invoice_make(company=company)  # 120.00


@pytest.fixture
def stripe_base(settings, fake_stripe):
    return settings.STRIPE_API_BASE


def _pay_url(invoice):
    return f"/cabinet/invoices/{invoice.pk}/pay/"


def _bank_answers(stripe_base, payment, *, success):
    intent = Payment.objects.get(pk=payment.pk).stripe_payment_intent_id
    return intent_authenticate(stripe_base, intent, f"{intent}_secret_x", success)


def _webhook(client, intent, event_id):
    payload = event_payload(
        event_id=event_id, type="payment_intent.succeeded", obj=intent
    )
    return client.post(
        "/payments/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=webhook_signature(payload, WEBHOOK_SECRET),
    )


def test_a_card_asking_for_3ds_stays_pending_and_hands_out_the_client_secret(
    fake_stripe, invoice, buyer
):
    attempt = card_payment_attempt(
        invoice=invoice,
        membership=buyer.memberships.get(),
        payment_method_id=THREE_D_SECURE,
    )

    invoice.refresh_from_db()
    intent = fake_stripe.intents[attempt.payment.stripe_payment_intent_id]
    assert attempt.needs_action
    assert attempt.action_secret == intent["client_secret"]
    assert attempt.payment.status == PaymentStatus.PENDING
    assert attempt.payment.failure_message == ""
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.ISSUED, Decimal("0"))
    assert attempt.payment.allocations.count() == 0
    confirm = [r for r in fake_stripe.requests if r[1].endswith("/confirm")][0]
    assert confirm[3] == {"use_stripe_sdk": "true"}


def test_after_the_bank_confirms_the_payment_is_recorded_once(
    client, fake_stripe, stripe_base, invoice, buyer
):
    membership = buyer.memberships.get()
    attempt = card_payment_attempt(
        invoice=invoice, membership=membership, payment_method_id=THREE_D_SECURE
    )
    intent = _bank_answers(stripe_base, attempt.payment, success=True)

    first = card_payment_complete(invoice=invoice, membership=membership)
    again = card_payment_complete(invoice=invoice, membership=membership)
    late_webhook = _webhook(client, intent, "evt_3ds_late")

    invoice.refresh_from_db()
    payment = Payment.objects.get()
    assert (first.payment.status, again.payment.status) == ("succeeded", "succeeded")
    assert not first.needs_action
    assert late_webhook.status_code == 200
    assert payment.allocations.count() == 1
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("120.00"),
    )


def test_when_the_webhook_arrives_first_and_twice_the_page_records_nothing_more(
    client, fake_stripe, stripe_base, invoice, buyer
):
    membership = buyer.memberships.get()
    attempt = card_payment_attempt(
        invoice=invoice, membership=membership, payment_method_id=THREE_D_SECURE
    )
    intent = _bank_answers(stripe_base, attempt.payment, success=True)

    replies = [
        _webhook(client, intent, "evt_3ds_1").status_code,
        _webhook(client, intent, "evt_3ds_1").status_code,  # Stripe retries
        _webhook(client, intent, "evt_3ds_2").status_code,  # another event id
    ]
    page = card_payment_complete(invoice=invoice, membership=membership)

    invoice.refresh_from_db()
    assert replies == [200, 200, 200]
    assert page.payment.status == PaymentStatus.SUCCEEDED
    assert page.payment.allocations.count() == 1
    assert invoice.amount_paid == Decimal("120.00")


def test_failed_authentication_leaves_the_invoice_unpaid_and_a_new_card_can_pay(
    fake_stripe, stripe_base, invoice, buyer
):
    membership = buyer.memberships.get()
    attempt = card_payment_attempt(
        invoice=invoice, membership=membership, payment_method_id=THREE_D_SECURE
    )
    _bank_answers(stripe_base, attempt.payment, success=False)

    failed = card_payment_complete(invoice=invoice, membership=membership)

    invoice.refresh_from_db()
    assert failed.payment.status == PaymentStatus.FAILED
    assert failed.payment.failure_message == AUTHENTICATION_FAILED
    assert not failed.needs_action
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.ISSUED, Decimal("0"))
    assert not Payment.objects.filter(status=PaymentStatus.SUCCEEDED).exists()

    retry = card_payment_attempt(
        invoice=invoice, membership=membership, payment_method_id="pm_card_visa"
    )

    invoice.refresh_from_db()
    assert retry.payment.pk != attempt.payment.pk
    assert retry.payment.status == PaymentStatus.SUCCEEDED
    assert invoice.status == InvoiceStatus.PAID


def test_pay_page_runs_3ds_from_a_static_script_and_completes(
    buyer_client, settings, fake_stripe, stripe_base, invoice
):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_local"

    asked = buyer_client.post(_pay_url(invoice), {"payment_method": THREE_D_SECURE})
    payment = Payment.objects.get()
    html = asked.content.decode()
    still_waiting = buyer_client.post(_pay_url(invoice), {"complete": "1"})
    _bank_answers(stripe_base, payment, success=True)
    done = buyer_client.post(_pay_url(invoice), {"complete": "1"}, follow=True)

    invoice.refresh_from_db()
    assert asked.status_code == 200
    assert f'data-action-secret="{payment.stripe_payment_intent_id}_secret_x"' in html
    assert 'id="complete-form"' in html
    assert "Your bank asks you to confirm this payment (3-D Secure)." in html
    assert "did not go through" not in html
    assert re.search(r'<script defer src="[^"]*invoicing/pay\.js"', html)
    assert "handleNextAction" not in html  # the code lives in the static file
    assert still_waiting.status_code == 200
    assert 'data-action-secret="pi_' in still_waiting.content.decode()
    assert done.redirect_chain[-1][0].endswith("/cabinet/invoices/")
    assert "Thank you, the payment is received." in done.content.decode()
    assert invoice.status == InvoiceStatus.PAID


def test_pay_page_says_so_when_the_bank_refuses(
    buyer_client, fake_stripe, stripe_base, invoice
):
    buyer_client.post(_pay_url(invoice), {"payment_method": THREE_D_SECURE})
    _bank_answers(stripe_base, Payment.objects.get(), success=False)

    refused = buyer_client.post(_pay_url(invoice), {"complete": "1"})

    invoice.refresh_from_db()
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Your bank did not confirm the payment, so the invoice is not paid." in html
    assert 'id="card-form"' in html and 'data-action-secret=""' in html
    assert invoice.status == InvoiceStatus.ISSUED
    assert Payment.objects.get().status == PaymentStatus.FAILED


def test_completing_without_a_payment_or_for_another_company_is_refused(
    buyer_client, fake_stripe, invoice, seller
):
    foreign = invoice_make(company=CompanyFactory())

    nothing = buyer_client.post(_pay_url(invoice), {"complete": "1"}, follow=True)
    other = buyer_client.post(_pay_url(foreign), {"complete": "1"})
    empty = buyer_client.post(_pay_url(invoice), {"payment_method": ""}, follow=True)

    assert "This payment was not started." in nothing.content.decode()
    assert other.status_code == 404
    assert "Enter the card details." in empty.content.decode()
    assert Payment.objects.count() == 0
    assert fake_stripe.requests == []


def test_russian_buyer_reads_the_3ds_messages_in_russian(
    buyer_client, fake_stripe, stripe_base, invoice
):
    buyer_client.cookies["django_language"] = "ru"

    asked = buyer_client.post(_pay_url(invoice), {"payment_method": THREE_D_SECURE})
    _bank_answers(stripe_base, Payment.objects.get(), success=False)
    refused = buyer_client.post(_pay_url(invoice), {"complete": "1"})

    assert "Банк просит подтвердить этот платёж (3-D Secure)." in asked.content.decode()
    assert "Банк не подтвердил платёж" in refused.content.decode()
