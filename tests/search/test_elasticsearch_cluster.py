"""The Elasticsearch backend against canned cluster answers (tests/search/fake_cluster):
exact first, then close spellings with `corrected`; pages past the end; facets; bulk
errors raised; a failed rebuild leaves the alias alone; one client per process."""

import json
from contextlib import contextmanager

import pytest

from search.backends import get_backend
from search.backends.elasticsearch import (
    MAX_WINDOW,
    IndexMissingError,
    IndexWriteError,
    indexing,
)
from tests.search.fake_cluster import FakeCluster, bulk_actions, search_answer


@pytest.fixture
def serve(settings):
    """`with serve(answer) as cluster:` points the backend at a fake cluster."""

    @contextmanager
    def serving(answer):
        with FakeCluster(answer) as cluster:
            settings.ELASTICSEARCH_URL = cluster.url
            settings.ELASTICSEARCH_INDEX_PREFIX = "test"
            yield cluster

    return serving


def is_close(request) -> bool:
    """Whether a search asks for close spellings (the words' fuzzy match)."""
    return "fuzziness" in json.dumps(request.body)


def articles(page):
    return [hit.product.article for hit in page.hits]


def test_exact_first_then_close_spellings_marked_corrected(serve, catalogue):
    p, cats = catalogue["products"], catalogue["categories"]
    buckets = {
        "category": {"buckets": [{"key": str(cats["ball"].pk), "doc_count": 1}]},
        "manufacturer": {
            "buckets": [{"key": p["ball"].manufacturer_id, "doc_count": 1}]
        },
        "in_stock": {"doc_count": 1},
    }

    def cluster(request):  # nothing as typed; the ball bearing with typos tolerated
        if is_close(request):
            return 200, search_answer([(p["ball"].pk, ["name"])], aggregations=buckets)
        return 200, search_answer([])

    with serve(cluster):
        page = get_backend("elasticsearch").search(query="подшибник шариковый")
    assert page.corrected
    assert articles(page) == ["HB-M8/40"]
    assert page.hits[0].matched_on == "name"
    assert (page.count, page.page) == (1, 1)
    assert page.facets == {
        "category": [{"value": str(cats["ball"].pk), "label": "Ball bearings",
                      "count": 1}],
        "manufacturer": [{"value": "skf", "label": "SKF", "count": 1}],
        "in_stock": [{"value": "1", "label": "in_stock", "count": 1}],
    }  # fmt: skip


def test_found_as_typed_is_not_corrected_and_ranks_by_best_tier(serve, catalogue):
    p = catalogue["products"]

    def cluster(request):
        if is_close(request):
            return 200, search_answer([(p["belt"].pk, ["name"])])
        return 200, search_answer(
            [
                (p["ball"].pk, ["name", "article_prefix", "article"]),
                (p["hose"].pk, ["manufacturer_article"]),
                (p["kit"].pk, ["name"]),
            ]
        )

    with serve(cluster):
        page = get_backend("elasticsearch").search(query="hb m8.40")
    assert not page.corrected
    assert articles(page) == ["HB-M8/40", "HOSE-1", "KIT-1"]
    assert [h.matched_on for h in page.hits] == [
        "article", "manufacturer_article", "name",
    ]  # fmt: skip


def test_nothing_close_either_is_an_empty_page(serve, catalogue):
    with serve(lambda request: (200, search_answer([]))):
        page = get_backend("elasticsearch").search(query="zzzzzz", page=5)
    assert (page.count, page.page, page.hits, page.corrected) == (0, 1, [], False)
    assert page.facets == {"category": [], "manufacturer": [], "in_stock": []}


def test_punctuation_never_reaches_the_cluster(serve, catalogue):
    with serve(lambda request: (500, {"error": "unexpected"})) as cluster:
        backend = get_backend("elasticsearch")
        assert backend.search(query="!!!...---").count == 0
        assert backend.autocomplete(query="x") == []
    assert cluster.requests == []


def test_a_page_past_the_end_is_the_last_page(serve, catalogue):
    ids = sorted(product.pk for product in catalogue["products"].values())[:6]

    def cluster(request):  # six products, paged as asked
        start, size = request.body.get("from", 0), request.body["size"]
        return 200, search_answer([(pk, []) for pk in ids[start : start + size]],
                                  total=6)  # fmt: skip

    with serve(cluster):
        page = get_backend("elasticsearch").search(query="", per_page=2, page=10_000)
    assert (page.page, page.num_pages, page.count) == (3, 3, 6)
    assert [hit.product.pk for hit in page.hits] == ids[4:6]
    assert [hit.matched_on for hit in page.hits] == [None, None]  # browsing


