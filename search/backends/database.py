"""The embedded backend: PostgreSQL full-text + pg_trgm, or SQLite FTS5 with a stemmer."""

from collections import Counter

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
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
)
from search.lookup import values_sql
from search.text import allowed_typos, clean_query, edit_distance, stem, stemmed, tokens

FTS_TABLE = "search_productfts"
FTS_VOCAB = "search_productfts_vocab"
_DOC = (
    "regexp_replace(coalesce({t}title, '') || ' ' || coalesce({t}description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
PG_DOCUMENTS = "search_productdocument"  # migration 0002: product_id, document
PG_VECTOR_STORED = (
    f"(to_tsvector('russian'::regconfig, {_DOC}) || to_tsvector('english'::regconfig, {_DOC}))"
).format(t="p.")
PG_TRGM_THRESHOLD = "0.4"
# Above this many matches the text tier is ordered by name, not by computed rank.
RANK_LIMIT = 2000
# Up to this many matches are held as ids (one costly query per search).
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


def _pg_text_ids(words: list[str], *, prefix_last: bool) -> tuple[str, list]:
    """(SQL, params) of the ids of products whose name/description match `words`
    (Russian or English stemming; the last word as a prefix for autocomplete)."""
    if prefix_last:
        expression = " & ".join([*words[:-1], f"{words[-1]}:*"])
        query_sql = "(to_tsquery('russian', %s) || to_tsquery('english', %s))"
    else:
        expression = " ".join(words)
        query_sql = "(plainto_tsquery('russian', %s) || plainto_tsquery('english', %s))"
    return (
        f"SELECT product_id FROM {PG_DOCUMENTS} WHERE document @@ {query_sql} LIMIT %s",
        [expression, expression, MATERIALIZE_LIMIT],
    )


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

    def _text_condition(self, *, words: list[str], prefix_last=False, fuzzy=False):
        """(condition, rank expression or None) for the name/description match."""
        if not words:
            return None, None
        if connection.vendor == "postgresql":
            if fuzzy:
                text = " ".join(words)
                condition = RawSQL(
                    '%s <%% "catalogue_product"."title"',
                    [text],
                    output_field=BooleanField(),
                )
                rank = RawSQL(
                    'word_similarity(%s, "catalogue_product"."title")', [text],
                    output_field=FloatField(),
                )  # fmt: skip
                return condition, rank
            # The ids first, so the final OR stays index-only (a BitmapOr).
            with connection.cursor() as cursor:
                cursor.execute(*_pg_text_ids(words, prefix_last=prefix_last))
                ids = [row[0] for row in cursor.fetchall()]
            # `= ANY(array)` keeps this branch of the OR on the primary key index; the
            # ids travel as one string (see `values_sql`).
            condition = RawSQL(
                """"catalogue_product"."id" = ANY(string_to_array(%s, ',')::bigint[])""",
                [",".join(map(str, ids))],
                output_field=BooleanField(),
            )
            return condition, None
        match = self._fts_match(words=words, fuzzy=fuzzy)
        if not match:
            return None, None
        ids = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]
        )
        return Q(pk__in=ids), None

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

    def _matching(
        self, *, query: str, company, filters, fuzzy=False, prefix_last=False
    ):
        """(matching queryset, tier expression, rank expression) — None when nothing can
        match (a query of punctuation only)."""
        base = filter_products(Product.objects.browsable(), filters)
        if not query:
            return base, None, None
        key = article_normalize(query)
        words = tokens(query)
        tiers = [] if fuzzy else self._number_tiers(key=key, company=company)
        text, rank = self._text_condition(
            words=words, prefix_last=prefix_last, fuzzy=fuzzy
        )
        if not tiers and text is None:
            return None, None, None
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
        return base.filter(condition), tier, rank

    # --- the interface ----------------------------------------------------------------

    def search(self, *, query, company=None, filters=None, sort="relevance", page=1,
               per_page=MAX_PER_PAGE) -> SearchPage:  # fmt: skip
        query = clean_query(query)
        page, per_page = clamp_page(page=page, per_page=per_page)
        matched = tier = rank = None
        if query and connection.vendor == "postgresql":
            rows = self._materialize_pg(query=query, company=company, filters=filters)
            if rows is False:
                return self._empty(per_page)
        else:
            matched, tier, rank = self._matching(
                query=query, company=company, filters=filters
            )
            if matched is None:
                return self._empty(per_page)
            if tier is None:  # browsing without a query
                return self._queryset_page(matched, None, None, sort, page, per_page)
            # One query evaluates the (costly) match; count, order, facets and the
            # page then work on the ids it found.
            rows = self._materialize(matched, tier, None)
        corrected = False
        if rows == []:
            fuzzy = self._matching(
                query=query, company=company, filters=filters, fuzzy=True
            )
            if fuzzy[0] is not None:
                self._prepare_fuzzy()
                rows = self._materialize(*fuzzy)
                corrected = bool(rows)
                matched, tier, rank = fuzzy
        if rows is None:  # too many to hold: let the database page them
            if matched is None:
                matched, tier, rank = self._matching(
                    query=query, company=company, filters=filters
                )
            return self._queryset_page(
                matched, tier, rank, sort, page, per_page, corrected
            )
        if not rows:
            return self._empty(per_page)
        order = {
            "name": lambda r: (r[3], r[0]),
            "article": lambda r: (r[4], r[0]),
        }.get(sort, lambda r: (r[1], -r[2], r[3], r[0]))
        rows.sort(key=order)
        count = len(rows)
        page = min(page, max(1, -(-count // per_page)))
        shown = rows[(page - 1) * per_page : page * per_page]
        products = Product.objects.select_related(
            "manufacturer", "product_class"
        ).in_bulk([r[0] for r in shown])
        hits = [
            SearchHit(product=products[r[0]], matched_on=TIER_LABELS[r[1]])
            for r in shown
            if r[0] in products
        ]
        return SearchPage(
            hits=hits,
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facets_of(rows),
            corrected=corrected,
        )

    def _materialize_pg(self, *, query: str, company, filters):
        """On PostgreSQL, every tier's ids and the products they match in ONE
        statement: a `UNION ALL` of the number look-ups and the full-text ids, the
        lowest tier per product, joined to the browsable, filtered products.
        [(pk, tier, rank, title, article, manufacturer_id)], None if too many, or
        False when the query cannot match anything (punctuation only)."""
        key, words = article_normalize(query), tokens(query)
        sources = []
        if key:
            products = Product.objects.order_by()
            crossrefs = CrossReference.objects.order_by()
            numbers = [
                (0, products.filter(article_normalized=key).values("pk")),
                (1, products.filter(manufacturer_article_normalized=key).values("pk")),
                (2, crossrefs.filter(number_normalized=key).values("product_id")[:1000]),
            ]  # fmt: skip
            if company is not None:
                own = CompanyPartNumber.objects.order_by().filter(
                    company=company, number_normalized=key
                )
                numbers.append((3, own.values("product_id")[:1000]))
            if len(key) >= 3:
                prefix = products.filter(article_normalized__startswith=key)
                numbers.append((4, prefix.values("pk")[: MATERIALIZE_LIMIT + 1]))
            sources = [(n, *qs.query.sql_with_params()) for n, qs in numbers]
        if words:
            sources.append((5, *_pg_text_ids(words, prefix_last=False)))
        if not sources:
            return False
        hits = " UNION ALL ".join(
            f"SELECT s{n}.id, {n} AS tier FROM ({sql}) AS s{n}(id)"
            for n, sql, _ in sources
        )
        base = filter_products(Product.objects.browsable(), filters).order_by()
        base_sql, base_params = base.values_list(
            "pk", "title", "article_normalized", "manufacturer_id"
        ).query.sql_with_params()
        sql = (
            f"SELECT b.id, h.tier, b.title, b.article_normalized, b.manufacturer_id "
            f"FROM ({base_sql}) AS b(id, title, article_normalized, manufacturer_id) "
            f"JOIN (SELECT id, MIN(tier) AS tier FROM ({hits}) AS u GROUP BY id) AS h "
            f"ON h.id = b.id LIMIT %s"
        )
        params = [*base_params, *[p for _, _, ps in sources for p in ps]]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, MATERIALIZE_LIMIT + 1])
            found = cursor.fetchall()
        if len(found) > MATERIALIZE_LIMIT:
            return None
        return [
            (pk, tier, 0.0, title, article, maker)
            for pk, tier, title, article, maker in found
        ]

    def _materialize(self, matched, tier, rank):
        """[(pk, tier, rank, title, article)] of every match, or None if too many."""
        queryset = matched.annotate(search_tier=tier)
        fields = ["pk", "search_tier", "title", "article_normalized", "manufacturer_id"]
        if rank is not None:
            queryset = queryset.annotate(search_rank=rank)
            fields.append("search_rank")
        found = list(queryset.order_by().values_list(*fields)[: MATERIALIZE_LIMIT + 1])
        if len(found) > MATERIALIZE_LIMIT:
            return None
        return [
            (
                row[0],
                row[1],
                float(row[5]) if rank is not None else 0.0,
                row[2],
                row[3],
                row[4],
            )
            for row in found
        ]

    def _empty(self, per_page):
        return SearchPage(
            hits=[], count=0, page=1, per_page=per_page, facets=self._no_facets()
        )

    def _queryset_page(
        self, matched, tier, rank, sort, page, per_page, corrected=False
    ):
        count = matched.count()
        if not count:
            return self._empty(per_page)
        page = min(page, max(1, -(-count // per_page)))
        ordered = matched.select_related("manufacturer", "product_class")
        if tier is not None:
            ordered = ordered.annotate(search_tier=tier)
        ordering = {
            "name": ["title", "pk"],
            "article": ["article_normalized", "pk"],
        }.get(sort)
        if ordering is None:
            ordering = ["title", "pk"]
            if rank is not None and count <= RANK_LIMIT:
                ordered = ordered.annotate(search_rank=rank)
                ordering = ["-search_rank", *ordering]
            if tier is not None:
                ordering = ["search_tier", *ordering]
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
        matched, tier, rank = self._matching(
            query=query, company=company, filters=None, prefix_last=True
        )
        if matched is None:
            return []
        ordered = matched.select_related("manufacturer", "product_class").annotate(
            search_tier=tier
        )
        ordering = ["search_tier", "article_normalized", "pk"]
        if rank is not None:
            ordered = ordered.annotate(search_rank=rank)
            ordering = ["search_tier", "-search_rank", "article_normalized", "pk"]
        return [
            SearchHit(product=product, matched_on=TIER_LABELS[product.search_tier])
            for product in ordered.order_by(*ordering)[:limit]
        ]

    def _prepare_fuzzy(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                    [PG_TRGM_THRESHOLD],
                )

    def _facets_of(self, rows) -> dict:
        """Facets of materialised matches: one query on the ids found."""
        ids_sql, ids_params = values_sql([r[0] for r in rows], ints=True)
        makers_sql, makers_params = values_sql(
            sorted({r[5] for r in rows if r[5] is not None}), ints=True
        )
        sql = f"""
            SELECT 'category', c.id, c.name, '', COUNT(*)
              FROM {ProductCategory._meta.db_table} pc
              JOIN {Category._meta.db_table} c ON c.id = pc.category_id
             WHERE pc.product_id IN ({ids_sql})
             GROUP BY c.id, c.name
            UNION ALL
            SELECT 'manufacturer', m.id, m.name, m.slug, 0
              FROM {Manufacturer._meta.db_table} m
             WHERE m.id IN ({makers_sql})
            UNION ALL
            SELECT 'in_stock', 0, '', '', COUNT(DISTINCT s.product_id)
              FROM {StockRecord._meta.db_table} s
             WHERE s.product_id IN ({ids_sql})
               AND s.num_in_stock > COALESCE(s.num_allocated, 0)
        """  # table names come from the models; every value is bound
        categories, labels, slugs, in_stock = Counter(), {}, {}, 0
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids_params, *makers_params, *ids_params])
            for kind, pk, name, slug, n in cursor.fetchall():
                if kind == "category":
                    categories[pk] = n
                    labels[("category", pk)] = name
                elif kind == "manufacturer":
                    slugs[pk] = slug
                    labels[("manufacturer", pk)] = name
                else:
                    in_stock = n
        makers = Counter(r[5] for r in rows if r[5] is not None)
        return {
            "category": sorted(
                (
                    {
                        "value": str(pk),
                        "label": labels.get(("category", pk), ""),
                        "count": n,
                    }
                    for pk, n in categories.items()
                ),
                key=lambda f: (-f["count"], f["label"]),
            ),
            "manufacturer": sorted(
                (
                    {
                        "value": slugs[pk],
                        "label": labels[("manufacturer", pk)],
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
            self._pg_write(ids=None)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE catalogue_product")
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
        where, params = (
            ("WHERE p.id = ANY(%s::bigint[])", [ids]) if ids is not None else ("", [])
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PG_DOCUMENTS} (product_id, document) "
                f"SELECT p.id, {PG_VECTOR_STORED} FROM catalogue_product p {where} "
                "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document",
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
