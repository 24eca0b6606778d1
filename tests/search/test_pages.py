"""Catalogue, category and search pages; autocomplete; query budgets; bad input."""

import pytest
from django.urls import reverse

from catalog.models import AnalogueGroup
from tests.factories import ProductFactory, StockRecordFactory


def test_search_page_shows_matches_labels_and_analogues(client, catalogue):
    response = client.get("/search/", {"q": "hb m8 40"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 products found" in html
    assert "Matched on: Article" in html
    assert "Matched on: Manufacturer&#x27;s part number" in html
    assert "Analogues" in html and "ART-6205" in html
    rows = response.context["rows"]
    assert [r.product.article for r in rows[0].analogues] == ["ART-6205"]


def test_search_page_facets_filter_and_sort(client, catalogue):
    response = client.get("/search/", {"q": "подшипник", "manufacturer": "skf"})
    assert [r.product.article for r in response.context["rows"]] == ["HB-M8/40"]
    groups = {g["name"]: g for g in response.context["facet_groups"]}
    skf = next(i for i in groups["Manufacturer"]["items"] if i["value"] == "skf")
    assert (
        skf["active"]
        and skf["url"] == "?q=%D0%BF%D0%BE%D0%B4%D1%88%D0%B8%D0%BF%D0%BD%D0%B8%D0%BA"
    )
    stocked = client.get("/search/", {"q": "подшипник", "in_stock": "1"})
    assert [r.product.article for r in stocked.context["rows"]] == ["HB-M8/40"]
    by_name = client.get("/search/", {"q": "", "sort": "name"})
    titles = [r.product.title for r in by_name.context["rows"]]
    assert titles == sorted(titles)


def test_nothing_found_suggests_close_numbers(client, catalogue):
    response = client.get("/search/", {"q": "HB-M8/41"})
    html = response.content.decode()
    assert "Nothing found." in html
    assert "Did you mean one of these articles?" in html
    assert "HB-M8/40" in html


def test_a_misspelt_name_shows_close_spellings(client, catalogue):
    response = client.get(
        "/search/", {"q": "подшибник"}, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9"
    )
    html = response.content.decode()
    assert "показаны похожие написания" in html
    assert {row.product.article for row in response.context["rows"]} == {
        "HB-M8/40",
        "HB-M8/400",
    }


def test_catalogue_and_category_pages(client, catalogue):
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    assert "6 products found" in response.content.decode()
    bearings = catalogue["categories"]["bearings"]
    response = client.get(bearings.get_absolute_url())
    assert response.status_code == 200
    assert sorted(r.product.article for r in response.context["rows"]) == [
        "ART-6205", "HB-M8/40", "HB-M8/400",
    ]  # fmt: skip
    assert client.get("/catalogue/category/nothing_999999/").status_code == 404


def test_pages_beyond_the_end_show_the_last(client, catalogue):
    for i in range(50):
        ProductFactory(title=f"Washer {i:02d}", article=f"W-{i:02d}")
    from search.backends import get_backend

    get_backend().rebuild()
    response = client.get("/catalogue/", {"page": "10000"})
    assert response.status_code == 200
    assert response.context["result"].page == 2
    assert "Page 2 of 2" in response.content.decode()
    assert client.get("/catalogue/", {"page": "abc"}).context["result"].page == 1


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "!!!...,,,"},
        {"q": "' \" ; -- * ? : \\ ( ) [ ]"},
        {
            "q": "подшипник",
            "category": "abc",
            "manufacturer": "nobody",
            "in_stock": "maybe",
        },
        {"q": "подшипник", "category": "99999999999999999999"},
        {"q": "a", "page": "10000", "sort": "'; DROP TABLE"},
    ],
)
def test_bad_input_never_fails(client, catalogue, params):
    assert client.get("/search/", params).status_code == 200
    assert client.get("/search/autocomplete/", params).status_code == 200


def test_a_nul_character_is_a_clear_refusal(client, catalogue):
    # PostgreSQL refuses NUL in text; the site refuses it before any query.
    for path in ("/search/", "/search/autocomplete/"):
        response = client.get(path, {"q": "bolt\x00"})
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_autocomplete(client, catalogue):
    data = client.get("/search/autocomplete/", {"q": "hb-m8"}).json()
    keys = ("value", "label", "url")
    assert [{k: s[k] for k in keys} for s in data["suggestions"][:2]] == [
        {"value": "HB-M8/40", "label": "HB-M8/40 — Подшипник шариковый 6204-2RS",
         "url": catalogue["products"]["ball"].get_absolute_url()},
        {"value": "HB-M8/400", "label": "HB-M8/400 — Подшипник роликовый 32205",
         "url": catalogue["products"]["roller"].get_absolute_url()},
    ]  # fmt: skip
    assert client.get("/search/autocomplete/", {"q": "a"}).json()["suggestions"] == []


def _more_products(n):
    group = AnalogueGroup.objects.create()
    for i in range(n):
        product = ProductFactory(
            title=f"Подшипник серии {i}", article=f"S-{i}", analogue_group=group
        )
        StockRecordFactory(product=product)
    from search.backends import get_backend

    get_backend().rebuild()


def test_query_budget_search_page(client, catalogue, django_assert_max_num_queries):
    _more_products(30)
    with django_assert_max_num_queries(20):
        response = client.get("/search/", {"q": "подшипник"})
    assert response.context["result"].count == 32


def test_query_budget_exact_hit_with_analogues(
    client, catalogue, django_assert_max_num_queries
):
    _more_products(30)
    with django_assert_max_num_queries(20):
        response = client.get("/search/", {"q": "S-1"})
    assert response.context["rows"][0].product.article == "S-1"


def test_query_budget_category_page(client, catalogue, django_assert_max_num_queries):
    _more_products(30)
    with django_assert_max_num_queries(22):
        response = client.get("/catalogue/")
    assert response.context["result"].count == 36
