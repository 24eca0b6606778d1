"""The embedded backend: PostgreSQL full-text + pg_trgm, or SQLite FTS5 with a stemmer.

On PostgreSQL a search reads one search document per product (`search_productdocument`:
its text as tsvectors, and the title, article, manufacturer, categories and stock flag a
result list filters, sorts and counts on); see `_pg_matches` and `_pg_listing`. On
SQLite the ORM filters products and an FTS5 table matches words.
"""

from collections import Counter

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from catalog.articles import article_normalize
from catalog.models import (
    Category,
    CompanyPartNumber,
    CrossReference,
    Manufacturer,  # noqa: I001
    Product,
    ProductCategory,
)
from catalog.partner.models import StockRecord
from search.backends.base import (
    MAX_PER_PAGE,
    Filters,
    SearchBackend,
    SearchHit,
    SearchPage,
    clamp_page,
    last_page,
)
from search.lookup import values_sql
from search.text import allowed_typos, clean_query, edit_distance, stem, stemmed, tokens

FTS_TABLE = "search_productfts"
FTS_VOCAB = "search_productfts_vocab"
_DOC = (
    "regexp_replace(coalesce({t}title, '') || ' ' || coalesce({t}description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
PG_DOCUMENTS = "search_productdocument"  # migrations 0002 and 0003
# Russian and English stems, and the words as written (autocomplete's prefixes).
PG_VECTOR_STORED = (
    f"strip(to_tsvector('russian'::regconfig, {_DOC}) "
    f"|| to_tsvector('english'::regconfig, {_DOC}) "
    f"|| to_tsvector('simple'::regconfig, {_DOC}))"
).format(t="p.")
PG_DOCUMENTS_GIN = "search_productdocument_fts"
# `Product.objects.browsable()` in SQL: what a search document's `browsable` holds.
PG_BROWSABLE = "{t}is_public AND {t}parent_id IS NULL"
PG_WORDS = "search_word"  # migration 0004: the vocabulary for close spellings
PG_WORDS_VECTOR = f"to_tsvector('simple'::regconfig, {_DOC})".format(t="p.")
PG_TSQUERY = "(plainto_tsquery('russian', %s) || plainto_tsquery('english', %s))"
# SQLite and close spellings hold up to this many matches in memory (beyond, the ORM
# pages them); on PostgreSQL it bounds the article-prefix tier.
MATERIALIZE_LIMIT = 20_000

TIER_LABELS = {
    0: "article",
    1: "manufacturer_article",
    2: "cross_reference",
    3: "company_part_number",
    4: "article_prefix",
    5: "name",
}


def in_stock_condition():
    return Exists(
        StockRecord.objects.filter(
            product=OuterRef("pk"),
            num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)),
        )
    )


def filter_products(queryset, filters: Filters | None):
    """Category (with its descendants), manufacturer and in-stock filters."""
    if not filters:
        return queryset
    if filters.categories:
        paths = list(
            Category.objects.filter(pk__in=filters.categories).values_list(
                "path", flat=True
            )
        )
        within = Q(pk__in=[])
        for path in paths:
            within |= Q(category__path__startswith=path)
        queryset = queryset.filter(
            pk__in=ProductCategory.objects.filter(within).values("product_id")
        )
    if filters.manufacturers:
        queryset = queryset.filter(manufacturer__slug__in=filters.manufacturers)
    if filters.in_stock:
        queryset = queryset.filter(in_stock_condition())
    return queryset


def _hits(found: list[tuple[int, int | None]]) -> list[SearchHit]:
    """[(product id, tier or None)] in page order → hits, with their products loaded
    in one query (ids of products deleted meanwhile are skipped)."""
    products = Product.objects.select_related("manufacturer", "product_class").in_bulk(
        [pk for pk, _ in found]
    )
    return [
        SearchHit(
            product=products[pk],
            matched_on=TIER_LABELS[tier] if tier is not None else None,
        )
        for pk, tier in found
        if pk in products
    ]


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _pg_document_filters(filters: Filters | None) -> tuple[str, list]:
    """(SQL condition, params) on a search document `d`: browsable, in a category or
    its descendants, by a manufacturer, in stock — the same as `filter_products`."""
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


