"""The Elasticsearch backend (elasticsearch.dsl): the database backend's tiers and rules
on a cluster — numbers first, then the words as typed, close spellings only when
nothing matched — facets as aggregations, rebuilds into a new index behind an alias,
per-document write errors raised, one client per process."""

import logging
import os
import threading
from collections import Counter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from elasticsearch import Elasticsearch
from elasticsearch.dsl import (
    Boolean,
    Document,
    Index,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
    tokenizer,
)
from elasticsearch.helpers import streaming_bulk

from catalog.articles import _LOOKALIKES, ARTICLE_MAX_LENGTH, article_normalize
from catalog.models import Category, CompanyPartNumber, Product
from search.backends.base import (
    MAX_PER_PAGE,
    SearchBackend,
    SearchHit,
    SearchPage,
    clamp_page,
    last_page,
)
from search.backends.shared import (
    TIER_LABELS,
    empty_page,
    facet_lists,
    hits_for,
    in_stock_condition,
)
from search.text import clean_query, tokens

logger = logging.getLogger(__name__)

MAX_WINDOW = 10_000  # the index's max_result_window: from + size stays within it
FACET_SIZE = 1_000  # buckets per facet (the database lists every one)
WRITE_CHUNK = 1_000  # products read from the database per bulk request
LOGGED_ERRORS = 20  # per-document errors logged one by one; the rest are counted
# search.text.allowed_typos: none below 4 letters, one below 8, then two.
FUZZINESS = "AUTO:4,8"
TIERS = {label: tier for tier, label in TIER_LABELS.items()}  # "article" → 0, ...

# The same folding as catalog.articles.article_normalize, done by Elasticsearch (the
# documents hold numbers already normalised; this normalises what a query sends).
lookalikes = char_filter(
    "article_lookalikes",
    type="mapping",
    mappings=[f"{chr(src)} => {dst}" for src, dst in sorted(_LOOKALIKES.items())],
)
not_alnum = char_filter(
    "article_not_alnum",
    type="pattern_replace",
    pattern="[^\\p{L}\\p{N}]+",
    replacement="",
)
article_normalizer = normalizer(
    "article", char_filter=[lookalikes, not_alnum], filter=["lowercase"]
)
article_edge = token_filter(
    "article_edge", type="edge_ngram", min_gram=2, max_gram=ARTICLE_MAX_LENGTH
)
article_prefix_index = analyzer(
    "article_prefix",
    tokenizer=tokenizer("article_whole", type="keyword"),
    char_filter=[lookalikes, not_alnum],
    filter=["lowercase", article_edge],
)
article_prefix_search = analyzer(
    "article_prefix_search",
    tokenizer="keyword",
    char_filter=[lookalikes, not_alnum],
    filter=["lowercase"],
)


class ProductDocument(Document):
    product_id = Long()  # the last sort key, as the database's product id
    article = Keyword(
        normalizer=article_normalizer,
        fields={
            "prefix": Text(
                analyzer=article_prefix_index, search_analyzer=article_prefix_search
            )
        },
    )
    manufacturer_article = Keyword(normalizer=article_normalizer)
    cross_references = Keyword(normalizer=article_normalizer)
    company_numbers = Keyword()  # "<company id>:<normalised number>"
    title = Keyword()  # sorts in byte order, as the database's `USING ~<~`
    # Title and description as one text, like the database's document: Russian and
    # English stems, and the words as written (autocomplete's half-typed word).
    text = Text(
        analyzer="russian",
        fields={"en": Text(analyzer="english"), "words": Text(analyzer="standard")},
    )
    categories = Keyword()  # directly assigned category ids (the facet)
    category_path = Keyword()  # those and all their ancestors (the filter)
    manufacturer = Keyword()  # slug (the filter)
    manufacturer_id = Long()  # the facet
    in_stock = Boolean()

    class Index:
        name = "products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


class IndexWriteError(RuntimeError):
    """Documents the cluster refused in a bulk write; the others were written."""

    def __init__(self, *, failed: int, total: int, errors: list):
        self.failed, self.total, self.errors = failed, total, errors
        first = errors[0] if errors else {}
        super().__init__(
            f"{failed} of {total} search documents were not written "
            f"(first: {first.get('id')}: {first.get('error')})"
        )


_clients: dict[tuple, Elasticsearch] = {}
_clients_lock = threading.Lock()


def es_client() -> Elasticsearch:
    """This process's client for `settings.ELASTICSEARCH_URL`: one per process and URL,
    so every backend and request shares its connection pool (a client made before a
    fork is not used after it)."""
    url = settings.ELASTICSEARCH_URL
    if not url:
        raise ImproperlyConfigured(
            'SEARCH_BACKEND "elasticsearch" needs ELASTICSEARCH_URL.'
        )
    key = (os.getpid(), url)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = Elasticsearch(url)
    return client


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ProductDocument)
    return index


# --- queries --------------------------------------------------------------------------


def _tier(label: str, query) -> Q:
    """A tier's clause: a constant score that ranks it (article 6 … name 1), named
    so that a hit says what it matched on. Under `dis_max` a product scores its best
    tier, as the database keeps each product at its lowest tier."""
    return Q(
        "constant_score",
        filter=query,
        boost=len(TIER_LABELS) - TIERS[label],
        _name=label,
    )


