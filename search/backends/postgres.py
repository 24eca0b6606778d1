"""The database backend on PostgreSQL: one search document per product.

A search reads `search_productdocument` (its text as tsvectors — all of it, and the
title, cross-reference and category fields a match ranks by — and the title, article,
manufacturer, categories and stock flag a result list filters, sorts and counts on):
`_matches` builds the SQL of the matching documents, `PostgresBackend._listing` counts,
facets and pages them in one statement. Close spellings come from the vocabulary
`search_word`; both tables are written by `PostgresBackend._write`.
"""

from collections import Counter

from django.db import connection
from django.db.models import Q

from catalog.articles import article_normalize
from catalog.models import (
    Category,
    CompanyPartNumber,
    CrossReference,
    Manufacturer,
    Product,
    ProductCategory,
)
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceList, PriceListItem
from search.backends.base import Filters, SearchHit, SearchPage, last_page
from search.backends.shared import (
    MATERIALIZE_LIMIT,
    PREFIX_TIER,
    WORDS_TIER,
    DatabaseBackend,
    empty_page,
    facet_lists,
    hits_for,
    rank,
    rank_tier,
    sort_key,
)
from search.models import OrderedProduct
from search.text import (
    allowed_typos,
    edit_distance,
    query_numbers,
    query_parts,
    tokens,
)

PG_DOCUMENTS = "search_productdocument"  # migrations 0002, 0003, 0005 and 0006
PG_ORDERED = OrderedProduct._meta.db_table  # what each company has ordered


def _clean(text_sql: str) -> str:
    return f"regexp_replace({text_sql}, '[^[:alnum:]]+', ' ', 'g')"


# Cyrillic look-alikes folded to Latin, as `catalog.articles.article_normalize` does.
_FOLD_FROM = "АВСЕНКМОРТХУІЈЅавсенкмортхуіјѕёЁ"
_FOLD_TO = "abcehkmoptxyijsabcehkmoptxyijsee"


def _codes(text_sql: str) -> str:
    """SQL of the normalised codes of a text (`search.text.code_tokens`): its chunks
    holding letters and digits, look-alikes folded, letters and digits only."""
    folded = (
        f"left(regexp_replace(lower(translate(c.c[1], '{_FOLD_FROM}', '{_FOLD_TO}')), "
        "'[^[:alnum:]]+', '', 'g'), 64)"
    )
    return (
        f"ARRAY(SELECT DISTINCT x.code FROM (SELECT {folded} FROM regexp_matches("
        f"normalize({text_sql}, NFKC), '[^[:space:],;()«»\"\\[\\]]+', 'g') AS c(c) "
        "WHERE c.c[1] ~ '[[:alpha:]]' AND c.c[1] ~ '[[:digit:]]') AS x(code) "
        "WHERE length(x.code) >= 2)"
    )


def _vector(text_sql: str, *, codes: bool = False) -> str:
    """Russian and English stems and the words as written (autocomplete's prefixes),
    without positions; with `codes` the text's normalised codes too."""
    clean = _clean(text_sql)
    vector = (
        f"to_tsvector('russian'::regconfig, {clean}) "
        f"|| to_tsvector('english'::regconfig, {clean}) "
        f"|| to_tsvector('simple'::regconfig, {clean})"
    )
    if codes:
        vector += f" || array_to_tsvector({_codes(text_sql)})"
    return f"strip({vector})"


