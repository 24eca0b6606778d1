"""One semantic suite for every search backend (database on SQLite and PostgreSQL;
Elasticsearch when ELASTICSEARCH_URL is set)."""

from search.backends.base import Filters


def articles(page):
    return [hit.product.article for hit in page.hits]


def test_exact_article_normalised_first_then_manufacturer_then_prefix_then_name(
    backend, catalogue
):
    page = backend.search(query="hb m8.40")
    assert articles(page) == ["HB-M8/40", "HOSE-1", "HB-M8/400", "KIT-1"]
    assert [hit.matched_on for hit in page.hits] == [
        "article", "manufacturer_article", "article_prefix", "name",
    ]  # fmt: skip


def test_cyrillic_look_alikes_in_an_article(backend, catalogue):
    page = backend.search(query="НВ-М8/40")
    assert articles(page)[0] == "HB-M8/40"
    assert page.hits[0].matched_on == "article"


def test_cross_reference(backend, catalogue):
    page = backend.search(query="ГОСТ 180205".replace("ГОСТ", "gost"))
    assert articles(page) == ["ART-6205"]
    assert page.hits[0].matched_on == "cross_reference"


def test_manufacturer_part_number(backend, catalogue):
    page = backend.search(query="6204 2rsh")
    assert articles(page) == ["HB-M8/40"]
    assert page.hits[0].matched_on == "manufacturer_article"


def test_company_part_number_only_for_that_company(backend, catalogue, company):
    page = backend.search(query="our 77", company=company)
    assert articles(page) == ["BELT-1000"]
    assert page.hits[0].matched_on == "company_part_number"
    assert backend.search(query="our 77").count == 0


def test_article_prefix(backend, catalogue):
    page = backend.search(query="ART-62")
    assert articles(page) == ["ART-6205"]
    assert page.hits[0].matched_on == "article_prefix"


def test_russian_morphology(backend, catalogue):
    assert sorted(articles(backend.search(query="подшипники"))) == [
        "HB-M8/40",
        "HB-M8/400",
    ]
    assert articles(backend.search(query="шариковые подшипники")) == ["HB-M8/40"]
    assert articles(backend.search(query="клиновые приводные")) == ["BELT-1000"]


def test_english_morphology(backend, catalogue):
    # The title first; the database backend then finds the products of the
    # "Ball bearings" and "Bearings" categories too (category names are searched).
    assert articles(backend.search(query="bearings"))[0] == "ART-6205"


def test_typo_tolerance(backend, catalogue):
    page = backend.search(query="подшибник")
    assert sorted(articles(page)) == ["HB-M8/40", "HB-M8/400"]
    assert page.corrected
    assert articles(backend.search(query="hydravlic hose")) == ["HOSE-1"]
    assert articles(backend.search(query="hydraulic hoze")) == ["HOSE-1"]  # short word


def test_hidden_products_never_found(backend, catalogue):
    assert backend.search(query="скрытый").count == 0


def test_facets_and_filters(backend, catalogue):
    cats = catalogue["categories"]
    page = backend.search(query="подшипник")
    facets = page.facets
    assert {f["label"]: f["count"] for f in facets["manufacturer"]} == {
        "FAG": 1,
        "SKF": 1,
    }
    assert {f["label"]: f["count"] for f in facets["category"]} == {
        "Ball bearings": 1, "Bearings": 1,
    }  # fmt: skip
    assert facets["in_stock"] == [{"value": "1", "label": "in_stock", "count": 1}]
    fag = backend.search(query="подшипник", filters=Filters(manufacturers=["fag"]))
    assert articles(fag) == ["HB-M8/400"]
    stocked = backend.search(query="подшипник", filters=Filters(in_stock=True))
    assert articles(stocked) == ["HB-M8/40"]
    # A category includes its descendants.
    everything = backend.search(
        query="", filters=Filters(categories=[cats["bearings"].pk])
    )
    assert sorted(articles(everything)) == ["ART-6205", "HB-M8/40", "HB-M8/400"]
    assert (
        backend.search(
            query="подшипник", filters=Filters(manufacturers=["nobody"])
        ).count
        == 0
    )


def test_sorting_and_pages(backend, catalogue):
    by_article = backend.search(query="", sort="article")
    assert articles(by_article) == sorted(
        articles(by_article), key=lambda a: a.replace("-", "").replace("/", "").lower()
    )
    first = backend.search(query="", sort="name", per_page=2, page=1)
    last = backend.search(query="", sort="name", per_page=2, page=10_000)
    assert first.count == 6 and first.num_pages == 3
    assert last.page == 3 and len(last.hits) == 2


def test_autocomplete(backend, catalogue):
    assert [h.product.article for h in backend.autocomplete(query="HB-M8")][:2] == [
        "HB-M8/40", "HB-M8/400",
    ]  # fmt: skip
    assert [h.product.article for h in backend.autocomplete(query="подшип")] == [
        "HB-M8/40", "HB-M8/400",
    ]  # fmt: skip
    assert backend.autocomplete(query="x") == []


def test_autocomplete_completes_the_word_being_typed(backend, catalogue):
    """A half-typed word is a prefix of the word as written, even where it is longer
    than the word's stem ("bearin" → "bearing", stem "bear"; "hydrauli" → "hydraul")."""

    def articles(query):
        return [h.product.article for h in backend.autocomplete(query=query)]

    # The title first; on the database backend the category "Ball bearings" after it.
    assert articles("Ball bearin")[0] == "ART-6205"
    assert articles("hydrauli") == ["HOSE-1"]
    assert articles("ремень клин") == ["BELT-1000"]
    assert articles("подшипники шарик") == ["HB-M8/40"]
    assert articles("скрыт") == []  # hidden products are never suggested


def test_bad_queries_answer_sensibly(backend, catalogue):
    for query in ["", "x" * 10_000, "!!!...---", "' \" ; -- * ? : \\ ( ) [ ]",
                  "a OR b AND NOT c", 'NEAR("x")', "title:*", "%_%"]:  # fmt: skip
        page = backend.search(query=query)
        assert page.count >= 0
        backend.autocomplete(query=query)
