"""The shop's Stripe client against localstripe (a third-party fake Stripe server,
PyPI `localstripe`), in addition to the project's own fake (stripe_server.py).

localstripe is pinned in requirements.txt (and the `test` extra); the tests start it
next to the interpreter's virtualenv (or LOCALSTRIPE=/path/to/it, or on PATH) on a
free port and stop it afterwards. localstripe does not deliver webhooks to us, so the
event is built from its PaymentIntent and signed the way Stripe signs it."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
import stripe

from invoicing.models import InvoiceStatus, Payment, PaymentStatus
from invoicing.services.payments import (
    card_payment_attempt,
    card_payment_complete,
    card_payment_confirm,
    card_payment_start,
)
from tests.invoicing.conftest import WEBHOOK_SECRET
from tests.invoicing.factories import invoice_make
from tests.invoicing.stripe_server import (
    event_payload,
    intent_authenticate,
    webhook_signature,
)

pytestmark = pytest.mark.django_db

_BESIDE = Path(sys.executable).with_name("localstripe")
EXECUTABLE = (
    os.environ.get("LOCALSTRIPE")
    or (str(_BESIDE) if _BESIDE.exists() else None)
    or shutil.which("localstripe")
)
KEY = "sk_test_localstripe"
# Parameters Stripe takes and localstripe 1.15.10 refuses ("Unexpected ...", 400):
# the shop sends them to Stripe; they are dropped on the way to localstripe only.
NOT_IN_LOCALSTRIPE = {"create": {"description"}, "confirm": {"use_stripe_sdk"}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base, path, post=False, **form):
    data = "&".join(f"{k}={v}" for k, v in form.items()).encode() if form else None
    data = b"" if post and data is None else data
    request = urllib.request.Request(base + path, data=data)
    request.add_header("Authorization", f"Bearer {KEY}")
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 (local)
        return json.loads(reply.read())


@pytest.fixture(scope="module")
def localstripe_url():
    if not EXECUTABLE:
        pytest.skip(
            "localstripe is not installed: pip install -r requirements.txt "
            "(or set LOCALSTRIPE=/path/to/it)"
        )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [EXECUTABLE, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def on_localstripe(settings, monkeypatch, localstripe_url):
    service = stripe.PaymentIntentService
    for name, unknown in NOT_IN_LOCALSTRIPE.items():
        monkeypatch.setattr(service, name, _without(getattr(service, name), unknown))
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return localstripe_url


def _without(method, unknown):
    def call(self, *args, params=None, options=None):
        params = {k: v for k, v in (params or {}).items() if k not in unknown}
        return method(self, *args, params=params, options=options)

    return call


def _card(base, number="4242424242424242"):
    return _api(
        base,
        "/v1/payment_methods",
        type="card",
        **{
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
        },
    )["id"]


def test_a_card_payment_on_localstripe_pays_the_invoice(
    on_localstripe, seller, company, buyer
):
    invoice = invoice_make(company=company)  # 120.00
    payment, secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )
    assert payment.stripe_payment_intent_id.startswith("pi_")
    assert secret.startswith(payment.stripe_payment_intent_id)

    payment = card_payment_confirm(
        payment=payment, payment_method_id=_card(on_localstripe)
    )

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("120.00"),
    )
    intent = _api(
        on_localstripe, f"/v1/payment_intents/{payment.stripe_payment_intent_id}"
    )
    assert (intent["amount"], intent["currency"], intent["status"]) == (
        12000,
        "rub",
        "succeeded",
    )


def test_a_succeeded_webhook_built_from_localstripe_settles_a_pending_payment(
    client, on_localstripe, seller, company, buyer
):
    invoice = invoice_make(company=company)
    payment, _secret = card_payment_start(
        invoice=invoice, membership=buyer.memberships.get()
    )
    intent_id = payment.stripe_payment_intent_id
    # the buyer pays in Stripe directly (e.g. Stripe.js): the shop only hears the webhook
    _api(
        on_localstripe,
        f"/v1/payment_intents/{intent_id}",
        payment_method=_card(on_localstripe),
    )
    intent = _api(on_localstripe, f"/v1/payment_intents/{intent_id}/confirm", True)
    assert intent["status"] == "succeeded"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    payload = event_payload(
        event_id="evt_localstripe_1", type="payment_intent.succeeded", obj=intent
    )
    reply = client.post(
        "/payments/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=webhook_signature(payload, WEBHOOK_SECRET),
    )

    assert reply.status_code == 200
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert invoice.status == InvoiceStatus.PAID


@pytest.mark.parametrize("bank_confirms", [True, False])
def test_3ds_card_on_localstripe_waits_for_the_bank_then_settles_or_fails(
    on_localstripe, seller, company, buyer, bank_confirms
):
    invoice = invoice_make(company=company)
    membership = buyer.memberships.get()
    attempt = card_payment_attempt(
        invoice=invoice,
        membership=membership,
        payment_method_id=_card(on_localstripe, "4000002500003155"),
    )
    intent_id = attempt.payment.stripe_payment_intent_id

    assert attempt.needs_action
    assert attempt.action_secret.startswith(f"{intent_id}_secret_")
    assert attempt.payment.status == PaymentStatus.PENDING
    intent_authenticate(on_localstripe, intent_id, attempt.action_secret, bank_confirms)
    outcome = card_payment_complete(invoice=invoice, membership=membership)
    card_payment_complete(invoice=invoice, membership=membership)  # page reloaded

    invoice.refresh_from_db()
    if bank_confirms:
        assert outcome.payment.status == PaymentStatus.SUCCEEDED
        assert outcome.payment.allocations.count() == 1
        assert (invoice.status, invoice.amount_paid) == (
            InvoiceStatus.PAID,
            Decimal("120.00"),
        )
    else:
        assert outcome.payment.status == PaymentStatus.FAILED
        assert "authentication" in outcome.payment.failure_message
        assert (invoice.status, invoice.amount_paid) == (
            InvoiceStatus.ISSUED,
            Decimal("0"),
        )
        assert not Payment.objects.filter(status=PaymentStatus.SUCCEEDED).exists()
