"""The relevance set on the search page's entry point (`search.selectors.run_search`):
precision@1 and recall@K printed (run with `-s`, and written to
`tests/artifacts/relevance-<engine>.json`); a score below the floor, or a query that
passed and now misses, fails."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict

from catalog.models import Category, CrossReference, Manufacturer
from search.backends import get_backend
from search.selectors import parse_search_request, run_search
from tests.factories import ProductFactory, StockRecordFactory
from tests.search.relevance.catalog import CATEGORIES, products
from tests.search.relevance.queries import QUERIES, K

# The scores reached (per engine); per-query expectations that pass must keep passing.
# Before the field weights, codes and prefixes of every number (the same set):
# PostgreSQL 0.818 / 0.851 (80 queries missed), SQLite 0.828 / 0.901 (55 missed).
FLOORS = {
    "postgresql": {"precision_at_1": 0.98, "recall_at_k": 1.0},
    "sqlite": {"precision_at_1": 0.98, "recall_at_k": 1.0},
}
# Queries still missed (a miss not listed here fails the build): words matched in
# the title that are not what the buyer meant ("радиально-упорный" is not "упорный";
# "с гайкой" is not a nut; "R1/8" holds an 8), six equally good breakers for five
# places.
_MISSED = {
    "подшипник упорный",
    "упорные подшипники",
    "подшибник упорный",
    "гайка",
    "гайка M10",
    "фитинг цанговый 8 мм",
}
KNOWN_MISSES: dict[str, set[str]] = {"postgresql": _MISSED, "sqlite": _MISSED}
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def load_catalog() -> None:
    categories = {}
    for key, (name, name_en, parent) in CATEGORIES.items():
        if parent is None:
            categories[key] = Category.add_root(name=name, name_en=name_en, slug=key)
        else:
            categories[key] = categories[parent].add_child(
                name=name, name_en=name_en, slug=key
            )
    makers = {}
    for item in products():
        maker = item["maker"]
        if maker not in makers:
            makers[maker] = Manufacturer.objects.create(
                name=maker, slug=f"maker-{len(makers)}"
            )
        product = ProductFactory(
            article=item["article"],
            title=item["title"],
            title_en=item.get("title_en", ""),
            description=item.get("description", ""),
            manufacturer=makers[maker],
            manufacturer_article=item.get("manufacturer_article", ""),
        )
        product.categories.add(categories[item["category"]])
        for brand, number in item["refs"]:
            CrossReference.objects.create(product=product, brand=brand, number=number)
        StockRecordFactory(product=product, num_in_stock=item["stock"])
    get_backend().rebuild()


def first_results(query: str) -> list[str]:
    params = QueryDict(mutable=True)
    params["q"] = query
    search_request = parse_search_request(params=params)
    page = run_search(search_request=search_request, per_page=K)
    return [hit.product.article for hit in page.hits]


def evaluate() -> dict:
    firsts, recalls, misses = [], [], {}
    for query, first, top in QUERIES:
        found = first_results(query)
        ok = True
        if first:
            hit = bool(found) and found[0] in first
            firsts.append(hit)
            ok = hit
        if top:
            share = len(set(top) & set(found)) / len(set(top))
            recalls.append(share)
            ok = ok and share == 1
        if not ok:
            misses[query] = found
    return {
        "queries": len(QUERIES),
        "precision_at_1": round(sum(firsts) / len(firsts), 4),
        "recall_at_k": round(sum(recalls) / len(recalls), 4),
        "k": K,
        "misses": misses,
    }


@pytest.mark.django_db
def test_relevance_set():
    engine = connection.vendor
    load_catalog()
    scores = evaluate()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"relevance-{engine}.json").write_text(
        json.dumps(scores, ensure_ascii=False, indent=1)
    )
    print(
        f"\nrelevance ({engine}): {scores['queries']} queries, "
        f"precision@1 {scores['precision_at_1']:.3f}, "
        f"recall@{K} {scores['recall_at_k']:.3f}, {len(scores['misses'])} missed"
    )
    new_misses = sorted(set(scores["misses"]) - KNOWN_MISSES[engine])
    assert not new_misses, {q: scores["misses"][q] for q in new_misses}
    floor = FLOORS[engine]
    assert scores["precision_at_1"] >= floor["precision_at_1"]
    assert scores["recall_at_k"] >= floor["recall_at_k"]
