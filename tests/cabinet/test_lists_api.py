"""Purchase-list writes through the API: create (Idempotency-Key: one list), add
items by product id or article, remove a line, put the list into the basket through
the one basket service; roles as on the lists page, the `order` scope for a token;
another company's list is a 404, bad input a 400 that changes nothing."""

import json

import pytest

from accounts.models import ApiToken, Role
from cabinet.models import PurchaseList, PurchaseListLine
from sales.basket.models import Basket, Line
from tests.cabinet.factories import priced_product
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/cabinet/lists/"


@pytest.fixture
def world(company):
    buyer = MembershipFactory(company=company, role=Role.BUYER).user
    accountant = MembershipFactory(company=company, role=Role.ACCOUNTANT).user
    bearing = priced_product(article="6204-2RS", title="Bearing 6204")
    bolt = priced_product(article="DIN933-M8", title="Bolt M8")
    plist = PurchaseList.objects.create(
        company=company, name="Monthly", created_by=buyer
    )
    line = PurchaseListLine.objects.create(
        purchase_list=plist, product=bearing, quantity=3, position=1
    )
    other = CompanyFactory(name="Foreign Works")
    foreign = PurchaseList.objects.create(company=other, name="Theirs")
    foreign_line = PurchaseListLine.objects.create(
        purchase_list=foreign, product=bearing, quantity=7
    )

    def key(user, scopes):
        return ApiToken.issue(user=user, company=company, name="t", scopes=scopes)[1]

    return {
        "buyer": buyer,
        "list": plist,
        "line": line,
        "bearing": bearing,
        "bolt": bolt,
        "foreign": foreign,
        "foreign_line": foreign_line,
        "order_key": key(buyer, ["read", "order"]),
        "read_key": key(buyer, ["read"]),
        "accountant_key": key(accountant, ["read", "order"]),
    }


def _call(client, method, url, key, body=None, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body or {})
    return getattr(client, method)(
        url,
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
        **headers,
    )


def _post(client, url, key, body=None, **headers):
    return _call(client, "post", url, key, body, **headers)


def _quantities(plist) -> dict[str, int]:
    return {
        line.product.article: line.quantity
        for line in plist.lines.select_related("product")
    }


