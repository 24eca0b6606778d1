"""The Elasticsearch backend (elasticsearch.dsl): the database backend's tiers and rules
on a cluster — numbers first, then the words as typed, close spellings only when
nothing matched — facets as aggregations, pages within the result window; writing
and checking the index are `indexing`'s."""

from collections import Counter

from catalog.articles import article_normalize
from search.backends.base import (
    MAX_PER_PAGE,
    SearchBackend,
    SearchHit,
    SearchPage,
    clamp_page,
    last_page,
)
from search.backends.elasticsearch import indexing
from search.backends.elasticsearch.client import es_client
from search.backends.elasticsearch.queries import (
    MAX_WINDOW,
    TIERS,
    build_autocomplete,
    build_search,
)
from search.backends.shared import empty_page, facet_lists, hits_for, rank
from search.text import clean_query


def _hit_tier(hit) -> int | None:
    """The hit's best tier as the database backend's rank (`shared.rank`)."""
    matched = getattr(hit.meta, "matched_queries", None) or []
    found = [TIERS[name] for name in matched if name in TIERS]
    return rank(tier=min(found)) if found else None


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self):
        self.client = es_client()

    def search(
        self,
        *,
        query,
        company=None,
        filters=None,
        sort="relevance",
        page=1,
        per_page=MAX_PER_PAGE,
    ) -> SearchPage:
        """Numbers and words as typed; if that finds nothing, the words spelt close
        (the page says `corrected`)."""
        page, per_page = clamp_page(page=page, per_page=per_page)
        query = clean_query(query)
        options = {"query": query, "filters": filters, "sort": sort}
        search = build_search(company=company, using=self.client, **options)
        found = self._page(search, page=page, per_page=per_page)
        if found.count or not query:
            return found
        close = build_search(close=True, using=self.client, **options)
        return self._page(close, page=page, per_page=per_page, corrected=True)

    def autocomplete(self, *, query, company=None, limit=10) -> list[SearchHit]:
        query = clean_query(query)
        if len(article_normalize(query)) < 2:
            return []
        search = build_autocomplete(
            query=query, company=company, limit=limit, using=self.client
        )
        return hits_for(
            [(int(hit.meta.id), _hit_tier(hit)) for hit in search.execute()]
        )

    def _page(self, search, *, page, per_page, corrected=False) -> SearchPage:
        """One request for the page, its count and facets; a page past the end is
        asked again as the last page. Pages end at the cluster's result window
        (10,000 results deep); the count is the whole count."""
        if search is None:
            return empty_page(per_page)
        window = max(1, MAX_WINDOW // per_page)  # the deepest page the cluster serves
        page = min(page, window)
        response = search[(page - 1) * per_page : page * per_page].execute()
        count = response.hits.total.value
        if not count:
            return empty_page(per_page)
        last = min(last_page(count, per_page), window)
        if page > last:
            page = last
            response = search[(page - 1) * per_page : page * per_page].execute()
        return SearchPage(
            hits=hits_for([(int(hit.meta.id), _hit_tier(hit)) for hit in response]),
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facets(response),
            corrected=corrected,
        )

    @staticmethod
    def _facets(response) -> dict:
        """The database backend's facets (`shared.facet_lists`) from the buckets."""
        aggs = response.aggregations
        return facet_lists(
            categories=Counter(
                {int(b.key): b.doc_count for b in aggs.category.buckets}
            ),
            makers=Counter(
                {int(b.key): b.doc_count for b in aggs.manufacturer.buckets}
            ),
            in_stock=aggs.in_stock.doc_count,
        )

    # --- indexing ---------------------------------------------------------------------

    def index_products(self, *, product_ids, index=None) -> None:
        """See `indexing.products_index`: refused documents raise `IndexWriteError`
        after the others are written."""
        indexing.products_index(self.client, product_ids=product_ids, index=index)

    def rebuild(self, *, progress=None) -> int:
        return indexing.index_rebuild(self.client, progress=progress)

    def stale_product_ids(self) -> list[int]:
        """Products without a document, documents of products gone or no longer
        browsable, and documents whose title, article or manufacturer differ from
        the product's: the database backend's check, made by reading every
        document's own columns in product id order (a request per 5,000) beside
        the products in the same order. No index at all is `IndexMissingError`."""
        return indexing.stale_ids(
            indexing.database_columns(), indexing.index_columns(self.client)
        )
