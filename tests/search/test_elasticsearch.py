"""Elasticsearch backend: mapping and query construction always; a live index only
when ELASTICSEARCH_URL is set."""

import os

import pytest

from search.backends.base import Filters
from search.backends.elasticsearch import build_search, new_index


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
    assert analysis["filter"]["article_edge"]["type"] == "edge_ngram"
    props = index["mappings"]["properties"]
    assert props["article"]["normalizer"] == "article"
    assert props["article"]["fields"]["prefix"] == {
        "type": "text",
        "analyzer": "article_prefix",
        "search_analyzer": "article_prefix_search",
    }
    assert props["title"]["analyzer"] == "russian"
    assert props["title"]["fields"]["en"] == {"type": "text", "analyzer": "english"}
    assert props["cross_references"]["normalizer"] == "article"


def test_query_puts_the_normalised_article_first(company):
    body = build_search(query="НВ-м8/40", company=company).to_dict()
    should = body["query"]["bool"]["should"]
    assert should[0] == {
        "term": {"article": {"value": "hbm840", "boost": 100, "_name": "article"}}
    }
    assert {"term": {"company_numbers": {
        "value": f"{company.pk}:hbm840", "boost": 50, "_name": "company_part_number",
    }}} in should  # fmt: skip
    assert should[-1]["multi_match"]["fuzziness"] == "AUTO"
    assert set(body["aggs"]) == {"category", "manufacturer", "in_stock"}


def test_query_filters_and_special_characters(db):
    filters = Filters(categories=[3], manufacturers=["skf"], in_stock=True)
    body = build_search(query="подшипник", filters=filters, sort="article").to_dict()
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"category_path": ["3"]}},
        {"terms": {"manufacturer": ["skf"]}},
        {"term": {"in_stock": True}},
    ]
    assert body["sort"] == ["article", "_doc"]
    special = build_search(
        query="' \" ; -- * ? : \\ ( ) [ ]", filters=filters
    ).to_dict()
    assert special["query"] == {"match_none": {}}


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL not set"
)
class TestLiveIndex:
    def test_rebuild_swaps_the_alias(self, catalogue):
        from search.backends.elasticsearch import ElasticsearchBackend

        backend = ElasticsearchBackend()
        assert backend.rebuild() == 6
        assert backend.search(query="hb m8 40").hits[0].product.article == "HB-M8/40"