def test_deep_pages_stay_within_the_result_window(serve, catalogue):
    def cluster(request):
        start, size = request.body.get("from", 0), request.body["size"]
        if start + size > MAX_WINDOW:
            return 400, {"error": {"type": "illegal_argument_exception"}, "status": 400}
        return 200, search_answer([], total=50_000)

    with serve(cluster):
        page = get_backend("elasticsearch").search(query="", page=10_000)
    assert (page.page, page.count) == (MAX_WINDOW // 48, 50_000)


def test_autocomplete_keeps_the_clusters_order(serve, catalogue):
    p = catalogue["products"]

    def cluster(request):
        return 200, search_answer(
            [(p["ball"].pk, ["name"]), (p["roller"].pk, ["name"])]
        )

    with serve(cluster):
        hits = get_backend("elasticsearch").autocomplete(query="подшип")
    assert [(h.product.article, h.matched_on) for h in hits] == [
        ("HB-M8/40", "name"), ("HB-M8/400", "name"),
    ]  # fmt: skip


def bulk_cluster(*, refuse=(), state=None):
    """Writes documents except those whose id is in `refuse` (a mapping error);
    deletes of documents it does not hold answer 404, as a cluster does. With
    `state`, also keeps indices and the alias (`rebuild`)."""

    def cluster(request):
        if request.path.endswith("/_bulk"):
            items = []
            for op, meta, _ in bulk_actions(request.body):
                item = {"_index": meta["_index"], "_id": str(meta["_id"])}
                if op == "delete":
                    item |= {"status": 404, "result": "not_found"}
                elif str(meta["_id"]) in refuse:
                    item |= {
                        "status": 400,
                        "error": {
                            "type": "document_parsing_exception",
                            "reason": "bad title",
                        },
                    }
                else:
                    item |= {"status": 201, "result": "created"}
                items.append({op: item})
            errors = any(item[op]["status"] >= 300 for item in items for op in item)
            return 200, {"took": 1, "errors": errors, "items": items}
        return indices_answer(request, state)

    return cluster


def indices_answer(request, state):
    """Create, refresh, delete indices; read and swap the alias."""
    method, parts = request.method, request.path.strip("/").split("/")
    if parts[0] == "_alias":
        found = {name: {"aliases": {parts[1]: {}}} for name in state["alias"]}
        return (200, found) if found else (404, {"error": "missing", "status": 404})
    if parts[0] == "_aliases":
        for action in request.body["actions"]:
            (verb, target), *_ = action.items()
            if verb == "remove":
                state["alias"].discard(target["index"])
            else:
                state["alias"].add(target["index"])
        return 200, {"acknowledged": True}
    if method == "PUT":
        state["indices"].add(parts[0])
        return 200, {"acknowledged": True, "index": parts[0]}
    if method == "DELETE":
        state["indices"].discard(parts[0])
        return 200, {"acknowledged": True}
    return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}  # _refresh


def test_refused_documents_are_raised_logged_and_counted(serve, catalogue, caplog):
    p = catalogue["products"]
    ids = sorted(product.pk for product in p.values())  # hidden: a delete
    with serve(bulk_cluster(refuse={str(p["hose"].pk)})):
        with pytest.raises(IndexWriteError) as raised:
            get_backend("elasticsearch").index_products(product_ids=ids)
    error = raised.value
    assert (error.failed, error.total) == (1, 7)
    assert error.errors == [
        {
            "id": str(p["hose"].pk),
            "op": "index",
            "error": {"type": "document_parsing_exception", "reason": "bad title"},
        }
    ]
    assert "1 of 7 search documents not written" in caplog.text
    assert "bad title" in caplog.text


def test_deleting_a_document_that_is_not_there_is_no_error(serve, catalogue):
    with serve(bulk_cluster()):
        backend = get_backend("elasticsearch")
        backend.index_products(product_ids=[catalogue["products"]["hidden"].pk])
        backend.index_products(product_ids=[catalogue["products"]["ball"].pk])


