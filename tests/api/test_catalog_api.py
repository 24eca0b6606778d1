"""Catalogue API: one product by article, availability and prices of many articles —
the caller's own prices (a contract buyer's contract, never another company's), the
visitor's public price, refusals of bad bodies, and answers as the schema says."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from catalog.models import CrossReference, Substitute
from catalog.pricing.models import PriceList
from tests.api.test_openapi import _answers_as_documented
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PartnerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)
from tests.pricing.factories import ContractFactory, ContractItemFactory

PRODUCT = "/api/v1/products/{article}/"
AVAILABILITY = "/api/v1/availability"
PRICES = "/api/v1/prices"


@pytest.fixture
def priced(catalogue, company):
    """The search catalogue with a public list (HB-M8/40: 100.00, 90.00 from 10),
    a contract of the buyer's company (60.00, 55.00 from 10) and one of another
    company (40.00) for the same product, a second warehouse and more numbers."""
    p = catalogue["products"]
    public = PriceListFactory(code="list", name="List price", kind=PriceList.Kind.LIST)
    for qty, price in ((1, "100.00"), (10, "90.00")):
        PriceListItemFactory(
            price_list=public, product=p["ball"], min_quantity=qty, price=Decimal(price)
        )
    PriceListItemFactory(price_list=public, product=p["roller"], price=Decimal("7.50"))
    PriceListItemFactory(price_list=public, product=p["english"], price=Decimal("80"))
    ours = ContractFactory(company=company, number="C-OURS")
    for qty, price in ((1, "60.00"), (10, "55.00")):
        ContractItemFactory(
            contract=ours, product=p["ball"], min_quantity=qty, price=Decimal(price)
        )
    other = CompanyFactory(name="Other buyer")
    theirs = ContractFactory(company=other, number="C-THEIRS")
    ContractItemFactory(contract=theirs, product=p["ball"], price=Decimal("40.00"))
    ContractItemFactory(contract=theirs, product=p["roller"], price=Decimal("1.00"))
    StockRecordFactory(
        product=p["ball"],
        partner=PartnerFactory(name="Kazan", city="Kazan", priority=5),
        num_in_stock=4,
    )
    CrossReference.objects.create(
        product=p["ball"], number="6204-2RS", brand="FAG", kind="manufacturer"
    )
    Substitute.objects.create(product=p["ball"], substitute=p["kit"], note="Kit")
    return {**catalogue, "other": other}


@pytest.fixture
def other_client(priced):
    client = Client()
    client.force_login(MembershipFactory(company=priced["other"]).user)
    return client


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/").json()


def _post(client, path, body, **kwargs):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **kwargs)


def _product(client, article, **kwargs):
    return client.get(PRODUCT.format(article=article), **kwargs)


# -- one product -------------------------------------------------------------------


def test_a_visitor_reads_a_product_with_the_public_price(client, priced, schema):
    response = _product(client, "HB-M8/40")
    assert response.status_code == 200
    data = response.json()
    assert data["article"] == "HB-M8/40"
    assert data["name"] == "Подшипник шариковый 6204-2RS"
    assert (data["manufacturer"], data["manufacturer_article"]) == ("SKF", "6204-2RSH")
    assert (data["unit"], data["pack_size"], data["min_order_qty"]) == ("pcs", 1, 1)
    assert [c["name"] for c in data["category_path"]] == ["Bearings", "Ball bearings"]
    assert data["category_path"][-1]["url"].startswith(
        "http://testserver/catalogue/category/bearings/ball-bearings_"
    )
    assert data["url"].startswith("http://testserver/catalogue/")
    assert data["price"] == {
        "price_excl_vat": "100.00",
        "price_incl_vat": "120.00",
        "currency": "RUB",
        "rule": "list_price",
        "breaks": [
            {"min_quantity": 1, "price_excl_vat": "100.00"},
            {"min_quantity": 10, "price_excl_vat": "90.00"},
        ],
        "reason": None,
    }
    stock = data["availability"]
    assert (stock["status"], stock["label"], stock["available"]) == (
        "in_stock",
        "In stock: 14",
        14,
    )
    assert sorted((w["city"], w["available"]) for w in stock["warehouses"]) == [
        ("", 10),
        ("Kazan", 4),
    ]
    assert data["cross_references"] == [
        {"brand": "FAG", "number": "6204-2RS", "kind": "manufacturer"}
    ]
    assert data["analogues"] == ["ART-6205"]
    assert data["substitutes"] == [{"article": "KIT-1", "note": "Kit"}]
    _answers_as_documented(schema, PRODUCT.format(article="{article}"), "get", response)


def test_the_article_is_normalised_and_may_hold_a_slash(client, priced):
    for typed in ("hb m8 40", "HBM840", "НВ-м8/40", "HB-M8%2F40"):
        response = _product(client, typed)
        assert response.status_code == 200, typed
        assert response.json()["article"] == "HB-M8/40"


def test_unknown_and_hidden_products_are_a_404(client, priced, schema):
    for article in ("NOPE-1", "HID-1", "---"):
        response = _product(client, article)
        assert response.status_code == 404, article
        assert response.json() == {"detail": f"No product with article {article}."}
        _answers_as_documented(
            schema, PRODUCT.format(article="{article}"), "get", response
        )


def test_a_contract_buyer_sees_the_contract_price(buyer_client, priced):
    price = _product(buyer_client, "HB-M8/40").json()["price"]
    assert (price["price_excl_vat"], price["price_incl_vat"], price["rule"]) == (
        "60.00",
        "72.00",
        "contract",
    )
    assert [b["price_excl_vat"] for b in price["breaks"]] == ["60.00", "55.00"]
    # Where the contract has no item, the public list price applies.
    roller = _product(buyer_client, "HB-M8/400").json()["price"]
    assert (roller["price_excl_vat"], roller["rule"]) == ("7.50", "list_price")


def test_another_companys_contract_never_leaks(other_client, buyer_client, priced):
    theirs = _product(other_client, "HB-M8/40").json()["price"]
    assert (theirs["price_excl_vat"], theirs["breaks"]) == (
        "40.00",
        [{"min_quantity": 1, "price_excl_vat": "40.00"}],
    )
    ours = _product(buyer_client, "HB-M8/400").json()
    assert ours["price"]["price_excl_vat"] == "7.50"
    text = json.dumps(_product(buyer_client, "HB-M8/40").json())
    assert "40.00" not in text and "C-THEIRS" not in text


def test_hidden_prices_are_null_for_visitors(buyer_client, priced, settings):
    settings.SHOP_ANONYMOUS_PRICES = "login"
    price = _product(Client(), "HB-M8/40").json()["price"]
    assert price == {
        "price_excl_vat": None,
        "price_incl_vat": None,
        "currency": None,
        "rule": None,
        "breaks": [],
        "reason": "price_hidden",
    }
    assert _product(buyer_client, "HB-M8/40").json()["price"]["rule"] == "contract"


# -- availability --------------------------------------------------------------------


def test_availability_of_many_articles(client, priced, schema):
    body = {
        "items": [
            {"article": "hb m8 40", "quantity": 20},
            {"article": "HB-M8/400"},
            {"article": "BELT-1000", "quantity": 1},
            {"article": "HID-1"},
            {"article": "NOPE"},
            {"article": " - "},
        ]
    }
    response = _post(client, AVAILABILITY, body)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [
        (i["article"], i["found"], i["product_article"], i["status"]) for i in items
    ] == [
        ("hb m8 40", True, "HB-M8/40", "in_stock"),
        ("HB-M8/400", True, "HB-M8/400", "to_order"),
        ("BELT-1000", True, "BELT-1000", "on_request"),
        ("HID-1", False, None, None),
        ("NOPE", False, None, None),
        (" - ", False, None, None),
    ]
    ball = items[0]
    assert (ball["available"], ball["quantity"], ball["now"], ball["later"]) == (
        14,
        20,
        14,
        6,
    )
    assert ball["promise"].startswith("14 available now, the rest (6) in ")
    assert (items[1]["now"], items[1]["promise"], items[1]["label"]) == (
        None,
        None,
        "10–11 days",
    )
    assert (items[2]["now"], items[2]["later"], items[2]["promise"]) == (
        0,
        1,
        "On request",
    )
    _answers_as_documented(schema, AVAILABILITY, "post", response)


# -- prices --------------------------------------------------------------------------


def test_prices_for_a_visitor(client, priced, schema):
    body = {
        "items": [
            {"article": "HB-M8/40", "quantity": 12},
            {"article": "HB-M8/40", "quantity": 3},
            {"article": "BELT-1000", "quantity": 1},
            {"article": "NOPE", "quantity": 1},
        ]
    }
    response = _post(client, PRICES, body)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0] == {
        "article": "HB-M8/40",
        "quantity": 12,
        "found": True,
        "product_article": "HB-M8/40",
        "price_excl_vat": "90.00",
        "price_incl_vat": "108.00",
        "total_excl_vat": "1080.00",
        "total_incl_vat": "1296.00",
        "currency": "RUB",
        "rule": "list_price",
        "reason": None,
    }
    assert (items[1]["price_excl_vat"], items[1]["total_excl_vat"]) == (
        "100.00",
        "300.00",
    )
    assert (items[2]["found"], items[2]["price_excl_vat"], items[2]["reason"]) == (
        True,
        None,
        "no_price",
    )
    assert (items[3]["found"], items[3]["reason"]) == (False, "not_found")
    _answers_as_documented(schema, PRICES, "post", response)


def test_prices_for_a_contract_buyer_and_the_other_company(
    buyer_client, other_client, priced
):
    body = {"items": [{"article": "HB-M8/40", "quantity": 10}]}
    ours = _post(buyer_client, PRICES, body).json()["items"][0]
    assert (ours["price_excl_vat"], ours["total_incl_vat"], ours["rule"]) == (
        "55.00",
        "660.00",
        "contract",
    )
    theirs = _post(other_client, PRICES, body).json()["items"][0]
    assert (theirs["price_excl_vat"], theirs["rule"]) == ("40.00", "contract")


def test_hidden_prices_have_a_reason(client, priced, settings):
    settings.SHOP_ANONYMOUS_PRICES = "login"
    body = {"items": [{"article": "HB-M8/40", "quantity": 1}]}
    item = _post(client, PRICES, body).json()["items"][0]
    assert (item["found"], item["price_excl_vat"], item["reason"]) == (
        True,
        None,
        "price_hidden",
    )


# -- bad input -----------------------------------------------------------------------

QUANTITY = "Item 1: the quantity must be a whole number from 1 to 1000000."
USAGE = 'The body must be JSON: {"items": [{"article": "...", "quantity": n}, ...]}.'
BAD_BODIES = [
    (b"not json", USAGE),
    (b"[1, 2]", USAGE),
    (b'{"items": "HB"}', USAGE),
    (b'{"articles": ["HB-M8/40"]}', USAGE),
    (b'{"items": []}', "Send from 1 to 500 items."),
    (json.dumps({"items": [{"article": "X"}] * 501}), "Send from 1 to 500 items."),
    (b'{"items": ["HB-M8/40"]}', f"Item 1: {USAGE}"),
    (b'{"items": [{"article": 7}]}', "Item 1: give the article as text."),
    (b'{"items": [{"article": ""}]}', "Item 1: give the article as text."),
    (
        json.dumps({"items": [{"article": "X" * 201}]}),
        "Item 1: an article has at most 200 characters.",
    ),
    (b'{"items": [{"article": "HB-M8/40", "quantity": 0}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": -3}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": NaN}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": Infinity}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": 1e9999}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": 2.5}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": "5"}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": true}]}', QUANTITY),
    (b'{"items": [{"article": "HB-M8/40", "quantity": 1000001}]}', QUANTITY),
]


@pytest.mark.parametrize("path", [AVAILABILITY, PRICES])
@pytest.mark.parametrize("body,message", BAD_BODIES)
def test_bad_bodies_are_a_400_and_read_nothing(
    client, priced, schema, path, body, message
):
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, path, body)
    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert not [q for q in queries if "catalogue_product" in q["sql"]]
    _answers_as_documented(schema, path, "post", response)


def test_prices_need_a_quantity_availability_does_not(client, priced):
    body = {"items": [{"article": "HB-M8/40"}, {"article": "X", "quantity": None}]}
    assert _post(client, AVAILABILITY, body).status_code == 200
    response = _post(client, PRICES, body)
    assert response.status_code == 400
    assert response.json() == {"detail": QUANTITY}


def test_a_bad_item_later_in_the_list_is_named(client, priced):
    body = {"items": [{"article": "A", "quantity": 1}, {"article": "B", "quantity": 0}]}
    response = _post(client, PRICES, body)
    assert response.json() == {"detail": QUANTITY.replace("Item 1", "Item 2")}


# -- who may call --------------------------------------------------------------------


def _token(user, company, scopes):
    return ApiToken.issue(user=user, company=company, name="ERP", scopes=scopes)[1]


def test_a_read_token_may_call_all_three(priced, buyer, company, schema):
    key = _token(buyer, company, ["read"])
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {key}")
    product = _product(client, "HB-M8/40")
    assert product.json()["price"]["rule"] == "contract"
    body = {"items": [{"article": "HB-M8/40", "quantity": 1}]}
    stock = _post(client, AVAILABILITY, body)
    price = _post(client, PRICES, body)
    assert (product.status_code, stock.status_code, price.status_code) == (200,) * 3
    assert price.json()["items"][0]["price_excl_vat"] == "60.00"


def test_a_token_without_read_is_refused(priced, buyer, company, schema):
    key = _token(buyer, company, ["finance"])
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    body = {"items": [{"article": "HB-M8/40", "quantity": 1}]}
    answers = [
        (PRODUCT.format(article="{article}"), "get", _product(client, "HB-M8/40")),
        (AVAILABILITY, "post", _post(client, AVAILABILITY, body)),
        (PRICES, "post", _post(client, PRICES, body)),
    ]
    for path, method, response in answers:
        assert response.status_code == 403, path
        assert response.json() == {
            "detail": "This API token does not have the “read” scope."
        }
        _answers_as_documented(schema, path, method, response)


def test_a_bad_token_is_a_401(priced, schema):
    client = Client(HTTP_AUTHORIZATION="Token nope")
    response = _post(client, PRICES, {"items": [{"article": "X", "quantity": 1}]})
    assert response.status_code == 401
    _answers_as_documented(schema, PRICES, "post", response)
    assert _product(client, "HB-M8/40").status_code == 401


def test_a_session_post_needs_its_csrf_token(priced, buyer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    body = {"items": [{"article": "HB-M8/40", "quantity": 1}]}
    assert _post(client, PRICES, body).status_code == 403
    assert _post(client, AVAILABILITY, body).status_code == 403


# -- query budgets -------------------------------------------------------------------


def _many(count: int) -> list:
    """`count` priced products with stock in two warehouses and contract items."""
    products = []
    public = PriceList.objects.get(code="list")
    for n in range(count):
        product = ProductFactory(article=f"MANY-{count}-{n}")
        StockRecordFactory(product=product, num_in_stock=n)
        PriceListItemFactory(price_list=public, product=product)
        products.append(product)
    return products


def _queries(client, path, body) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, path, body)
    assert response.status_code == 200
    return len(queries)


# A token caller: the token, its member and company, the stamp of its use; then the
# products and their stock (availability), or the products, stock and the price
# book — lists, the company's terms and rules, list items, contract items (prices).
BUDGETS = {AVAILABILITY: 5, PRICES: 10}


@pytest.mark.parametrize("path", [AVAILABILITY, PRICES])
def test_query_budget_does_not_grow_with_the_items(
    priced, buyer, company, path, django_assert_max_num_queries
):
    key = _token(buyer, company, ["read"])
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    contract = company.contracts.get()
    counts = []
    for size in (5, 50):
        products = _many(size)
        for product in products[::2]:
            ContractItemFactory(contract=contract, product=product)
        items = [{"article": p.article, "quantity": 3} for p in products]
        items.append({"article": "NOPE", "quantity": 1})
        counts.append(_queries(client, path, {"items": items}))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(BUDGETS[path]):
        _post(client, path, {"items": items})


def test_product_query_budget(buyer_client, priced, django_assert_max_num_queries):
    """The session, user and membership; the product, its cross-references,
    analogues, substitutes and stock; the price book (5); the category path (2)."""
    with django_assert_max_num_queries(15):
        response = _product(buyer_client, "HB-M8/40")
    assert response.status_code == 200


def test_refusals_speak_the_callers_language(client, priced):
    body = {"items": [{"article": "HB-M8/40", "quantity": 0}]}
    response = _post(client, PRICES, body, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json() == {
        "detail": "Позиция 1: количество — целое число от 1 до 1000000."
    }


def test_the_api_index_lists_them(client, db):
    endpoints = client.get("/api/v1/").json()["endpoints"]
    assert endpoints["availability"]["url"] == AVAILABILITY
    assert endpoints["prices"]["url"] == PRICES
    assert "products/<article>/" in endpoints["prices"]["usage"]