def test_create_a_list_and_a_repeated_key_creates_one(client, world, company):
    body = {"name": "  Spare   parts "}
    first = _post(client, API, world["order_key"], body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    created = first.json()
    assert (created["name"], created["lines"]) == ("Spare parts", 0)
    assert created["created_by"] == world["buyer"].email
    again = _post(client, API, world["order_key"], body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == created
    assert PurchaseList.objects.filter(company=company, name="Spare parts").count() == 1
    # Without the key a repeat is refused by the name's uniqueness, not duplicated.
    taken = _post(client, API, world["order_key"], {"name": "spare PARTS"})
    assert taken.status_code == 400 and "already exists" in taken.json()["detail"]


def test_create_refuses_bad_names_and_bodies(client, world, company):
    count = PurchaseList.objects.count()
    for body in (
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 121},
        {"name": 5},
        {},
        b"not json",
        b"[1, 2]",
        b'{"name": "a\\u0000b"}',
    ):
        response = _post(client, API, world["order_key"], body)
        assert response.status_code == 400, body
        assert response.json()["detail"], body
    assert PurchaseList.objects.count() == count


def test_add_items_by_product_id_and_article(client, world):
    url = f"{API}{world['list'].pk}/items"
    response = _post(
        client,
        url,
        world["order_key"],
        {
            "items": [
                {"article": "6204 2rs", "quantity": 2},
                {"product": world["bolt"].pk, "quantity": "50", "note": "Hall B"},
            ]
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": world["list"].pk,
        "name": "Monthly",
        "lines": 2,
        "added": 1,
        "increased": 1,
    }
    assert _quantities(world["list"]) == {"6204-2RS": 5, "DIN933-M8": 50}
    assert world["list"].lines.get(product=world["bolt"]).note == "Hall B"


def test_bad_items_change_nothing(client, world):
    url = f"{API}{world['list'].pk}/items"
    bolt = world["bolt"].pk
    for body in (
        {"items": []},
        {"items": [{"product": bolt, "quantity": 0}]},
        {"items": [{"product": bolt, "quantity": -3}]},
        {"items": [{"product": bolt, "quantity": 2.5}]},
        {"items": [{"product": bolt, "quantity": 10**12}]},
        {"items": [{"product": bolt, "quantity": "1e9999"}]},
        b'{"items": [{"product": %d, "quantity": NaN}]}' % bolt,
        b'{"items": [{"product": %d, "quantity": Infinity}]}' % bolt,
        {"items": [{"product": 2**70, "quantity": 1}]},
        {"items": [{"product": 999_999_999, "quantity": 1}]},
        {"items": [{"article": "NO-SUCH-ARTICLE", "quantity": 1}]},
        {"items": [{"product": bolt, "article": "6204-2RS", "quantity": 1}]},
        {"items": [{"quantity": 1}]},
        {"items": [{"product": bolt, "quantity": 1}, {"article": "NOPE"}]},
        {"items": [{"article": "a\x00b", "quantity": 1}]},
        b"",
        b"{",
    ):
        response = _post(client, url, world["order_key"], body)
        assert response.status_code == 400, body
        assert response.json()["detail"], body
    assert _quantities(world["list"]) == {"6204-2RS": 3}


def test_remove_a_line(client, world):
    plist, line = world["list"], world["line"]
    url = f"{API}{plist.pk}/items/{line.pk}/"
    assert _call(client, "delete", url, world["order_key"]).status_code == 204
    assert not plist.lines.exists()
    again = _call(client, "delete", url, world["order_key"])
    assert again.status_code == 404 and again.json()["detail"]
    foreign_line = world["foreign_line"].pk
    for bad in (f"{API}{plist.pk}/items/{foreign_line}/", f"{API}{plist.pk}/items/x/"):
        assert _call(client, "delete", bad, world["order_key"]).status_code == 404
    assert PurchaseListLine.objects.filter(pk=foreign_line).exists()


def test_the_list_goes_into_the_basket_through_the_basket_service(client, world):
    PurchaseListLine.objects.create(
        purchase_list=world["list"], product=world["bolt"], quantity=10, position=2
    )
    url = f"{API}{world['list'].pk}/to-basket"
    response = _post(client, url, world["order_key"], b"")
    assert response.status_code == 200
    report = response.json()
    assert {(a["article"], a["quantity"]) for a in report["added"]} == {
        ("6204-2RS", 3),
        ("DIN933-M8", 10),
    }
    assert report["refused"] == []
    basket = Basket.open.get(owner=world["buyer"])
    assert {(li.product.article, li.quantity) for li in basket.all_lines()} == {
        ("6204-2RS", 3),
        ("DIN933-M8", 10),
    }
    # Some lines only; a repeat with its Idempotency-Key adds nothing more.
    body = {"lines": [world["line"].pk]}
    for _ in range(2):
        again = _post(client, url, world["order_key"], body, HTTP_IDEMPOTENCY_KEY="b-1")
        assert again.status_code == 200
    assert Line.objects.get(basket=basket, product=world["bearing"]).quantity == 6


def test_to_basket_refusals(client, world):
    url = f"{API}{world['list'].pk}/to-basket"
    for body in ({"lines": [999_999]}, {"lines": ["x"]}, b"[", {"lines": 5}):
        response = _post(client, url, world["order_key"], body)
        assert response.status_code == 400, body
    empty = PurchaseList.objects.create(company=world["list"].company, name="Empty")
    response = _post(client, f"{API}{empty.pk}/to-basket", world["order_key"])
    assert response.status_code == 400
    assert not Line.objects.filter(basket__owner=world["buyer"]).exists()


def test_another_companys_list_is_404_and_unchanged(client, world):
    foreign = world["foreign"]
    key = world["order_key"]
    for method, url, body in (
        ("post", f"{API}{foreign.pk}/items", {"items": [{"article": "6204-2RS"}]}),
        ("delete", f"{API}{foreign.pk}/items/{world['foreign_line'].pk}/", None),
        ("post", f"{API}{foreign.pk}/to-basket", None),
        ("post", f"{API}{2**70}/items", {"items": [{"article": "6204-2RS"}]}),
        ("post", f"{API}abc/to-basket", None),
        ("delete", f"{API}{2**70}/items/1/", None),
    ):
        response = _call(client, method, url, key, body)
        assert response.status_code == 404, url
        assert response.json()["detail"], url
    assert _quantities(foreign) == {"6204-2RS": 7}
    assert not Line.objects.filter(basket__owner=world["buyer"]).exists()


def test_scopes_and_roles(client, world, company):
    plist = world["list"]
    writes = (
        ("post", API, {"name": "New"}),
        ("post", f"{API}{plist.pk}/items", {"items": [{"article": "DIN933-M8"}]}),
        ("delete", f"{API}{plist.pk}/items/{world['line'].pk}/", None),
        ("post", f"{API}{plist.pk}/to-basket", None),
    )
    for key, needle in ((world["read_key"], "order"), (world["accountant_key"], "")):
        for method, url, body in writes:
            response = _call(client, method, url, key, body)
            assert response.status_code == 403, (url, needle)
            assert needle in response.json()["detail"]
    assert _quantities(plist) == {"6204-2RS": 3}
    assert PurchaseList.objects.filter(company=company).count() == 1
    assert _call(client, "post", API, "", {"name": "x"}).status_code == 401


def test_a_session_needs_its_csrf_token(world):
    from django.test import Client

    session = Client(enforce_csrf_checks=True)
    session.force_login(world["buyer"])
    response = session.post(
        API, {"name": "Via browser"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not PurchaseList.objects.filter(name="Via browser").exists()


def test_the_lists_index_takes_the_same_queries_whatever_the_count(
    client, world, company, django_assert_max_num_queries
):
    def listed():
        return client.get(API, HTTP_AUTHORIZATION=f"Token {world['read_key']}")

    with django_assert_max_num_queries(6):
        assert len(listed().json()["results"]) == 1
    for number in range(25):
        PurchaseList.objects.create(company=company, name=f"List {number}")
    with django_assert_max_num_queries(6):
        assert len(listed().json()["results"]) == 26