def test_rebuild_swaps_the_alias_and_drops_the_old_index(serve, catalogue):
    state = {"indices": set(), "alias": set()}
    with serve(bulk_cluster(state=state)):
        backend = get_backend("elasticsearch")
        assert backend.rebuild() == 6
        (first,) = state["indices"]
        assert state["alias"] == {first} and first.startswith("test-products-")
        backend.rebuild()
    (second,) = state["indices"]
    assert second != first and state["alias"] == {second}


def test_a_failed_rebuild_removes_its_index_and_keeps_the_alias(serve, catalogue):
    state = {"indices": {"test-products-old"}, "alias": {"test-products-old"}}
    refuse = {str(catalogue["products"]["belt"].pk)}
    with serve(bulk_cluster(refuse=refuse, state=state)):
        with pytest.raises(IndexWriteError):
            get_backend("elasticsearch").rebuild()
    assert state == {"indices": {"test-products-old"}, "alias": {"test-products-old"}}


def test_one_client_per_process_and_url(serve, catalogue, settings):
    with serve(lambda request: (200, search_answer([]))) as cluster:
        first, second = get_backend("elasticsearch"), get_backend("elasticsearch")
        assert first.client is second.client
        for backend in (first, second, get_backend("elasticsearch")):
            backend.search(query="", sort="name")
        # Every request went over the one kept-alive connection of that client.
        assert len({request.client_port for request in cluster.requests}) == 1
        with serve(lambda request: (200, search_answer([]))):
            assert get_backend("elasticsearch").client is not first.client


def scan_cluster(documents: dict[int, dict], *, alias=True):
    """Answers the consistency scan from `documents` (id → source), sorted by
    product id after `search_after`, `size` at a time."""

    def cluster(request):
        if request.path.startswith("/_alias/"):
            return (200, {}) if alias else (404, {})
        body = request.body
        after = (body.get("search_after") or [0])[0]
        page = sorted(pk for pk in documents if pk > after)[: body["size"]]
        answer = search_answer([(pk, []) for pk in page])
        for hit, pk in zip(answer["hits"]["hits"], page, strict=True):
            hit["_source"] = {"product_id": pk, **documents[pk]}
        return 200, answer

    return cluster


def _source(product):
    source = {"title": product.title, "article": product.article_normalized}
    if product.manufacturer_id:
        source["manufacturer_id"] = product.manufacturer_id
    return source


def test_stale_documents_found_page_by_page(serve, catalogue, monkeypatch):
    p = catalogue["products"]
    documents = {
        product.pk: _source(product)
        for key, product in p.items()
        if key not in ("belt", "hidden")  # the belt's document is missing
    }
    documents[p["hidden"].pk] = _source(p["hidden"])  # hidden since it was written
    documents[p["kit"].pk]["title"] = "Repair kit (old name)"
    documents[p["ball"].pk].pop("manufacturer_id")  # written before it had one
    gone = max(product.pk for product in p.values()) + 100
    documents[gone] = {"title": "Deleted", "article": "gone"}
    monkeypatch.setattr(indexing, "SCAN_PAGE", 2)

    with serve(scan_cluster(documents)) as cluster:
        stale = get_backend("elasticsearch").stale_product_ids()

    assert stale == sorted(
        [p["belt"].pk, p["hidden"].pk, p["kit"].pk, p["ball"].pk, gone]
    )
    scans = [r.body for r in cluster.requests if r.path.endswith("/_search")]
    assert [scan.get("search_after") for scan in scans] == [
        None,
        *[[pk] for pk in sorted(documents)[1::2]],
    ]  # 2 documents a page, up to a page shorter than that
    assert all(r.path == "/test-products/_search" for r in cluster.requests[1:]), [
        r.path for r in cluster.requests
    ]


def test_an_index_in_step_has_nothing_stale(serve, catalogue):
    p = catalogue["products"]
    documents = {
        product.pk: _source(product) for key, product in p.items() if key != "hidden"
    }
    with serve(scan_cluster(documents)):
        assert get_backend("elasticsearch").stale_product_ids() == []


def test_no_index_is_a_clear_error(serve, catalogue):
    with serve(scan_cluster({}, alias=False)) as cluster:
        with pytest.raises(IndexMissingError, match="search_index rebuild"):
            get_backend("elasticsearch").stale_product_ids()
    assert not [r for r in cluster.requests if r.path.endswith("/_search")]