# The fields of a document, best first: the titles with the product's own numbers,
# the cross-references (brand and number), the category names, the description.
_TITLE_TEXT = (
    "coalesce(p.title, '') || ' ' || coalesce(p.title_en, '') || ' ' "
    "|| coalesce(p.article, '') || ' ' || coalesce(p.manufacturer_article, '')"
)
_DOC = (
    "regexp_replace(coalesce({t}title, '') || ' ' || coalesce({t}title_en, '') "
    "|| ' ' || coalesce({t}description, ''), '[^[:alnum:]]+', ' ', 'g')"
)
PG_DOCUMENTS_GIN = "search_productdocument_fts"
# `Product.objects.browsable()` in SQL: what a search document's `browsable` holds.
PG_BROWSABLE = "{t}is_public AND {t}parent_id IS NULL"
PG_WORDS = "search_word"  # migration 0004: the vocabulary for close spellings
PG_WORDS_VECTOR = f"to_tsvector('simple'::regconfig, {_DOC})".format(t="p.")
# The public list price per product (the active list's lowest quantity break): what
# `price` sorts by, the same for every viewer. `{where}` ("" or "AND ...") narrows
# the items read.
_LIST_PRICES = (
    "SELECT i.product_id, (array_agg(i.price ORDER BY i.min_quantity))[1] "
    f"FROM {PriceListItem._meta.db_table} i JOIN {PriceList._meta.db_table} l "
    f"ON l.id = i.price_list_id AND l.kind = '{PriceList.Kind.LIST.value}' "
    "AND l.is_active {where} GROUP BY i.product_id"
)
PG_TSQUERY = "(plainto_tsquery('russian', %s) || plainto_tsquery('english', %s))"


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _document_filters(filters: Filters | None) -> tuple[str, list]:
    """(SQL condition, params) on a search document `d`: browsable, in a category or
    its descendants, by a manufacturer, in stock — the same as `shared.filter_products`."""
    clauses, params = ["d.browsable"], []
    if filters and filters.categories:
        category = Category._meta.db_table
        clauses.append(
            f"d.category_ids && ARRAY(SELECT c.id FROM {category} c JOIN {category} f "
            "ON c.path LIKE f.path || '%%' WHERE f.id = ANY(%s))"
        )
        params.append(list(filters.categories))
    if filters and filters.manufacturers:
        clauses.append(
            f"d.manufacturer_id IN (SELECT id FROM {Manufacturer._meta.db_table} "
            "WHERE slug = ANY(%s))"
        )
        params.append(list(filters.manufacturers))
    if filters and filters.in_stock:
        clauses.append("d.in_stock")
    return " AND ".join(clauses), params


def _tsquery(words: list[str], *, prefix_last: bool) -> tuple[str, list]:
    """(SQL, params) of the tsquery for `words`: Russian or English stems. With
    `prefix_last` (autocomplete) the last word is a prefix of a stem or of a word as
    written ("bearin" finds "bearing", whose stem is "bear"). Words are `tokens()`:
    letters and digits only, so they are safe inside `to_tsquery`."""
    if not prefix_last:
        return PG_TSQUERY, [" ".join(words)] * 2
    head, last = " ".join(words[:-1]), f"{words[-1]}:*"
    return (
        "((plainto_tsquery('russian', %s) || plainto_tsquery('english', %s)) && "
        "(to_tsquery('russian', %s) || to_tsquery('english', %s) "
        "|| to_tsquery('simple', %s)))",
        [head, head, last, last, last],
    )


def _number_sources(key: str, company) -> list[tuple[int, str, list]]:
    """[(rank, SQL of product ids, params)] of the number look-ups (btree indexes):
    article, manufacturer's number, cross-reference, the company's own number, and
    the prefixes of the article, the manufacturer's number and the cross-references
    (`shared.rank`: a cross-reference is not the product's own number)."""
    if not key:
        return []
    product, crossref, own = (
        Product._meta.db_table,
        CrossReference._meta.db_table,
        CompanyPartNumber._meta.db_table,
    )
    sources = [
        (
            rank(tier=0),
            f"SELECT id FROM {product} WHERE article_normalized = %s",
            [key],
        ),
        (
            rank(tier=1),
            f"SELECT id FROM {product} WHERE manufacturer_article_normalized = %s",
            [key],
        ),
        (
            rank(tier=2, own=False),
            f"SELECT product_id FROM {crossref} "
            "WHERE number_normalized = %s LIMIT 1000",
            [key],
        ),
    ]
    if company is not None:
        sources.append(
            (
                rank(tier=3),
                f"SELECT product_id FROM {own} WHERE company_id = %s "
                "AND number_normalized = %s LIMIT 1000",
                [company.pk, key],
            )
        )
    if len(key) >= 3:
        # Django's varchar_pattern_ops indexes of the numbers serve the prefixes.
        prefix = _like_prefix(key)
        sources += [
            (
                rank(tier=PREFIX_TIER),
                f"SELECT id FROM {product} WHERE article_normalized LIKE %s "
                f"LIMIT {MATERIALIZE_LIMIT + 1}",
                [prefix],
            ),
            (
                rank(tier=PREFIX_TIER, field=1),
                f"SELECT id FROM {product} WHERE manufacturer_article_normalized "
                f"LIKE %s LIMIT {MATERIALIZE_LIMIT + 1}",
                [prefix],
            ),
            (
                rank(tier=PREFIX_TIER, field=2, own=False),
                f"SELECT product_id FROM {crossref} WHERE number_normalized LIKE %s "
                f"LIMIT {MATERIALIZE_LIMIT + 1}",
                [prefix],
            ),
        ]
    return sources


