"""Elasticsearch backend: the mapping and each tier's query, as request bodies (no
cluster needed); a live index only when ELASTICSEARCH_URL is set. Its behaviour
against canned cluster answers is in test_elasticsearch_cluster.py."""

import json
import os
import re

import pytest

from search.backends.base import Filters
from search.backends.elasticsearch import (
    FUZZINESS,
    build_autocomplete,
    build_document_scan,
    build_search,
    new_index,
    stale_ids,
)
from search.backends.shared import TIER_LABELS
from search.text import allowed_typos


def tiers(body) -> list[dict]:
    """The dis_max clauses of a request body, wherever the filters put it."""
    query = body["query"]
    if "bool" in query:
        (query,) = query["bool"]["must"]
    return query["dis_max"]["queries"]


def clause(label, boost, query):
    return {"constant_score": {"filter": query, "boost": boost, "_name": label}}


def words_exact(text):
    return {
        "bool": {
            "should": [
                {"match": {"text": {"query": text, "operator": "and"}}},
                {"match": {"text.en": {"query": text, "operator": "and"}}},
            ],
            "minimum_should_match": 1,
        }
    }


RANKED = [{"_score": {"order": "desc"}}, "title", "product_id"]


def test_mapping_normalises_articles_like_article_normalize():
    index = new_index("shop-products-test").to_dict()
    analysis = index["settings"]["analysis"]
    assert analysis["normalizer"]["article"] == {
        "type": "custom",
        "char_filter": ["article_lookalikes", "article_not_alnum"],
        "filter": ["lowercase"],
    }
    assert "Н => h" in analysis["char_filter"]["article_lookalikes"]["mappings"]
    assert analysis["char_filter"]["article_not_alnum"] == {
        "type": "pattern_replace",
        "pattern": "[^\\p{L}\\p{N}]+",
        "replacement": "",
    }
    # Prefixes up to the longest normalised article (catalog.articles).
    assert analysis["filter"]["article_edge"] == {
        "type": "edge_ngram", "min_gram": 2, "max_gram": 64,
    }  # fmt: skip
    props = index["mappings"]["properties"]
    assert props["article"]["normalizer"] == "article"
    assert props["article"]["fields"]["prefix"] == {
        "type": "text",
        "analyzer": "article_prefix",
        "search_analyzer": "article_prefix_search",
    }
    assert props["cross_references"]["normalizer"] == "article"
    # Title and description are one text: Russian and English stems, words as written.
    assert props["text"] == {
        "type": "text",
        "analyzer": "russian",
        "fields": {
            "en": {"type": "text", "analyzer": "english"},
            "words": {"type": "text", "analyzer": "standard"},
        },
    }
    # Sort keys in the database's order: title and article in byte order, then id.
    assert props["title"] == {"type": "keyword"}
    assert props["product_id"] == {"type": "long"}
    assert props["manufacturer_id"] == {"type": "long"}


def test_every_tier_in_the_database_order(company):
    """Article, manufacturer's number, cross-reference, the company's own number,
    article prefix, words: constant scores 6…1 under dis_max, so a product ranks at
    its best tier and ties go by title (the database's `ORDER BY tier, title, id`)."""
    body = build_search(query="НВ-м8/40", company=company).to_dict()
    assert tiers(body) == [
        clause("article", 6, {"term": {"article": "hbm840"}}),
        clause("manufacturer_article", 5, {"term": {"manufacturer_article": "hbm840"}}),
        clause("cross_reference", 4, {"term": {"cross_references": "hbm840"}}),
        clause(
            "company_part_number",
            3,
            {"term": {"company_numbers": f"{company.pk}:hbm840"}},
        ),
        clause("article_prefix", 2, {"term": {"article.prefix": "hbm840"}}),
        clause("name", 1, words_exact("нв м8 40")),
    ]
    assert [t["constant_score"]["_name"] for t in tiers(body)] == [
        TIER_LABELS[n] for n in sorted(TIER_LABELS)
    ]
    assert body["sort"] == RANKED
    assert body["_source"] is False and body["track_total_hits"] is True


