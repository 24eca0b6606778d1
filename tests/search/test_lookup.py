"""Bulk lookup of part numbers and close-number suggestions."""

from search.lookup import lookup_numbers, suggest_close_numbers
from tests.factories import ProductFactory


def test_lookup_in_input_order_with_statuses(catalogue, company):
    p = catalogue["products"]
    results = lookup_numbers(
        numbers=[
            "hb m8 40",
            "НВ-М8/40",
            "6205 zz",
            "gost180205",
            "x100",
            "our-77",
            "nope",
            "",
        ],
        company=company,
    )
    assert [(r.status, r.matched_on) for r in results] == [
        ("found", "article"),
        ("found", "article"),
        ("found", "manufacturer_article"),
        ("found", "cross_reference"),
        ("ambiguous", "cross_reference"),
        ("found", "company_part_number"),
        ("not_found", None),
        ("not_found", None),
    ]
    assert results[0].products == [p["ball"]]
    assert results[1].normalized == "hbm840"
    assert set(results[4].products) == {p["hose"], p["kit"]}
    assert results[5].products == [p["belt"]]


def test_company_numbers_are_the_companys_own(catalogue):
    assert lookup_numbers(numbers=["OUR-77"])[0].status == "not_found"


def test_hidden_products_are_not_found(catalogue):
    assert lookup_numbers(numbers=["HID-1"])[0].status == "not_found"


def test_query_count_does_not_grow_with_numbers(
    catalogue, company, django_assert_max_num_queries
):
    numbers = [f"N-{i}" for i in range(5000)] + ["HB-M8/40"]
    with django_assert_max_num_queries(60):
        results = lookup_numbers(numbers=numbers, company=company)
    assert len(results) == 5001
    assert results[-1].status == "found"


def test_suggest_close_numbers(catalogue):
    ProductFactory(title="Another", article="HB-M9/41")
    articles = [p.article for p in suggest_close_numbers(number="HB-M8/41")]
    assert articles[0] in ("HB-M8/40", "HB-M8/400")
    assert "HB-M8/40" in articles
    assert suggest_close_numbers(number="--") == []
