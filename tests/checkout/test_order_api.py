"""Placing an order through the API (POST /api/v1/cabinet/orders/): the checkout's
one service behind a token with the `order` scope; an Idempotency-Key makes a repeat
harmless (one order, the first answer again); bad input changes nothing."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from catalog.partner.models import StockRecord
from core.models import IdempotentRequest
from invoicing.models import Invoice
from sales.basket.models import Basket
from sales.checkout.models import ApprovalPolicy, Requisition
from sales.order.models import Order, PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import address_make, basket_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vat_strategy")]

API = "/api/v1/cabinet/orders/"


@pytest.fixture
def world(buyer, company, stockrecord, seller, credit_account):
    address = address_make(company=company)
    basket = basket_make(user=buyer, items=[(stockrecord, 2)])  # 2,000 + 400 VAT
    key = ApiToken.issue(user=buyer, company=company, name="ERP", scopes=["order"])[1]
    return {"address": address, "basket": basket, "key": key, "stock": stockrecord}


def _place(client, key, body, *, idempotency_key=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    if idempotency_key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    return client.post(
        API,
        raw if raw is not None else json.dumps(body),
        content_type="application/json",
        **headers,
    )


def _body(world, **overrides):
    return {
        "payment_method": PaymentMethod.ON_ACCOUNT,
        "address": world["address"].pk,
        "po_number": "PO-API-7",
        **overrides,
    }


def test_the_basket_is_placed_as_an_order_with_its_invoice(client, world, buyer):
    response = _place(client, world["key"], _body(world))

    assert response.status_code == 201, response.content
    data = response.json()
    order = Order.objects.get(number=data["number"])
    assert order.user == buyer and order.company_id == world["address"].company_id
    assert order.po_number == "PO-API-7"
    assert order.payment_method == PaymentMethod.ON_ACCOUNT
    assert data["total_incl_tax"] == "2400.00"
    assert [
        (line["quantity"], line["unit_price_excl_tax"]) for line in data["lines"]
    ] == [(2, "1000.00")]
    invoice = Invoice.objects.get(pk=data["invoice"]["id"])
    assert invoice.order == order and data["invoice"]["number"] == invoice.number
    world["basket"].refresh_from_db()
    assert world["basket"].status == Basket.SUBMITTED
    stock = StockRecord.objects.get(pk=world["stock"].pk)
    assert stock.num_allocated == 2


def test_a_repeat_with_the_same_idempotency_key_places_one_order(client, world):
    first = _place(client, world["key"], _body(world), idempotency_key="po-api-7-try")
    again = _place(client, world["key"], _body(world), idempotency_key="po-api-7-try")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Order.objects.count() == 1
    assert Invoice.objects.filter(order__isnull=False).count() == 1


def test_without_a_key_a_repeat_finds_the_basket_already_placed(client, world):
    assert _place(client, world["key"], _body(world)).status_code == 201

    again = _place(client, world["key"], _body(world))

    assert again.status_code == 400
    assert again.json() == {"detail": "Your cart is empty."}
    assert Order.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, world):
    _place(client, world["key"], _body(world), idempotency_key="k-1")

    other = _place(
        client, world["key"], _body(world, po_number="PO-8"), idempotency_key="k-1"
    )

    assert other.status_code == 422
    assert "another request" in other.json()["detail"]
    assert Order.objects.count() == 1


def test_a_refused_request_leaves_its_key_free_for_the_corrected_one(client, world):
    bad = _place(
        client, world["key"], _body(world, address=10**9), idempotency_key="k-2"
    )
    assert bad.status_code == 400
    assert not IdempotentRequest.objects.exists()

    good = _place(
        client, world["key"], _body(world, address=None), idempotency_key="k-2"
    )
    assert good.status_code == 201  # the company's default address
    assert Order.objects.count() == 1


def test_keys_are_the_callers_own(client, world, company, stockrecord):
    colleague = MembershipFactory(company=company, role="buyer").user
    basket_make(user=colleague, items=[(stockrecord, 1)])
    theirs = ApiToken.issue(user=colleague, company=company, name="ERP 2")[1]

    assert (
        _place(client, world["key"], _body(world), idempotency_key="same").status_code
        == 201
    )
    second = _place(client, theirs, _body(world), idempotency_key="same")

    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Order.objects.count() == 2


def test_an_expired_answer_is_forgotten(client, world, settings):
    _place(client, world["key"], _body(world), idempotency_key="old")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = _place(client, world["key"], _body(world), idempotency_key="old")

    assert again.status_code == 400  # ran again: the basket is placed already
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "tab\there", "кириллица", "nul\x00"], ids=repr
)
def test_a_malformed_key_is_a_400(client, world, key):
    response = _place(client, world["key"], _body(world), idempotency_key=key)

    assert response.status_code == 400
    assert Order.objects.count() == 0


def test_approval_rules_make_it_a_requisition(client, world, company):
    ApprovalPolicy.objects.create(company=company, amount_above="100.00")
    MembershipFactory(company=company, role="approver")

    response = _place(client, world["key"], _body(world), idempotency_key="r-1")

    assert response.status_code == 202, response.content
    requisition = Requisition.objects.get(number=response.json()["requisition"])
    assert requisition.company == company
    assert response.json()["reasons"]
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"payment_method": "barter"},
        {"payment_method": "on_account", "address": "one"},
        {"payment_method": "on_account", "desired_delivery_date": "2001-01-01"},
        {"payment_method": "on_account", "po_number": "x" * 65},
        {"payment_method": "on_account", "comment": "nul \x00 byte"},
        [],
        "text",
    ],
    ids=repr,
)
def test_bad_input_is_a_400_and_changes_nothing(client, world, body):
    response = _place(client, world["key"], body)

    assert response.status_code == 400
    assert "detail" in response.json()
    assert Order.objects.count() == 0
    world["basket"].refresh_from_db()
    assert world["basket"].status == Basket.OPEN


def test_not_json_is_a_400(client, world):
    response = _place(client, world["key"], None, raw=b"\xff\xfe not json")

    assert response.status_code == 400
    assert Order.objects.count() == 0


def test_another_companys_address_is_not_found(client, world):
    foreign = address_make(company=CompanyFactory())

    response = _place(client, world["key"], _body(world, address=foreign.pk))

    assert response.status_code == 400
    assert "your company's addresses" in response.json()["detail"]
    assert Order.objects.count() == 0


def test_a_read_token_may_not_place(client, world, buyer, company):
    reader = ApiToken.issue(user=buyer, company=company, name="BI", scopes=["read"])[1]

    response = _place(client, reader, _body(world))

    assert response.status_code == 403
    assert "order" in response.json()["detail"]
    assert Order.objects.count() == 0


def test_an_accountant_may_not_place(client, world, company):
    accountant = MembershipFactory(company=company, role="accountant").user
    key = ApiToken.issue(user=accountant, company=company, name="ERP")[1]

    response = _place(client, key, _body(world))

    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_without_credit_on_account_is_refused(client, world, credit_account):
    credit_account.is_active = False
    credit_account.save()

    response = _place(client, world["key"], _body(world))

    assert response.status_code == 400
    assert Order.objects.count() == 0
    bank = _place(
        client, world["key"], _body(world, payment_method=PaymentMethod.BANK_TRANSFER)
    )
    assert bank.status_code == 201


def test_an_oversized_body_is_a_413(client, world, settings):
    settings.SHOP_API_MAX_BODY_BYTES = 1024
    response = _place(client, world["key"], _body(world, comment="x" * 2000))

    assert response.status_code == 413
    assert Order.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_repeats_place_one_order(world):
    """Two clients send the same key at once: one order; the other answer is the
    first one replayed or a 409 to retry."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race is PostgreSQL's")
    barrier = threading.Barrier(2)
    answers = []

    def send():
        client = Client()
        barrier.wait()
        answers.append(
            _place(client, world["key"], _body(world), idempotency_key="race")
        )
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409])
    assert Order.objects.count() == 1