def _numbers_union(sources) -> tuple[str, list]:
    """(SQL yielding (id, tier), params) of all number look-ups."""
    sql = " UNION ALL ".join(
        f"SELECT s{i}.id, {n} FROM ({source}) AS s{i}(id)"
        for i, (n, source, _) in enumerate(sources)
    )
    return sql, [p for _, _, params in sources for p in params]


def _matches(
    *, query: str, company, filters, text: tuple[str, list] | None = None
) -> tuple[str, list] | None:
    """(SQL, params) of the matching search documents as (product_id, tier, title,
    article_normalized, manufacturer_id, category_ids, in_stock, list_price), one row
    per product
    at its best tier; every browsable document under the filters when there is no
    query (tier NULL). None when the query cannot match anything (punctuation only).

    The full-text match reads its rows straight from the documents (GIN), the number
    look-ups (btree) join them by id; a product found by a number is not repeated by
    the text. `text` replaces the words' tsquery and the number look-ups (close
    spellings)."""
    where, where_params = _document_filters(filters)
    columns = (
        "d.title, d.article_normalized, d.manufacturer_id, d.category_ids, "
        "d.in_stock, d.list_price"
    )
    if not query:
        return (
            f"SELECT d.product_id, NULL::integer, {columns} FROM {PG_DOCUMENTS} d "
            f"WHERE {where}",
            where_params,
        )
    numbers = [] if text else _number_sources(article_normalize(query), company)
    words = text or _words_tsquery(query)
    if not numbers and not words:
        return None
    parts, params = [], []
    if numbers:
        ids, ids_params = _numbers_union(numbers)
        parts.append(
            f"SELECT d.product_id, n.tier, {columns} FROM (SELECT h.id, MIN(h.tier) "
            f"AS tier FROM ({ids}) AS h(id, tier) GROUP BY h.id) AS n "
            f"JOIN {PG_DOCUMENTS} d ON d.product_id = n.id WHERE {where}"
        )
        params += [*ids_params, *where_params]
    if words:
        text_sql, text_params = words
        numbered = (
            f" AND d.product_id NOT IN (SELECT h.id FROM ({ids}) AS h(id, tier))"
            if numbers
            else ""
        )
        field_sql, field_params = _word_rank(text_sql, text_params, query)
        parts.append(
            f"SELECT d.product_id, {field_sql}, {columns} FROM {PG_DOCUMENTS} d "
            f"WHERE d.document @@ {text_sql} AND {where}{numbered}"
        )
        params += [
            *field_params,
            *text_params,
            *where_params,
            *(ids_params if numbers else []),
        ]
    return " UNION ALL ".join(parts), params


def _words_tsquery(query: str) -> tuple[str, list] | None:
    """(SQL, params) of the tsquery of a query's words and codes, or None: the words
    all as Russian stems or all as English stems; each code (`search.text.
    query_parts`) as the normalised code the documents hold (a prefix of it from
    four characters) or as the words it is written with."""
    words, codes = query_parts(query)
    parts, params = [], []
    if words:
        parts.append(PG_TSQUERY)
        params += [" ".join(words)] * 2
    for code, written in codes:
        # A normalised code is letters and digits only: safe inside a quoted lexeme.
        lexeme = f"'{code}':*" if len(code) >= 4 else f"'{code}'"
        parts.append(
            "(%s::tsquery || plainto_tsquery('russian', %s) "
            "|| plainto_tsquery('english', %s))"
        )
        params += [lexeme, " ".join(written), " ".join(written)]
    if not parts:
        return None
    return "(" + " && ".join(parts) + ")", params