def _pg_tsquery(words: list[str], *, prefix_last: bool) -> tuple[str, list]:
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


def _pg_number_sources(key: str, company) -> list[tuple[int, str, list]]:
    """[(tier, SQL of product ids, params)] of the number look-ups (btree indexes):
    article, manufacturer's number, cross-reference, the company's own number, article
    prefix."""
    if not key:
        return []
    product, crossref, own = (
        Product._meta.db_table,
        CrossReference._meta.db_table,
        CompanyPartNumber._meta.db_table,
    )
    sources = [
        (0, f"SELECT id FROM {product} WHERE article_normalized = %s", [key]),
        (1, f"SELECT id FROM {product} "
            "WHERE manufacturer_article_normalized = %s", [key]),
        (2, f"SELECT product_id FROM {crossref} "
            "WHERE number_normalized = %s LIMIT 1000", [key]),
    ]  # fmt: skip
    if company is not None:
        sources.append(
            (3, f"SELECT product_id FROM {own} WHERE company_id = %s "
                "AND number_normalized = %s LIMIT 1000", [company.pk, key])
        )  # fmt: skip
    if len(key) >= 3:
        sources.append(
            (4, f"SELECT id FROM {product} WHERE article_normalized LIKE %s "
                f"LIMIT {MATERIALIZE_LIMIT + 1}", [_like_prefix(key)])
        )  # fmt: skip
    return sources


def _pg_numbers_union(sources) -> tuple[str, list]:
    """(SQL yielding (id, tier), params) of all number look-ups."""
    sql = " UNION ALL ".join(
        f"SELECT s{n}.id, {n} FROM ({source}) AS s{n}(id)" for n, source, _ in sources
    )
    return sql, [p for _, _, params in sources for p in params]


def _pg_matches(
    *, query: str, company, filters, text: tuple[str, list] | None = None
) -> tuple[str, list] | None:
    """(SQL, params) of the matching search documents as (product_id, tier, title,
    article_normalized, manufacturer_id, category_ids, in_stock), one row per product
    at its best tier; every browsable document under the filters when there is no
    query (tier NULL). None when the query cannot match anything (punctuation only).

    The full-text match reads its rows straight from the documents (GIN), the number
    look-ups (btree) join them by id; a product found by a number is not repeated by
    the text. `text` replaces the words' tsquery and the number look-ups (close
    spellings)."""
    where, where_params = _pg_document_filters(filters)
    columns = (
        "d.title, d.article_normalized, d.manufacturer_id, d.category_ids, d.in_stock"
    )
    if not query:
        return (
            f"SELECT d.product_id, NULL::integer, {columns} FROM {PG_DOCUMENTS} d "
            f"WHERE {where}",
            where_params,
        )
    numbers = [] if text else _pg_number_sources(article_normalize(query), company)
    words = tokens(query)
    if not numbers and not words:
        return None
    parts, params = [], []
    if numbers:
        ids, ids_params = _pg_numbers_union(numbers)
        parts.append(
            f"SELECT d.product_id, n.tier, {columns} FROM (SELECT h.id, MIN(h.tier) "
            f"AS tier FROM ({ids}) AS h(id, tier) GROUP BY h.id) AS n "
            f"JOIN {PG_DOCUMENTS} d ON d.product_id = n.id WHERE {where}"
        )
        params += [*ids_params, *where_params]
    if words:
        text_sql, text_params = text or _pg_tsquery(words, prefix_last=False)
        numbered = (
            f" AND d.product_id NOT IN (SELECT h.id FROM ({ids}) AS h(id, tier))"
            if numbers
            else ""
        )
        parts.append(
            f"SELECT d.product_id, 5, {columns} FROM {PG_DOCUMENTS} d "
            f"WHERE d.document @@ {text_sql} AND {where}{numbered}"
        )
        params += [*text_params, *where_params, *(ids_params if numbers else [])]
    return " UNION ALL ".join(parts), params


def _pg_close_words(words: list[str]) -> list[list[str]]:
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


