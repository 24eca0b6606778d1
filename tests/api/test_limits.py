"""The API's limits: each token's request rate (429 with Retry-After past it, the
count in X-RateLimit-* headers, another token unaffected) and the largest body
(413 before anything reads it); the daily purge of old idempotency answers."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import ApiToken
from core.models import IdempotentRequest
from sales.basket.models import Basket
from shop.tasks import idempotent_requests_purge_task
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/cabinet/orders/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, role="buyer").user


def _token(user, company, name="ERP"):
    return ApiToken.issue(user=user, company=company, name=name)[1]


def _get(client, key):
    return client.get(ORDERS, HTTP_AUTHORIZATION=f"Token {key}")


def test_past_its_rate_a_token_waits_and_another_does_not(
    client, settings, member, company
):
    settings.SHOP_API_RATE_PER_TOKEN = "3/m"
    key, other = _token(member, company), _token(member, company, "BI")

    answers = [_get(client, key) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["X-RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert answers[0]["X-RateLimit-Limit"] == "3"
    assert 1 <= int(answers[3]["Retry-After"]) <= 60
    assert "more than 3 requests" in answers[3].json()["detail"]
    assert _get(client, other).status_code == 200


def test_a_session_caller_has_no_token_rate(client, settings, member):
    settings.SHOP_API_RATE_PER_TOKEN = "1/m"
    client.force_login(member)

    answers = [client.get(ORDERS) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "X-RateLimit-Limit" not in answers[0]


def test_a_body_past_the_limit_is_a_413_and_adds_nothing(
    client, settings, member, company
):
    settings.SHOP_API_MAX_BODY_BYTES = 2048
    key = _token(member, company)
    items = [{"article": f"A-{n}", "quantity": 1} for n in range(200)]

    response = client.post(
        "/api/v1/cabinet/basket/lines",
        json.dumps({"items": items}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 413
    assert "at most 2048 bytes" in response.json()["detail"]
    assert not Basket.objects.filter(owner=member, lines__isnull=False).exists()


def test_a_body_past_djangos_limit_is_a_413_on_pages_and_the_api(
    client, settings, member, company
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    key = _token(member, company)
    body = json.dumps({"numbers": ["6204-2RS"] * 500})

    api = client.post(
        "/api/v1/lookup",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    page = client.post(
        "/leads/",
        "message=" + "x" * 4096,
        content_type="application/x-www-form-urlencoded",
    )

    assert api.status_code == 413 and api.json()["detail"]
    assert page.status_code == 413
    assert "too large" in page.content.decode()


def test_a_malformed_length_is_a_400(client, member, company):
    key = _token(member, company)

    response = client.generic(
        "POST",
        "/api/v1/lookup",
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
        CONTENT_LENGTH="lots",
    )

    assert response.status_code == 400


def test_the_daily_purge_forgets_old_idempotency_answers(member):
    old = IdempotentRequest.objects.create(
        user=member, key="old", fingerprint="x", status_code=201
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    fresh = IdempotentRequest.objects.create(
        user=member, key="new", fingerprint="y", status_code=201
    )

    idempotent_requests_purge_task.enqueue()

    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