def _word_rank(text_sql: str, text_params: list, query: str) -> tuple[str, list]:
    """(SQL, params) of a text match's rank (`shared.rank`, stock and orders added
    by the listing): the first of the title (with the product's own numbers), the
    cross-references, the category names where all the words are found, else the
    description; a product whose own number begins with one of the query's numbers
    first."""
    title = "d.title_document"
    refs = f"{title} || d.reference_document"
    categories = f"{refs} || d.category_document"
    sql = (
        f"{rank(tier=WORDS_TIER)} + 10 * CASE WHEN ({title}) @@ {text_sql} THEN 0 "
        f"WHEN ({refs}) @@ {text_sql} THEN 1 "
        f"WHEN ({categories}) @@ {text_sql} THEN 2 ELSE 3 END "
        "+ CASE WHEN EXISTS (SELECT 1 FROM unnest(%s::text[]) AS q(n) "
        "WHERE starts_with(d.article_normalized, q.n) "
        "OR starts_with(d.manufacturer_article_normalized, q.n)) THEN 0 ELSE 4 END"
    )
    return sql, [*text_params * 3, query_numbers(query)]


def _close_words(words: list[str]) -> list[list[str]]:
    """For each query word, the catalogue's words within its allowed typos (closest
    first, at most five; the word itself when it is written so), found through the
    vocabulary's trigram index in one query; the edit distance is `search.text`'s,
    as on SQLite."""
    # Trigrams miss a typo in a short word ("hoze" shares 2 of 8 with "hose"): those
    # also look at the words of the same first letter and about the same length.
    short = [w for w in words if len(w) <= 5]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT q.w, v.word FROM unnest(%s::text[]) AS q(w) "
            f"JOIN {PG_WORDS} v ON v.word %% q.w "
            "UNION "
            f"SELECT q.w, v.word FROM unnest(%s::text[]) AS q(w) JOIN {PG_WORDS} v "
            "ON left(v.word, 1) = left(q.w, 1) "
            "AND length(v.word) BETWEEN length(q.w) - 1 AND length(q.w) + 1",
            [words, short],
        )
        candidates: dict[str, list[str]] = {}
        for word, candidate in cursor.fetchall():
            candidates.setdefault(word, []).append(candidate)
    close = []
    for word in words:
        limit = allowed_typos(word)
        scored = sorted(
            (edit_distance(word, c, limit), c) for c in candidates.get(word, [])
        )
        close.append([c for distance, c in scored if distance <= limit][:5])
    return close


def _close_matches(*, query: str, filters) -> tuple[str, list] | None:
    """`_matches` for close spellings (when nothing matched as typed): each word
    matches as typed or as one of its close words; numbers are not corrected. None
    when no word has a close spelling."""
    words = tokens(query)
    if not words:
        return None
    close = _close_words(words)
    pairs = list(zip(words, close, strict=True))
    if all(alternatives in ([], [word]) for word, alternatives in pairs):
        return None
    parts, params = [], []
    for word, alternatives in pairs:
        either = ["plainto_tsquery('russian', %s)", "plainto_tsquery('english', %s)"]
        either += ["plainto_tsquery('simple', %s)"] * len(alternatives)
        parts.append("(" + " || ".join(either) + ")")
        params += [word, word, *alternatives]
    text = "(" + " && ".join(parts) + ")"
    return _matches(query=query, company=None, filters=filters, text=(text, params))