def test_company_numbers_only_for_a_company_and_prefix_from_three_characters():
    names = [
        t["constant_score"]["_name"] for t in tiers(build_search(query="ab").to_dict())
    ]
    assert names == ["article", "manufacturer_article", "cross_reference", "name"]
    names = [
        t["constant_score"]["_name"] for t in tiers(build_search(query="abc").to_dict())
    ]
    assert "article_prefix" in names and "company_part_number" not in names


def test_words_as_typed_are_exact():
    body = build_search(query="Шариковые, подшипники!").to_dict()
    assert tiers(body)[-1] == clause("name", 1, words_exact("шариковые подшипники"))
    assert "fuzziness" not in json.dumps(body)


def test_close_spellings_are_words_only_within_the_databases_typos():
    body = build_search(query="hydravlic HOZE-1", close=True).to_dict()
    close = {"operator": "and", "fuzziness": "AUTO:4,8", "fuzzy_transpositions": False}

    def word(w):
        return {
            "bool": {
                "should": [
                    {"match": {field: {"query": w, **close}}}
                    for field in ("text", "text.en", "text.words")
                ],
                "minimum_should_match": 1,
            }
        }

    # No number tiers: numbers are not corrected.
    assert tiers(body) == [
        clause(
            "name", 1, {"bool": {"must": [word("hydravlic"), word("hoze"), word("1")]}}
        )
    ]
    assert set(body["aggs"]) == {"category", "manufacturer", "in_stock"}


def test_fuzziness_is_allowed_typos():
    low, high = map(int, re.fullmatch(r"AUTO:(\d+),(\d+)", FUZZINESS).groups())
    for length in range(1, 15):
        edits = 0 if length < low else 1 if length < high else 2
        assert edits == allowed_typos("x" * length), length


def test_nothing_to_match_is_no_request():
    for query in ["!!!...---", "' \" ; -- * ? : \\ ( ) [ ]"]:
        assert build_search(query=query) is None
        assert build_search(query=query, close=True) is None


