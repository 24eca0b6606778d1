"""The requests: each tier of the database backend as a named constant-score clause,
the words as typed or spelt close, autocomplete, filters, facets and orders, and the
scan of every document's own columns for the consistency check. Pure: they build
request bodies (pinned by tests/search/test_elasticsearch.py) and send nothing."""

from elasticsearch.dsl import Q, Search

from catalog.articles import article_normalize
from search.backends.elasticsearch.client import alias_name
from search.backends.shared import TIER_LABELS
from search.text import clean_query, tokens

MAX_WINDOW = 10_000  # the index's max_result_window: from + size stays within it
FACET_SIZE = 1_000  # buckets per facet (the database lists every one)
SCAN_PAGE = 5_000  # documents per request of the consistency scan
# search.text.allowed_typos: none below 4 letters, one below 8, then two.
FUZZINESS = "AUTO:4,8"
TIERS = {label: tier for tier, label in TIER_LABELS.items()}  # "article" → 0, ...
# A document's own columns, compared with the product's (`stale_product_ids`).
SCAN_FIELDS = ["product_id", "title", "article", "manufacturer_id"]


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
    by normalised article; by list price (none last) or stock, then title."""
    by = {
        "name": ["title", "product_id"],
        "article": ["article", "product_id"],
        "price": [
            {"list_price": {"order": "asc", "missing": "_last"}},
            "title",
            "product_id",
        ],
        "price_desc": [
            {"list_price": {"order": "desc", "missing": "_last"}},
            "title",
            "product_id",
        ],
        "availability": [{"in_stock": {"order": "desc"}}, "title", "product_id"],
    }
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


def build_document_scan(*, after: int | None = None, size=None, using=None) -> Search:
    """One page of every document's own columns in product id order, from just after
    the product id `after`: the consistency check reads the index with it
    (`search_after` on the unique product id, so no page repeats or skips a
    document, and no scroll context is held)."""
    search = (
        Search(using=using, index=alias_name())
        .source(SCAN_FIELDS)
        .sort("product_id")
        .extra(size=size or SCAN_PAGE, track_total_hits=False)
    )
    if after is not None:
        search = search.extra(search_after=[after])
    return search