def number_tiers(key: str, company) -> list[Q]:
    """The number look-ups of the database backend (`postgres._number_sources`),
    in its order: article, manufacturer's number, cross-reference, the company's own
    number, article prefix (three characters or more)."""
    if not key:
        return []
    tiers = [
        _tier("article", Q("term", article=key)),
        _tier("manufacturer_article", Q("term", manufacturer_article=key)),
        _tier("cross_reference", Q("term", cross_references=key)),
    ]
    if company is not None:
        number = f"{company.pk}:{key}"
        tiers.append(_tier("company_part_number", Q("term", company_numbers=number)))
    if len(key) >= 3:
        tiers.append(_tier("article_prefix", Q("term", **{"article.prefix": key})))
    return tiers


def _all_words(field: str, words: str, **options) -> Q:
    return Q("match", **{field: {"query": words, "operator": "and", **options}})


def words_exact(words: list[str]) -> Q:
    """Every word, as its Russian or as its English stem (PostgreSQL's
    `plainto_tsquery('russian') || plainto_tsquery('english')`)."""
    text = " ".join(words)
    return Q(
        "bool",
        should=[_all_words("text", text), _all_words("text.en", text)],
        minimum_should_match=1,
    )


def words_close(words: list[str]) -> Q:
    """Every word, as typed or spelt close to a stem or a word as written, within
    `search.text.allowed_typos` edits (Levenshtein, as the database counts them)."""
    close = {"fuzziness": FUZZINESS, "fuzzy_transpositions": False}
    return Q(
        "bool",
        must=[
            Q(
                "bool",
                should=[
                    _all_words(field, word, **close)
                    for field in ("text", "text.en", "text.words")
                ],
                minimum_should_match=1,
            )
            for word in words
        ],
    )


def words_typed(words: list[str]) -> Q:
    """Autocomplete: the words before the last as stems, the last a prefix of a stem
    or of a word as written ("bearin" is not a prefix of the stem "bear")."""
    last = Q(
        "bool",
        should=[
            Q("match_bool_prefix", **{field: words[-1]})
            for field in ("text", "text.en", "text.words")
        ],
        minimum_should_match=1,
    )
    if len(words) == 1:
        return last
    return Q("bool", must=[words_exact(words[:-1]), last])


def _apply_filters(search: Search, filters) -> Search:
    if not filters:
        return search
    if filters.categories:
        search = search.filter(
            "terms", category_path=[str(c) for c in filters.categories]
        )
    if filters.manufacturers:
        search = search.filter("terms", manufacturer=list(filters.manufacturers))
    if filters.in_stock:
        search = search.filter("term", in_stock=True)
    return search


def _order(sort: str, *, ranked: bool) -> list:
    """The database backend's orders: tier (the score), title, product id; by name;
    by normalised article."""
    by = {"name": ["title", "product_id"], "article": ["article", "product_id"]}
    if sort in by:
        return by[sort]
    if ranked:
        return [{"_score": {"order": "desc"}}, "title", "product_id"]
    return ["title", "product_id"]


def build_search(
    *, query: str, company=None, filters=None, sort="relevance", close=False, using=None
) -> Search | None:
    """The request for a page of results: the number tiers and the words as typed, or
    (`close`) only the words spelt close. None when nothing can match (a query of
    punctuation, or close spellings of numbers only): the database answers those
    with an empty page too."""
    query = clean_query(query)
    search = Search(using=using, index=alias_name())
    if query:
        words = tokens(query)
        if close:
            tiers = [_tier("name", words_close(words))] if words else []
        else:
            tiers = number_tiers(article_normalize(query), company)
            if words:
                tiers.append(_tier("name", words_exact(words)))
        if not tiers:
            return None
        search = search.query(Q("dis_max", queries=tiers))
    search = _apply_filters(search, filters)
    search.aggs.bucket("category", "terms", field="categories", size=FACET_SIZE)
    search.aggs.bucket(
        "manufacturer", "terms", field="manufacturer_id", size=FACET_SIZE
    )
    search.aggs.bucket("in_stock", "filter", filter=Q("term", in_stock=True))
    order = _order(sort, ranked=bool(query))
    return search.sort(*order).source(False).extra(track_total_hits=True)


def build_autocomplete(*, query: str, company=None, limit=10, using=None) -> Search:
    """The request for autocomplete: the number tiers, then the words with the last
    one completed; by tier, then normalised article, as the database orders them."""
    query = clean_query(query)
    tiers = number_tiers(article_normalize(query), company)
    words = tokens(query)
    if words:
        tiers.append(_tier("name", words_typed(words)))
    search = Search(using=using, index=alias_name()).query(Q("dis_max", queries=tiers))
    order = [{"_score": {"order": "desc"}}, "article", "product_id"]
    return search.sort(*order).source(False).extra(size=limit, track_total_hits=False)