def test_autocomplete_completes_the_last_word(company):
    body = build_autocomplete(query="ремень клин", company=company, limit=7).to_dict()
    last = {
        "bool": {
            "should": [
                {"match_bool_prefix": {"text": "клин"}},
                {"match_bool_prefix": {"text.en": "клин"}},
                {"match_bool_prefix": {"text.words": "клин"}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert tiers(body)[-1] == clause(
        "name", 1, {"bool": {"must": [words_exact("ремень"), last]}}
    )
    assert [t["constant_score"]["_name"] for t in tiers(body)][:-1] == [
        "article", "manufacturer_article", "cross_reference", "company_part_number",
        "article_prefix",
    ]  # fmt: skip
    # By tier, then normalised article, as the database's autocomplete.
    assert body["sort"] == [{"_score": {"order": "desc"}}, "article", "product_id"]
    assert body["size"] == 7 and "aggs" not in body
    alone = build_autocomplete(query="подшип").to_dict()
    assert tiers(alone)[-1]["constant_score"]["filter"]["bool"]["should"][2] == {
        "match_bool_prefix": {"text.words": "подшип"}
    }


def test_filters_facets_and_sorts(db):
    filters = Filters(categories=[3], manufacturers=["skf"], in_stock=True)
    body = build_search(query="подшипник", filters=filters, sort="article").to_dict()
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"category_path": ["3"]}},
        {"terms": {"manufacturer": ["skf"]}},
        {"term": {"in_stock": True}},
    ]
    assert body["aggs"] == {
        "category": {"terms": {"field": "categories", "size": 1000}},
        "manufacturer": {"terms": {"field": "manufacturer_id", "size": 1000}},
        "in_stock": {"filter": {"term": {"in_stock": True}}},
    }
    assert body["sort"] == ["article", "product_id"]
    assert build_search(query="x", sort="name").to_dict()["sort"] == [
        "title",
        "product_id",
    ]
    assert build_search(query="x", sort="anything").to_dict()["sort"] == RANKED
    browsing = build_search(query="", filters=Filters(in_stock=True)).to_dict()
    assert browsing["query"] == {"bool": {"filter": [{"term": {"in_stock": True}}]}}
    assert browsing["sort"] == ["title", "product_id"]
    assert "query" not in build_search(query="  ").to_dict()


def test_documents_hold_the_normalised_numbers(catalogue, company):
    from search.backends.elasticsearch import _documents

    p, cats = catalogue["products"], catalogue["categories"]
    docs = {int(d.meta.id): d.to_dict() for d in _documents([p["ball"].pk])}
    assert docs == {
        p["ball"].pk: {
            "product_id": p["ball"].pk,
            "article": "hbm840",
            "manufacturer_article": "62042rsh",
            "title": "Подшипник шариковый 6204-2RS",
            "text": ["Подшипник шариковый 6204-2RS", p["ball"].description],
            "categories": [str(cats["ball"].pk)],
            "category_path": sorted([str(cats["ball"].pk), str(cats["bearings"].pk)]),
            "manufacturer": "skf",
            "manufacturer_id": p["ball"].manufacturer_id,
            "in_stock": True,
        }
    }
    belt = next(_documents([p["belt"].pk])).to_dict()
    assert belt["company_numbers"] == [f"{company.pk}:our77"]
    assert list(_documents([p["hidden"].pk])) == []


def test_the_consistency_scan_reads_own_columns_in_product_id_order(settings):
    """Every document's product id, title, article and manufacturer, a page at a
    time after the last id seen: no scroll, no page repeated or skipped."""
    settings.ELASTICSEARCH_INDEX_PREFIX = "shop"
    first = build_document_scan()
    assert first._index == ["shop-products"]
    assert first.to_dict() == {
        "_source": ["product_id", "title", "article", "manufacturer_id"],
        "sort": ["product_id"],
        "size": 5000,
        "track_total_hits": False,
    }
    after = build_document_scan(after=41, size=2).to_dict()
    assert after["search_after"] == [41] and after["size"] == 2
    assert "query" not in after and "from" not in after


def test_stale_ids_are_the_database_backends_check():
    """Missing, left over (gone or hidden) and out of date documents, as one sorted
    merge of the products and the documents, both in product id order."""
    database = [
        (1, "Подшипник", "hbm840", 7),
        (2, "Ремень", "belt1000", None),  # no document
        (4, "Шкив", "pulley", 3),  # its title changed
        (5, "Муфта", "", None),  # up to date, no article nor manufacturer
        (6, "Сальник", "seal", 3),  # its manufacturer changed
        (9, "Кольцо", "ring", 2),  # no document (after the last one)
    ]
    index = [
        (1, "Подшипник", "hbm840", 7),
        (3, "Скрытый", "hidden", None),  # left over: not browsable, or gone
        (4, "Шкив старый", "pulley", 3),
        (5, "Муфта", "", None),
        (6, "Сальник", "seal", 4),
        (8, "Удалённый", "gone", None),  # left over
    ]
    assert stale_ids(database, index) == [2, 3, 4, 6, 8, 9]
    assert stale_ids(database, database) == []
    assert stale_ids([], index) == [1, 3, 4, 5, 6, 8]
    assert stale_ids(database, []) == [1, 2, 4, 5, 6, 9]


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL not set"
)
class TestLiveIndex:
    def test_rebuild_swaps_the_alias(self, catalogue):
        from search.backends.elasticsearch import ElasticsearchBackend

        backend = ElasticsearchBackend()
        assert backend.rebuild() == 6
        assert backend.search(query="hb m8 40").hits[0].product.article == "HB-M8/40"
