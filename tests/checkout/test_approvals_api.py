"""The requisitions API (/api/v1/cabinet/requisitions/) with an API token: the
approver's queue, one requisition with its thread, approve (changed prices answered
409 with the total to confirm), reject, ask for changes, comment — the same rules as
the pages, and bad bodies refused with nothing changed."""

from decimal import Decimal

import pytest

from accounts.models import ApiToken, Role
from catalog.partner.models import StockRecord
from sales.checkout.models import Requisition, RequisitionStatus
from sales.order.models import Order
from tests.checkout.test_approvals import _limits, _submit
from tests.factories import MembershipFactory
from tests.invoicing.factories import stockrecord_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vat_strategy")]
API = "/api/v1/cabinet/requisitions/"


@pytest.fixture
def setup(buyer, company, seller):
    membership = buyer.memberships.get()
    approver = MembershipFactory(company=company, role=Role.APPROVER)
    _limits(membership, per_order=Decimal("1000.00"))
    stockrecord = stockrecord_make(price="1000.00", stock=10)
    requisition = _submit(membership, stockrecord).requisition
    return membership, approver, stockrecord, requisition


def _auth(membership):
    _token, key = ApiToken.issue(
        user=membership.user, company=membership.company, name="ERP"
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_the_approver_lists_approves_and_the_order_is_placed(client, setup):
    membership, approver, stockrecord, requisition = setup
    auth = _auth(approver)

    queue = client.get(API + "?waiting=me", **auth).json()
    assert [r["number"] for r in queue["results"]] == [requisition.number]
    assert queue["results"][0]["may_approve"] is True
    detail = client.get(f"{API}{requisition.number}/", **auth).json()
    assert detail["lines"][0]["quantity"] == 2
    assert detail["events"][0]["kind"] == "submitted"
    assert "above the limit" in detail["reasons"][0]

    answer = _post(
        client, f"{API}{requisition.number}/approve/", {"comment": "ОК"}, auth
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "approved" and body["order"]
    assert Order.objects.get().number == body["order"]


def test_changed_prices_answer_409_with_the_total_to_confirm(client, setup):
    _membership, approver, stockrecord, requisition = setup
    StockRecord.objects.filter(pk=stockrecord.pk).update(price=Decimal("1100.00"))
    auth = _auth(approver)
    url = f"{API}{requisition.number}/approve/"

    refused = _post(client, url, {}, auth)

    assert refused.status_code == 409
    assert refused.json()["confirm_total"] == "2640.00"
    assert Order.objects.count() == 0
    placed = _post(client, url, {"confirm_total": "2640.00"}, auth)
    assert placed.status_code == 200 and Order.objects.count() == 1


def test_the_buyer_cannot_approve_and_comments(client, setup):
    membership, _approver, _stockrecord, requisition = setup
    auth = _auth(membership)

    refused = _post(client, f"{API}{requisition.number}/approve/", {}, auth)
    comment = _post(
        client, f"{API}{requisition.number}/comment/", {"text": "Срочно"}, auth
    )

    assert refused.status_code == 403
    assert comment.status_code == 200
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"reason": 5}',
        b'{"reason": ""}',
        b'{"reason": "a\\u0000b"}',
        b'{"reason": "' + b"x" * 20000 + b'"}',
    ],
)
def test_bad_bodies_are_refused_and_change_nothing(client, setup, body):
    _membership, approver, _stockrecord, requisition = setup

    answer = client.post(
        f"{API}{requisition.number}/reject/",
        body,
        content_type="application/json",
        **_auth(approver),
    )

    assert answer.status_code == 400
    assert "detail" in answer.json()
    assert Requisition.objects.get().status == RequisitionStatus.PENDING


def test_another_companys_token_gets_404(client, setup):
    _membership, _approver, _stockrecord, requisition = setup
    stranger = MembershipFactory(role=Role.ADMIN)
    auth = _auth(stranger)

    assert client.get(f"{API}{requisition.number}/", **auth).status_code == 404
    answer = _post(client, f"{API}{requisition.number}/approve/", {}, auth)
    assert answer.status_code == 404
    assert client.get(API, **auth).json()["count"] == 0
    assert Requisition.objects.get().status == RequisitionStatus.PENDING


def test_an_unknown_status_filter_is_a_400(client, setup):
    _membership, approver, _stockrecord, _requisition = setup
    answer = client.get(API + "?status=lost", **_auth(approver))
    assert answer.status_code == 400