def _hit_tier(hit) -> int | None:
    matched = getattr(hit.meta, "matched_queries", None) or []
    found = [TIERS[name] for name in matched if name in TIERS]
    return min(found) if found else None


# --- documents ------------------------------------------------------------------------


def product_document(product, *, in_stock: bool, company_numbers, category_ids, paths):
    return ProductDocument(
        meta={"id": product.pk},
        product_id=product.pk,
        article=product.article_normalized,
        manufacturer_article=product.manufacturer_article_normalized,
        cross_references=[c.number_normalized for c in product.cross_references.all()],
        company_numbers=company_numbers,
        title=product.title,
        text=[product.title, product.description or ""],
        categories=[str(c) for c in category_ids],
        category_path=sorted(paths),
        manufacturer=product.manufacturer.slug if product.manufacturer_id else None,
        manufacturer_id=product.manufacturer_id,
        in_stock=in_stock,
    )


def _documents(product_ids):
    """The documents of those of these products that are browsable."""
    paths = dict(Category.objects.values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    products = (
        Product.objects.browsable()
        .filter(pk__in=product_ids)
        .select_related("manufacturer")
        .prefetch_related("cross_references", "categories")
        .annotate(has_stock=in_stock_condition())
    )
    own = {}
    for pid, cid, number in CompanyPartNumber.objects.filter(
        product_id__in=product_ids
    ).values_list("product_id", "company_id", "number_normalized"):
        own.setdefault(pid, []).append(f"{cid}:{number}")
    for product in products:
        category_ids = [c.pk for c in product.categories.all()]
        ancestors = set()
        for cid in category_ids:
            path = paths.get(cid, "")
            for end in range(4, len(path) + 1, 4):
                if path[:end] in by_path:
                    ancestors.add(str(by_path[path[:end]]))
        yield product_document(
            product,
            in_stock=product.has_stock,
            company_numbers=own.get(product.pk, []),
            category_ids=category_ids,
            paths=ancestors,
        )


def _actions(ids: list[int], target: str):
    """Index the browsable products' documents, delete the others'."""
    seen = set()
    for doc in _documents(ids):
        seen.add(int(doc.meta.id))
        yield doc.to_dict(include_meta=True) | {"_index": target}
    for pk in ids:
        if pk not in seen:
            yield {"_op_type": "delete", "_index": target, "_id": pk}


def _failure(item: dict) -> dict | None:
    """A bulk item's error, or None where there is nothing to fix: deleting a
    document that is not there (a product that was never browsable)."""
    (op, result), *_ = item.items()
    if op == "delete" and result.get("status") == 404 and "error" not in result:
        return None
    return {"id": result.get("_id"), "op": op, "error": result.get("error")}


# --- the backend ----------------------------------------------------------------------


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
        """Write the documents of these products (delete those of products gone or
        hidden) into the alias, or into `index` during a rebuild. Every document is
        tried; those the cluster refused are logged and raised together as
        `IndexWriteError` (the caller retries them)."""
        ids = list(product_ids)
        errors, total = [], 0
        for start in range(0, len(ids), WRITE_CHUNK):
            chunk = ids[start : start + WRITE_CHUNK]
            errors += self._write(chunk, target=index or alias_name(), alias=not index)
            total += len(chunk)
        if errors:
            for error in errors[:LOGGED_ERRORS]:
                logger.error("search document not written: %s", error)
            logger.error("%d of %d search documents not written", len(errors), total)
            raise IndexWriteError(failed=len(errors), total=total, errors=errors)

    def _write(self, ids: list[int], *, target: str, alias: bool) -> list[dict]:
        """Bulk-write these products' documents; the errors of those refused. A
        write to the alias requires it (no stray index is created in its name);
        rejections for load (429) are retried with backoff."""
        results = streaming_bulk(
            self.client,
            _actions(ids, target),
            raise_on_error=False,
            max_retries=3,
            initial_backoff=1,
            require_alias=alias,
        )
        errors = (_failure(item) for ok, item in results if not ok)
        return [error for error in errors if error]

    def rebuild(self, *, progress=None) -> int:
        """Fill a new index and swap the alias to it atomically; a rebuild that fails
        removes its index and leaves the alias where it was."""
        client = self.client
        alias = alias_name()
        name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        new_index(name).create(using=client)
        ids = list(
            Product.objects.browsable().order_by("pk").values_list("pk", flat=True)
        )
        try:
            for start in range(0, len(ids), WRITE_CHUNK):
                self.index_products(
                    product_ids=ids[start : start + WRITE_CHUNK], index=name
                )
                if progress:
                    progress(min(start + WRITE_CHUNK, len(ids)), len(ids))
            client.indices.refresh(index=name)
        except BaseException:
            client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old = list(client.indices.get_alias(name=alias)) if self._has_alias() else []
        actions = [{"remove": {"index": o, "alias": alias}} for o in old]
        actions.append({"add": {"index": name, "alias": alias}})
        client.indices.update_aliases(actions=actions)  # atomic swap
        for o in old:
            client.indices.delete(index=o, ignore_unavailable=True)
        return len(ids)

    def _has_alias(self) -> bool:
        return bool(self.client.indices.exists_alias(name=alias_name()))
