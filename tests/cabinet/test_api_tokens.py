"""API tokens in the cabinet: a company administrator creates a named, scoped token
acting as a member (its key shown once, stored hashed), sees when it was last used,
and revokes it; a token calls only what its scopes allow; nobody else manages them,
and another company's token is a 404."""

import json

import pytest
from django.urls import reverse

from accounts.models import ApiToken, Role, TeamEvent, api_token_hash
from tests.cabinet.factories import priced_product
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PAGE = "/cabinet/api-tokens/"


@pytest.fixture
def admin(company):
    return MembershipFactory(company=company, role=Role.ADMIN)


@pytest.fixture
def buyer_membership(company):
    return MembershipFactory(company=company, role=Role.BUYER)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin.user)
    return client


def _create(client, member, name="1C ERP", scopes=()):
    return client.post(
        PAGE, {"name": name, "member": member.pk, "scopes": list(scopes)}, follow=True
    )


def _key(response) -> str:
    html = response.content.decode()
    marker = 'id="api-token-value"'
    assert marker in html, "the key is not shown"
    tail = html[html.index(marker) :]
    return tail.split('value="', 1)[1].split('"', 1)[0]


def test_the_key_is_shown_once_and_stored_hashed(admin_client, admin, buyer_membership):
    response = _create(admin_client, buyer_membership, scopes=["order"])
    assert response.status_code == 200
    assert response.redirect_chain == [(PAGE, 302)]  # a reload makes no second token
    assert "no-store" in response["Cache-Control"]
    key = _key(response)
    token = ApiToken.objects.get()
    assert token.key_hash == api_token_hash(key) and key not in token.key_hash
    assert (token.user, token.company, token.created_by) == (
        buyer_membership.user,
        admin.company,
        admin.user,
    )
    assert token.scope_set == {"read", "order"}
    again = admin_client.get(PAGE).content.decode()
    assert key not in again and token.prefix in again and "1C ERP" in again
    event = TeamEvent.objects.get(action=TeamEvent.Action.TOKEN_CREATED)
    assert event.actor == admin.user and token.prefix in event.subject


def test_scopes_decide_what_the_token_may_call(admin_client, buyer_membership, client):
    product = priced_product(article="SCOPE-1")
    read_key = _key(_create(admin_client, buyer_membership, name="reader"))
    order_key = _key(
        _create(admin_client, buyer_membership, name="orders", scopes=["order"])
    )
    body = json.dumps({"items": [{"product": product.pk, "quantity": 2}]})
    client.logout()
    for key in (read_key, order_key):  # reading is every token's
        auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
        assert client.get("/api/v1/cabinet/orders/", **auth).status_code == 200
        assert (
            client.post(
                "/api/v1/cabinet/quick-order/resolve",
                data=json.dumps({"lines": "SCOPE-1 2"}),
                content_type="application/json",
                **auth,
            ).status_code
            == 200
        )
    refused = client.post(
        "/api/v1/cabinet/basket/lines",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {read_key}",
    )
    assert refused.status_code == 403
    assert "order" in refused.json()["detail"]
    basket = client.get(
        "/api/v1/cabinet/basket/", HTTP_AUTHORIZATION=f"Token {read_key}"
    ).json()
    assert basket["lines"] == []
    added = client.post(
        "/api/v1/cabinet/basket/lines",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {order_key}",
    )
    assert added.status_code == 200, added.content
    assert added.json()["added"][0]["quantity"] == 2


def test_last_use_is_shown_and_a_revoked_token_stops_at_once(
    admin_client, admin, client
):
    key = _key(_create(admin_client, admin))
    token = ApiToken.objects.get()
    assert "never" in admin_client.get(PAGE).content.decode()
    api = client.__class__()
    assert (
        api.get(
            "/api/v1/cabinet/orders/", HTTP_AUTHORIZATION=f"Token {key}"
        ).status_code
        == 200
    )
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "never" not in admin_client.get(PAGE).content.decode()
    response = admin_client.post(reverse("cabinet:api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        api.get(
            "/api/v1/cabinet/orders/", HTTP_AUTHORIZATION=f"Token {key}"
        ).status_code
        == 401
    )
    revoked_at = token.revoked_at
    admin_client.post(reverse("cabinet:api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at == revoked_at  # revoking twice changes nothing
    assert TeamEvent.objects.filter(action=TeamEvent.Action.TOKEN_REVOKED).count() == 1


@pytest.mark.parametrize(
    "data, error",
    [
        ({"name": ""}, None),
        ({"name": "x" * 65}, None),
        ({"name": "ERP\x00"}, "name"),
        ({"scopes": ["superuser"]}, None),
        ({"member": "abc"}, None),
        ({"member": str(2**63)}, None),
    ],
)
def test_bad_input_creates_nothing(admin_client, admin, data, error):
    form = {"name": "ERP", "member": admin.pk, **data}
    response = admin_client.post(PAGE, form)
    assert response.status_code == 400
    assert 'id="api-token-value"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_member_of_another_company_cannot_be_the_token_user(admin_client):
    stranger = MembershipFactory(company=CompanyFactory(), role=Role.ADMIN)
    response = admin_client.post(PAGE, {"name": "ERP", "member": stranger.pk})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_only_administrators_and_only_their_own_company(
    client, admin, buyer_membership
):
    token, _key = ApiToken.issue(
        user=admin.user, company=admin.company, name="Warehouse robot"
    )
    for role in (Role.BUYER, Role.APPROVER, Role.ACCOUNTANT):
        member = MembershipFactory(company=admin.company, role=role)
        client.force_login(member.user)
        assert client.get(PAGE).status_code == 403
        assert _create(client, member).status_code == 403
        revoke = client.post(reverse("cabinet:api-token-revoke", args=[token.pk]))
        assert revoke.status_code == 403
    other_admin = MembershipFactory(company=CompanyFactory(), role=Role.ADMIN)
    client.force_login(other_admin.user)
    assert "Warehouse robot" not in client.get(PAGE).content.decode()
    revoke = client.post(reverse("cabinet:api-token-revoke", args=[token.pk]))
    assert revoke.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1