def _pg_close_matches(*, query: str, filters) -> tuple[str, list] | None:
    """`_pg_matches` for close spellings (when nothing matched as typed): each word
    matches as typed or as one of its close words; numbers are not corrected. None
    when no word has a close spelling."""
    words = tokens(query)
    if not words:
        return None
    close = _pg_close_words(words)
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
    return _pg_matches(query=query, company=None, filters=filters, text=(text, params))


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- conditions -------------------------------------------------------------------

    def _number_tiers(self, *, key: str, company) -> list[tuple[int, Q]]:
        if not key:
            return []
        # Ids first (small indexed look-ups), so that every branch of the final OR can
        # use an index (PostgreSQL turns it into one BitmapOr).
        crossref_ids = list(
            CrossReference.objects.filter(number_normalized=key).values_list(
                "product_id", flat=True
            )[:1000]
        )
        tiers = [
            (0, Q(article_normalized=key)),
            (1, Q(manufacturer_article_normalized=key)),
            (2, Q(pk__in=crossref_ids)),
        ]
        if company is not None:
            own = CompanyPartNumber.objects.filter(
                company=company, number_normalized=key
            )
            tiers.append((3, Q(pk__in=list(own.values_list("product_id", flat=True)))))
        if len(key) >= 3:
            tiers.append((4, Q(article_normalized__startswith=key)))
        return tiers

    def _text_condition(self, *, words: list[str], fuzzy=False):
        """The name/description match through the FTS5 table (SQLite), or None. Every
        word matches as a prefix of a stem (so a half-typed last word does too)."""
        match = self._fts_match(words=words, fuzzy=fuzzy) if words else ""
        if not match:
            return None
        ids = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]
        )
        return Q(pk__in=ids)

    def _fts_match(self, *, words: list[str], fuzzy: bool) -> str:
        groups = []
        for word in words:
            term = stem(word)
            alternatives = [term]
            if fuzzy and allowed_typos(term):
                alternatives = self._close_terms(term=term) or alternatives
            groups.append("(" + " OR ".join(f'"{alt}"*' for alt in alternatives) + ")")
        return " AND ".join(groups)

    def _close_terms(self, *, term: str) -> list[str]:
        limit = allowed_typos(term)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {FTS_VOCAB} WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s",
                [term[0], term[0] + "\uffff", len(term) - limit, len(term) + limit],
            )
            terms = [row[0] for row in cursor.fetchall()]
        return [t for t in terms if edit_distance(term, t, limit) <= limit][:20]

    def _matching(self, *, query: str, company, filters, fuzzy=False):
        """(matching queryset, tier expression) on SQLite: (None, None) when nothing
        can match (a query of punctuation only), tier None when browsing."""
        base = filter_products(Product.objects.browsable(), filters)
        if not query:
            return base, None
        key = article_normalize(query)
        words = tokens(query)
        tiers = [] if fuzzy else self._number_tiers(key=key, company=company)
        text = self._text_condition(words=words, fuzzy=fuzzy)
        if not tiers and text is None:
            return None, None
        condition = Q(pk__in=[])
        for _, tier_condition in tiers:
            condition |= tier_condition
        if text is not None:
            condition |= Q(text)
        tier = Case(
            *[When(tier_condition, then=Value(n)) for n, tier_condition in tiers],
            default=Value(5),
            output_field=IntegerField(),
        )
        return base.filter(condition), tier

    # --- the interface ----------------------------------------------------------------

    def search(self, *, query, company=None, filters=None, sort="relevance", page=1,
               per_page=MAX_PER_PAGE) -> SearchPage:  # fmt: skip
        query = clean_query(query)
        page, per_page = clamp_page(page=page, per_page=per_page)
        if connection.vendor == "postgresql":
            return self._search_pg(
                query=query, company=company, filters=filters, sort=sort, page=page,
                per_page=per_page,
            )  # fmt: skip
        matched, tier = self._matching(query=query, company=company, filters=filters)
        if matched is None:
            return self._empty(per_page)
        if tier is None:  # browsing without a query
            return self._queryset_page(matched, None, sort, page, per_page)
        # One query evaluates the (costly) match; count, order, facets and the page
        # then work on the ids it found.
        rows = self._materialize(matched, tier)
        corrected = False
        if rows == []:
            fuzzy = self._matching(
                query=query, company=company, filters=filters, fuzzy=True
            )
            if fuzzy[0] is not None:
                rows = self._materialize(*fuzzy)
                corrected = bool(rows)
                matched, tier = fuzzy
        if rows is None:  # too many to hold: let the database page them
            return self._queryset_page(matched, tier, sort, page, per_page, corrected)
        if not rows:
            return self._empty(per_page)
        order = {
            "name": lambda r: (r[2], r[0]),
            "article": lambda r: (r[3], r[0]),
        }.get(sort, lambda r: (r[1], r[2], r[0]))
        rows.sort(key=order)
        count = len(rows)
        page = min(page, last_page(count, per_page))
        shown = rows[(page - 1) * per_page : page * per_page]
        return SearchPage(
            hits=_hits([(r[0], r[1]) for r in shown]),
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facets_of(rows),
            corrected=corrected,
        )

    def _search_pg(self, *, query, company, filters, sort, page, per_page):
        matches = _pg_matches(query=query, company=company, filters=filters)
        if matches is None:
            return self._empty(per_page)
        narrow = bool(
            query or filters and (filters.categories or filters.manufacturers)
        )
        found = self._pg_listing(
            matches, sort=sort, page=page, per_page=per_page, tiered=bool(query),
            narrow=narrow,
        )  # fmt: skip
        if found.count or not query:
            return found
        close = _pg_close_matches(query=query, filters=filters)
        if close is None:
            return found
        return self._pg_listing(
            close, sort=sort, page=page, per_page=per_page, tiered=True, narrow=True,
            corrected=True,
        )  # fmt: skip

    def _pg_listing(
        self, matches, *, sort, page, per_page, tiered, narrow, corrected=False
    ) -> SearchPage:
        """A page of matches: the database counts, facets and pages them in ONE
        statement over the matching documents, whether they are ten or the whole
        catalogue; then one query for the facet labels and one for the page's
        products."""
        sql, params = matches
        order = {
            "name": "m.title USING ~<~, m.product_id",
            "article": "m.article_normalized USING ~<~, m.product_id",
        }.get(sort, "m.tier, m.title USING ~<~, m.product_id")
        # A match (a query, a category, a manufacturer) is evaluated once and read
        # four times; browsing everything reads the documents four times rather than
        # spill the whole catalogue to disk.
        materialized = "MATERIALIZED" if narrow else "NOT MATERIALIZED"
        statement = f"""
            WITH m(product_id, tier, title, article_normalized, manufacturer_id,
                   category_ids, in_stock) AS {materialized} ({sql})
            SELECT 'total', NULL::bigint, COUNT(*), COUNT(*) FILTER (WHERE m.in_stock),
                   NULL, NULL FROM m
            UNION ALL
            SELECT 'category', c.id, COUNT(*), NULL, NULL, NULL
              FROM m, unnest(m.category_ids) AS c(id) GROUP BY c.id
            UNION ALL
            SELECT 'manufacturer', m.manufacturer_id, COUNT(*), NULL, NULL, NULL
              FROM m WHERE m.manufacturer_id IS NOT NULL GROUP BY m.manufacturer_id
            UNION ALL
            SELECT 'page', p.product_id, p.tier, NULL, p.title, p.article_normalized
              FROM (SELECT m.product_id, m.tier, m.title, m.article_normalized FROM m
                     ORDER BY {order} LIMIT %s OFFSET %s) AS p
        """  # `order` and `materialized` are literals above; every value is bound
        while True:
            with connection.cursor() as cursor:
                cursor.execute(statement, [*params, per_page, (page - 1) * per_page])
                found = cursor.fetchall()
            count = next(n for kind, _, n, *_ in found if kind == "total")
            last = last_page(count, per_page)
            if page <= last or not count:
                break
            page = last  # past the end (page 10,000): show the last page
        if not count:
            return self._empty(per_page)
        categories, makers, shown = Counter(), Counter(), []
        for kind, pk, n, stocked, title, article in found:
            if kind == "total":
                in_stock = stocked
            elif kind == "category":
                categories[pk] = n
            elif kind == "manufacturer":
                makers[pk] = n
            else:
                shown.append((n or 0, title, article, pk))
        # The database's byte order (`~<~`) is Python's order of str: re-sort the page.
        shown.sort(
            key={
                "name": lambda r: (r[1], r[3]),
                "article": lambda r: (r[2], r[3]),
            }.get(sort, lambda r: (r[0], r[1], r[3]))
        )
        return SearchPage(
            hits=_hits([(pk, tier if tiered else None) for tier, _, _, pk in shown]),
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facet_lists(
                categories=categories, makers=makers, in_stock=in_stock
            ),
            corrected=corrected,
        )

    @staticmethod
    def _materialize(matched, tier):
        """[(pk, tier, title, article, manufacturer_id)] of every match, or None if
        too many."""
        found = list(
            matched.annotate(search_tier=tier)
            .order_by()
            .values_list(
                "pk", "search_tier", "title", "article_normalized", "manufacturer_id"
            )[: MATERIALIZE_LIMIT + 1]
        )
        return None if len(found) > MATERIALIZE_LIMIT else found

    def _empty(self, per_page):
        return SearchPage(
            hits=[], count=0, page=1, per_page=per_page, facets=self._no_facets()
        )

    def _queryset_page(self, matched, tier, sort, page, per_page, corrected=False):
        count = matched.count()
        if not count:
            return self._empty(per_page)
        page = min(page, last_page(count, per_page))
        ordered = matched.select_related("manufacturer", "product_class")
        if tier is not None:
            ordered = ordered.annotate(search_tier=tier)
        ordering = {
            "name": ["title", "pk"],
            "article": ["article_normalized", "pk"],
        }.get(sort)
        if ordering is None:
            ordering = (
                ["title", "pk"] if tier is None else ["search_tier", "title", "pk"]
            )
        start = (page - 1) * per_page
        products = list(ordered.order_by(*ordering)[start : start + per_page])
        hits = [
            SearchHit(
                product=product,
                matched_on=TIER_LABELS[product.search_tier]
                if tier is not None
                else None,
            )
            for product in products
        ]
        return SearchPage(
            hits=hits,
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facets(matched),
            corrected=corrected,
        )

    def autocomplete(self, *, query, company=None, limit=10) -> list[SearchHit]:
        query = clean_query(query)
        if len(article_normalize(query)) < 2:
            return []
        if connection.vendor == "postgresql":
            return self._autocomplete_pg(query=query, company=company, limit=limit)
        matched, tier = self._matching(query=query, company=company, filters=None)
        if matched is None:
            return []
        ordered = matched.select_related("manufacturer", "product_class").annotate(
            search_tier=tier
        )
        ordering = ["search_tier", "article_normalized", "pk"]
        return [
            SearchHit(product=product, matched_on=TIER_LABELS[product.search_tier])
            for product in ordered.order_by(*ordering)[:limit]
        ]

    def _autocomplete_pg(self, *, query, company, limit) -> list[SearchHit]:
        """The first `limit` browsable matches by tier, then article (in byte order,
        which the article indexes keep): one statement for the ids, one for the
        products. Each branch stops at `limit` rows where it could be large."""
        key, words = article_normalize(query), tokens(query)
        product = Product._meta.db_table
        browsable = PG_BROWSABLE.format(t="p.")
        branches, params = [], []
        numbers = [s for s in _pg_number_sources(key, company) if s[0] != 4]
        if numbers:
            ids, ids_params = _pg_numbers_union(numbers)
            branches.append(
                f"SELECT p.id, h.tier, p.article_normalized FROM ({ids}) "
                f"AS h(id, tier) JOIN {product} p ON p.id = h.id WHERE {browsable}"
            )
            params += ids_params
        if len(key) >= 3:  # walks the article index in order: no sort of thousands
            branches.append(
                f"(SELECT p.id, 4, p.article_normalized FROM {product} p "
                f"WHERE p.article_normalized LIKE %s AND {browsable} "
                "ORDER BY p.article_normalized USING ~<~ LIMIT %s)"
            )
            params += [_like_prefix(key), limit]
        if words:
            text_sql, text_params = _pg_tsquery(words, prefix_last=True)
            branches.append(
                f"(SELECT d.product_id, 5, d.article_normalized FROM {PG_DOCUMENTS} d "
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
            return _hits([(pk, tier) for pk, tier, _ in cursor.fetchall()])

    def _facets_of(self, rows) -> dict:
        """Facets of materialised matches (one query counts categories and stock)."""
        categories, in_stock = self._count_categories_and_stock(
            [row[0] for row in rows]
        )
        makers = Counter(row[4] for row in rows if row[4] is not None)
        return self._facet_lists(
            categories=categories, makers=makers, in_stock=in_stock
        )

    def _facet_lists(self, *, categories: Counter, makers: Counter, in_stock: int):
        """Counts by id → the facets a page shows: labels, slugs, most frequent first."""
        names, slugs = self._facet_labels(categories=categories, makers=makers)
        return {
            "category": sorted(
                (
                    {"value": str(pk), "label": names[("category", pk)], "count": n}
                    for pk, n in categories.items()
                    if ("category", pk) in names
                ),
                key=lambda f: (-f["count"], f["label"]),
            ),
            "manufacturer": sorted(
                (
                    {
                        "value": slugs[pk],
                        "label": names[("manufacturer", pk)],
                        "count": n,
                    }
                    for pk, n in makers.items()
                    if pk in slugs
                ),
                key=lambda f: (-f["count"], f["label"]),
            ),
            "in_stock": [{"value": "1", "label": "in_stock", "count": in_stock}]
            if in_stock
            else [],
        }

    @staticmethod
    def _count_categories_and_stock(ids) -> tuple[Counter, int]:
        ids_sql, ids_params = values_sql(ids, ints=True)
        sql = f"""
            SELECT pc.category_id, COUNT(*)
              FROM {ProductCategory._meta.db_table} pc
             WHERE pc.product_id IN ({ids_sql})
             GROUP BY pc.category_id
            UNION ALL
            SELECT NULL, COUNT(DISTINCT s.product_id)
              FROM {StockRecord._meta.db_table} s
             WHERE s.product_id IN ({ids_sql})
               AND s.num_in_stock > COALESCE(s.num_allocated, 0)
        """  # table names come from the models; every value is bound
        categories, in_stock = Counter(), 0
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids_params, *ids_params])
            for pk, n in cursor.fetchall():
                if pk is None:
                    in_stock = n
                else:
                    categories[pk] = n
        return categories, in_stock

    @staticmethod
    def _facet_labels(*, categories, makers) -> tuple[dict, dict]:
        """({(kind, pk): name}, {manufacturer pk: slug}) in one query."""
        categories_sql, categories_params = values_sql(sorted(categories), ints=True)
        makers_sql, makers_params = values_sql(sorted(makers), ints=True)
        sql = f"""
            SELECT 'category', c.id, c.name, ''
              FROM {Category._meta.db_table} c WHERE c.id IN ({categories_sql})
            UNION ALL
            SELECT 'manufacturer', m.id, m.name, m.slug
              FROM {Manufacturer._meta.db_table} m WHERE m.id IN ({makers_sql})
        """  # table names come from the models; every value is bound
        names, slugs = {}, {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*categories_params, *makers_params])
            for kind, pk, name, slug in cursor.fetchall():
                names[(kind, pk)] = name
                if kind == "manufacturer":
                    slugs[pk] = slug
        return names, slugs

    @staticmethod
    def _no_facets() -> dict:
        return {"category": [], "manufacturer": [], "in_stock": []}

    def _facets(self, matched) -> dict:
        matched = matched.order_by()
        categories = (
            matched.filter(categories__isnull=False)
            .values("categories__pk", "categories__name")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "categories__name")
        )
        manufacturers = (
            matched.filter(manufacturer__isnull=False)
            .values("manufacturer__slug", "manufacturer__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "manufacturer__name")
        )
        in_stock = matched.filter(in_stock_condition()).count()
        return {
            "category": [
                {
                    "value": str(row["categories__pk"]),
                    "label": row["categories__name"],
                    "count": row["n"],
                }
                for row in categories
            ],  # fmt: skip
            "manufacturer": [
                {
                    "value": row["manufacturer__slug"],
                    "label": row["manufacturer__name"],
                    "count": row["n"],
                }
                for row in manufacturers
            ],  # fmt: skip
            "in_stock": [{"value": "1", "label": "in_stock", "count": in_stock}]
            if in_stock
            else [],
        }

    # --- the index --------------------------------------------------------------------

    def index_products(self, *, product_ids) -> None:
        """Refresh the stored text of these products (FTS5 rows or tsvectors)."""
        if connection.vendor == "postgresql":
            self._pg_write(ids=list(product_ids))
            return
        if connection.vendor != "sqlite":
            return
        ids = list(product_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = Product.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "description"
            )
            self._write_rows(delete=chunk, rows=rows)

    def rebuild(self, *, progress=None) -> int:
        total = Product.objects.count()
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {PG_DOCUMENTS}")
                cursor.execute(f"DELETE FROM {PG_WORDS}")
            self._pg_write(ids=None)
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
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        done = 0
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            rows = Product.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "description"
            )
            self._write_rows(delete=[], rows=rows)
            done += len(chunk)
            if progress:
                progress(done, total)
        return done

    @staticmethod
    def _pg_write(*, ids):
        """Upsert the documents of these products (all when `ids` is None); a product
        that no longer exists keeps no document (its row goes with it)."""
        where, params = "", []
        if ids is not None:  # an array the planner can count (values_sql it cannot)
            where = "WHERE p.id = ANY(string_to_array(%s, ',')::bigint[])"
            params = [",".join(map(str, ids))]

        def only(column):  # the same id list on each table read
            return where.replace("p.id", column) if where else ""

        with connection.cursor() as cursor:
            # Categories and stock are aggregated per table and joined, never looked
            # up per product: a correlated subquery planned from stale statistics
            # (a catalogue loaded in the same transaction) scanned the whole table
            # once per product.
            cursor.execute(
                f"""
                INSERT INTO {PG_DOCUMENTS} (product_id, document, browsable, title,
                    article_normalized, manufacturer_id, category_ids, in_stock)
                SELECT p.id, {PG_VECTOR_STORED}, {PG_BROWSABLE.format(t="p.")},
                    p.title, p.article_normalized, p.manufacturer_id,
                    COALESCE(c.ids, '{{}}'), COALESCE(s.in_stock, false)
                  FROM {Product._meta.db_table} p
                  LEFT JOIN (SELECT pc.product_id,
                                    array_agg(pc.category_id ORDER BY pc.category_id)
                               FROM {ProductCategory._meta.db_table} pc
                               {only("pc.product_id")} GROUP BY pc.product_id)
                       AS c(product_id, ids) ON c.product_id = p.id
                  LEFT JOIN (SELECT r.product_id,
                                    bool_or(r.num_in_stock > COALESCE(r.num_allocated, 0))
                               FROM {StockRecord._meta.db_table} r
                               {only("r.product_id")} GROUP BY r.product_id)
                       AS s(product_id, in_stock) ON s.product_id = p.id
                  {where}
                ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document,
                    browsable = EXCLUDED.browsable, title = EXCLUDED.title,
                    article_normalized = EXCLUDED.article_normalized,
                    manufacturer_id = EXCLUDED.manufacturer_id,
                    category_ids = EXCLUDED.category_ids, in_stock = EXCLUDED.in_stock
                """,
                params * 3,
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

    @staticmethod
    def _write_rows(*, delete, rows):
        with connection.cursor() as cursor:
            if delete:
                marks = ",".join(["%s"] * len(delete))
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", delete
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [
                    (pk, stemmed(title), stemmed(description))
                    for pk, title, description in rows
                ],
            )
