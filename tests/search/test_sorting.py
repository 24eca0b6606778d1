"""Sorting by list price and availability, on every backend: the same order on SQLite,
PostgreSQL (and Elasticsearch when a cluster is set), kept current when prices
change."""

from decimal import Decimal

import pytest
from django.db import connection

from catalog.pricing.models import PriceList
from search.backends import get_backend
from search.backends.elasticsearch.queries import build_search
from tests.factories import PriceListFactory, PriceListItemFactory


@pytest.fixture
def priced(catalogue):
    """List prices: roller 50, ball 120 (200 from 10 units), english 50, belt 10; kit
    and hose have none; a wholesale list's cheaper price does not count."""
    p = catalogue["products"]
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST)
    PriceListItemFactory(price_list=public, product=p["ball"], price=Decimal("120"))
    PriceListItemFactory(
        price_list=public, product=p["ball"], min_quantity=10, price=Decimal("1")
    )
    PriceListItemFactory(price_list=public, product=p["roller"], price=Decimal("50"))
    PriceListItemFactory(price_list=public, product=p["english"], price=Decimal("50"))
    PriceListItemFactory(price_list=public, product=p["belt"], price=Decimal("10.5"))
    wholesale = PriceListFactory(code="dealer")
    PriceListItemFactory(price_list=wholesale, product=p["kit"], price=Decimal("0.01"))
    get_backend().rebuild()
    return catalogue


def articles(page):
    return [hit.product.article for hit in page.hits]


BY_PRICE = ["BELT-1000", "ART-6205", "HB-M8/400", "HB-M8/40", "HOSE-1", "KIT-1"]


def test_browsing_by_list_price_without_price_last_ties_by_title(backend, priced):
    backend.rebuild()
    # 50 and 50: "Ball bearing 6205 ZZ" before "Подшипник роликовый" (byte order).
    assert articles(backend.search(query="", sort="price")) == BY_PRICE


def test_browsing_by_list_price_high_to_low(backend, priced):
    backend.rebuild()
    assert articles(backend.search(query="", sort="price_desc")) == [
        "HB-M8/40", "ART-6205", "HB-M8/400", "BELT-1000", "HOSE-1", "KIT-1",
    ]  # fmt: skip


def test_browsing_in_stock_first_then_by_name(backend, priced):
    backend.rebuild()
    # Only the ball bearing has free stock (english: all of it allocated).
    assert articles(backend.search(query="", sort="availability")) == [
        "HB-M8/40", "ART-6205", "HOSE-1", "KIT-1", "HB-M8/400", "BELT-1000",
    ]  # fmt: skip


def test_a_query_sorted_by_price_and_availability(backend, priced):
    backend.rebuild()
    assert articles(backend.search(query="hb m8.40", sort="price")) == [
        "HB-M8/400", "HB-M8/40", "HOSE-1", "KIT-1",
    ]  # fmt: skip
    assert articles(backend.search(query="hb m8.40", sort="availability")) == [
        "HB-M8/40", "HOSE-1", "KIT-1", "HB-M8/400",
    ]  # fmt: skip


def test_paging_keeps_the_price_order(backend, priced):
    backend.rebuild()
    first = backend.search(query="", sort="price", per_page=4)
    second = backend.search(query="", sort="price", page=2, per_page=4)
    assert articles(first) + articles(second) == BY_PRICE
    assert first.count == 6


def test_a_filter_with_a_price_sort(backend, priced):
    backend.rebuild()
    ball = priced["categories"]["ball"]
    from search.backends.base import Filters

    page = backend.search(query="", sort="price", filters=Filters(categories=[ball.pk]))
    assert articles(page) == ["ART-6205", "HB-M8/40"]


@pytest.mark.django_db(transaction=False)
def test_a_changed_list_price_reorders_after_commit(
    priced, django_capture_on_commit_callbacks
):
    p = priced["products"]
    item = p["belt"].price_list_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        item.price = Decimal("500")
        item.save()
    page = get_backend().search(query="", sort="price")
    assert articles(page)[:4] == ["ART-6205", "HB-M8/400", "HB-M8/40", "BELT-1000"]
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert articles(get_backend().search(query="", sort="price"))[3:] == [
        "HOSE-1", "KIT-1", "BELT-1000",
    ]  # fmt: skip


def test_an_inactive_list_gives_no_price(priced):
    PriceList.objects.filter(kind=PriceList.Kind.LIST).update(is_active=False)
    get_backend().rebuild()
    # Without prices everything is "no price": by title.
    page = get_backend().search(query="", sort="price")
    assert articles(page) == [
        "ART-6205", "HOSE-1", "KIT-1", "HB-M8/400", "HB-M8/40", "BELT-1000",
    ]  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL documents")
def test_the_consistency_check_finds_a_price_written_in_bulk(priced):
    """The price import writes with bulk_update (no signals): the hourly check
    compares the document's list price with the price list's."""
    p = priced["products"]
    item = p["belt"].price_list_items.get()
    type(item).objects.filter(pk=item.pk).update(price=Decimal("999"))
    backend = get_backend()
    assert backend.stale_product_ids() == [p["belt"].pk]
    backend.index_products(product_ids=[p["belt"].pk])
    assert backend.stale_product_ids() == []


def test_elasticsearch_sort_bodies(db):
    tail = ["title", "product_id"]
    assert build_search(query="x", sort="price").to_dict()["sort"] == [
        {"list_price": {"order": "asc", "missing": "_last"}}, *tail,
    ]  # fmt: skip
    assert build_search(query="", sort="price_desc").to_dict()["sort"] == [
        {"list_price": {"order": "desc", "missing": "_last"}}, *tail,
    ]  # fmt: skip
    assert build_search(query="x", sort="availability").to_dict()["sort"] == [
        {"in_stock": {"order": "desc"}}, *tail,
    ]  # fmt: skip


def test_unknown_sort_in_the_url_falls_back_to_relevance(client, priced):
    response = client.get("/search/", {"q": "подшипник", "sort": "price;drop"})
    assert response.status_code == 200


def test_category_and_search_pages_offer_every_sort(client, priced):
    bearings = priced["categories"]["bearings"]
    for path, params in ((bearings.get_absolute_url(), {}), ("/search/", {"q": "hb"})):
        options = client.get(path, params).context["sort_options"]
        assert [o["value"] for o in options] == [
            "relevance", "name", "article", "price", "price_desc", "availability",
        ]  # fmt: skip
    by_price = client.get(bearings.get_absolute_url(), {"sort": "price"})
    assert [r.product.article for r in by_price.context["rows"]] == [
        "ART-6205", "HB-M8/400", "HB-M8/40",
    ]  # fmt: skip
    html = by_price.content.decode()
    assert '<strong aria-current="true">List price: low to high</strong>' in html