class PostgresBackend(DatabaseBackend):
    """Search documents, their listing, autocomplete, close spellings, indexing."""

    @staticmethod
    def article_close_condition(key: str) -> Q:
        """Trigram similarity on the article (`pg_trgm`)."""
        return Q(article_normalized__trigram_similar=key)

    def _search(self, *, query, company, filters, sort, page, per_page):
        matches = _matches(query=query, company=company, filters=filters)
        if matches is None:
            return empty_page(per_page)
        narrow = bool(
            query or filters and (filters.categories or filters.manufacturers)
        )
        found = self._listing(
            matches,
            sort=sort,
            page=page,
            per_page=per_page,
            tiered=bool(query),
            narrow=narrow,
            company=company,
        )
        if found.count or not query:
            return found
        close = _close_matches(query=query, filters=filters)
        if close is None:
            return found
        return self._listing(
            close,
            sort=sort,
            page=page,
            per_page=per_page,
            tiered=True,
            narrow=True,
            corrected=True,
            company=company,
        )

    def _listing(
        self,
        matches,
        *,
        sort,
        page,
        per_page,
        tiered,
        narrow,
        corrected=False,
        company=None,
    ) -> SearchPage:
        """A page of matches: the database counts, facets and pages them in ONE
        statement over the matching documents, whether they are ten or the whole
        catalogue; then one query for the facet labels and one for the page's
        products. A query's matches rank by `shared.rank`: the match's tier and
        field, then in stock, then the company's previously ordered products."""
        sql, params = matches
        relevance, relevance_params = "NULL::integer", []
        if tiered:
            relevance = (
                "m.tier + CASE WHEN m.in_stock THEN 0 ELSE 2 END "
                f"+ CASE WHEN EXISTS (SELECT 1 FROM {PG_ORDERED} o "
                "WHERE o.company_id = %s AND o.product_id = m.product_id) "
                "THEN 0 ELSE 1 END"
            )
            relevance_params = [company.pk if company is not None else None]
        by_title = "m.title USING ~<~, m.product_id"
        order = {
            "name": by_title,
            "article": "m.article_normalized USING ~<~, m.product_id",
            "price": f"m.list_price ASC NULLS LAST, {by_title}",
            "price_desc": f"m.list_price DESC NULLS LAST, {by_title}",
            "availability": f"m.in_stock DESC, {by_title}",
        }.get(sort, f"relevance, {by_title}")
        # A match (a query, a category, a manufacturer) is evaluated once and read
        # four times; browsing everything reads the documents four times rather than
        # spill the whole catalogue to disk.
        materialized = "MATERIALIZED" if narrow else "NOT MATERIALIZED"
        statement = f"""
            WITH m(product_id, tier, title, article_normalized, manufacturer_id,
                   category_ids, in_stock, list_price) AS {materialized} ({sql})
            SELECT 'total', NULL::bigint, COUNT(*), COUNT(*) FILTER (WHERE m.in_stock),
                   NULL, NULL, NULL::numeric, NULL::boolean FROM m
            UNION ALL
            SELECT 'category', c.id, COUNT(*), NULL, NULL, NULL, NULL, NULL
              FROM m, unnest(m.category_ids) AS c(id) GROUP BY c.id
            UNION ALL
            SELECT 'manufacturer', m.manufacturer_id, COUNT(*), NULL, NULL, NULL,
                   NULL, NULL
              FROM m WHERE m.manufacturer_id IS NOT NULL GROUP BY m.manufacturer_id
            UNION ALL
            SELECT 'page', p.product_id, p.relevance, NULL, p.title,
                   p.article_normalized, p.list_price, p.in_stock
              FROM (SELECT m.product_id, {relevance} AS relevance, m.title,
                           m.article_normalized, m.list_price, m.in_stock FROM m
                     ORDER BY {order} LIMIT %s OFFSET %s) AS p
        """  # `order`, `relevance`, `materialized` are literals; values are bound
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    statement,
                    [*params, *relevance_params, per_page, (page - 1) * per_page],
                )
                found = cursor.fetchall()
            count = next(n for kind, _, n, *_ in found if kind == "total")
            last = last_page(count, per_page)
            if page <= last or not count:
                break
            page = last  # past the end (page 10,000): show the last page
        if not count:
            return empty_page(per_page)
        categories, makers, shown = Counter(), Counter(), []
        for kind, pk, n, stocked, title, article, price, available in found:
            if kind == "total":
                in_stock = stocked
            elif kind == "category":
                categories[pk] = n
            elif kind == "manufacturer":
                makers[pk] = n
            else:
                shown.append((pk, n or 0, title, article, price, available))
        # The database's byte order (`~<~`) is Python's order of str: re-sort the page.
        shown.sort(
            key=lambda r: sort_key(
                sort,
                pk=r[0],
                tier=r[1],
                title=r[2],
                article=r[3],
                price=r[4],
                in_stock=r[5],
            )
        )
        return SearchPage(
            hits=hits_for([(r[0], r[1] if tiered else None) for r in shown]),
            count=count,
            page=page,
            per_page=per_page,
            facets=facet_lists(categories=categories, makers=makers, in_stock=in_stock),
            corrected=corrected,
        )

    def _autocomplete(self, *, query, company, limit) -> list[SearchHit]:
        """The first `limit` browsable matches by tier, then article (in byte order,
        which the article indexes keep): one statement for the ids, one for the
        products. Each branch stops at `limit` rows where it could be large."""
        key, words = article_normalize(query), tokens(query)
        product = Product._meta.db_table
        browsable = PG_BROWSABLE.format(t="p.")
        branches, params = [], []
        numbers = [
            s for s in _number_sources(key, company) if rank_tier(s[0]) != PREFIX_TIER
        ]
        if numbers:
            ids, ids_params = _numbers_union(numbers)
            branches.append(
                f"SELECT p.id, h.tier, p.article_normalized FROM ({ids}) "
                f"AS h(id, tier) JOIN {product} p ON p.id = h.id WHERE {browsable}"
            )
            params += ids_params
        if len(key) >= 3:  # walks the article index in order: no sort of thousands
            branches.append(
                f"(SELECT p.id, {rank(tier=PREFIX_TIER)}, p.article_normalized "
                f"FROM {product} p "
                f"WHERE p.article_normalized LIKE %s AND {browsable} "
                "ORDER BY p.article_normalized USING ~<~ LIMIT %s)"
            )
            params += [_like_prefix(key), limit]
        if words:
            text_sql, text_params = _tsquery(words, prefix_last=True)
            coded = _words_tsquery(query)
            if coded is not None and query_parts(query)[1]:
                # Codes as the search matches them ("hb-m8" begins "HBM8-40").
                text_sql = f"({text_sql} || {coded[0]})"
                text_params = [*text_params, *coded[1]]
            branches.append(
                f"(SELECT d.product_id, {rank(tier=WORDS_TIER)}, d.article_normalized "
                f"FROM {PG_DOCUMENTS} d "
                f"WHERE d.document @@ {text_sql} AND d.browsable "
                "ORDER BY d.article_normalized USING ~<~ LIMIT %s)"
            )
            params += [*text_params, limit]
        if not branches:
            return []
        sql = (
            "SELECT id, MIN(tier) AS tier, article FROM ("
            + " UNION ALL ".join(branches)
            + ") AS u(id, tier, article) GROUP BY id, article "
            "ORDER BY tier, article USING ~<~, id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return hits_for([(pk, tier) for pk, tier, _ in cursor.fetchall()])

    # --- the index --------------------------------------------------------------------

    def index_products(self, *, product_ids) -> None:
        """Refresh the documents (and the vocabulary) of these products."""
        self._write(ids=list(product_ids))

    def rebuild(self, *, progress=None) -> int:
        total = Product.objects.count()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_DOCUMENTS}")
            cursor.execute(f"DELETE FROM {PG_WORDS}")
        self._write(ids=None)
        with connection.cursor() as cursor:
            # Merge the rows just written into the GIN index now: until then every
            # search would scan its pending list (up to 4 MB) row by row.
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [PG_DOCUMENTS_GIN]
            )
            cursor.execute(f"ANALYZE {Product._meta.db_table}")
            cursor.execute(f"ANALYZE {PG_DOCUMENTS}")
        if progress:
            progress(total, total)
        return total

    def stale_product_ids(self) -> list[int]:
        """Products without a document, or whose document's own columns (title,
        article, manufacturer's number, manufacturer, browsable, list price) differ from the product's;
        deleted products take their documents with them (cascade). The list price
        is compared because the price import writes in bulk, without signals."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT p.id FROM {Product._meta.db_table} p
                  LEFT JOIN {PG_DOCUMENTS} d ON d.product_id = p.id
                  LEFT JOIN ({_LIST_PRICES.format(where="")})
                       AS lp(product_id, price) ON lp.product_id = p.id
                 WHERE d.product_id IS NULL
                    OR d.title IS DISTINCT FROM p.title
                    OR d.article_normalized IS DISTINCT FROM p.article_normalized
                    OR d.manufacturer_article_normalized
                       IS DISTINCT FROM p.manufacturer_article_normalized
                    OR d.manufacturer_id IS DISTINCT FROM p.manufacturer_id
                    OR d.browsable IS DISTINCT FROM ({PG_BROWSABLE.format(t="p.")})
                    OR d.list_price IS DISTINCT FROM lp.price
                 ORDER BY p.id
                """
            )
            return [pk for (pk,) in cursor.fetchall()]

    @staticmethod
    def _write(*, ids):
        """Upsert the documents of these products (all when `ids` is None); a product
        that no longer exists keeps no document (its row goes with it)."""
        where, params = "", []
        if ids is not None:  # an array the planner can count (values_sql it cannot)
            where = "WHERE p.id = ANY(string_to_array(%s, ',')::bigint[])"
            params = [",".join(map(str, ids))]

        def only(column):  # the same id list on each table read
            return where.replace("p.id", column) if where else ""

        prices_only = only("i.product_id").replace("WHERE", "AND", 1)

        with connection.cursor() as cursor:
            # Categories and stock are aggregated per table and joined, never looked
            # up per product: a correlated subquery planned from stale statistics
            # (a catalogue loaded in the same transaction) scanned the whole table
            # once per product.
            cursor.execute(
                f"""
                INSERT INTO {PG_DOCUMENTS} (product_id, document, title_document,
                    reference_document, category_document, browsable, title,
                    article_normalized, manufacturer_article_normalized,
                    manufacturer_id, category_ids, in_stock, list_price)
                SELECT v.id, v.t || v.r || v.c || v.d, v.t, v.r, v.c, v.browsable,
                    v.title, v.article_normalized, v.manufacturer_article_normalized,
                    v.manufacturer_id, v.ids, v.in_stock, v.price
                  FROM (
                SELECT p.id, {_vector(_TITLE_TEXT, codes=True)} AS t,
                    {_vector("coalesce(x.text, '')", codes=True)} AS r,
                    {_vector("coalesce(c.names, '')")} AS c,
                    {_vector("coalesce(p.description, '')")} AS d,
                    {PG_BROWSABLE.format(t="p.")} AS browsable,
                    p.title, p.article_normalized, p.manufacturer_article_normalized,
                    p.manufacturer_id, COALESCE(c.ids, '{{}}') AS ids,
                    COALESCE(s.in_stock, false) AS in_stock, lp.price
                  FROM {Product._meta.db_table} p
                  LEFT JOIN (SELECT pc.product_id,
                                    array_agg(pc.category_id ORDER BY pc.category_id),
                                    string_agg(k.name || ' ' || k.name_en, ' ')
                               FROM {ProductCategory._meta.db_table} pc
                               JOIN {Category._meta.db_table} k ON k.id = pc.category_id
                               {only("pc.product_id")} GROUP BY pc.product_id)
                       AS c(product_id, ids, names) ON c.product_id = p.id
                  LEFT JOIN (SELECT x.product_id,
                                    string_agg(x.brand || ' ' || x.number, ' ')
                               FROM {CrossReference._meta.db_table} x
                               {only("x.product_id")} GROUP BY x.product_id)
                       AS x(product_id, text) ON x.product_id = p.id
                  LEFT JOIN (SELECT r.product_id,
                                    bool_or(r.num_in_stock > COALESCE(r.num_allocated, 0))
                               FROM {StockRecord._meta.db_table} r
                               {only("r.product_id")} GROUP BY r.product_id)
                       AS s(product_id, in_stock) ON s.product_id = p.id
                  LEFT JOIN ({_LIST_PRICES.format(where=prices_only)})
                       AS lp(product_id, price) ON lp.product_id = p.id
                  {where}) AS v
                ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document,
                    title_document = EXCLUDED.title_document,
                    reference_document = EXCLUDED.reference_document,
                    category_document = EXCLUDED.category_document,
                    browsable = EXCLUDED.browsable, title = EXCLUDED.title,
                    article_normalized = EXCLUDED.article_normalized,
                    manufacturer_article_normalized =
                        EXCLUDED.manufacturer_article_normalized,
                    manufacturer_id = EXCLUDED.manufacturer_id,
                    category_ids = EXCLUDED.category_ids, in_stock = EXCLUDED.in_stock,
                    list_price = EXCLUDED.list_price
                """,
                params * 5,
            )
            cursor.execute(
                f"""
                INSERT INTO {PG_WORDS} (word)
                SELECT DISTINCT w FROM {Product._meta.db_table} p,
                       unnest(tsvector_to_array({PG_WORDS_VECTOR})) AS w
                 {where} {"AND" if where else "WHERE"} length(w) BETWEEN 4 AND 100
                   AND w ~ '[[:alpha:]]'
                ON CONFLICT DO NOTHING
                """,
                params,
            )
