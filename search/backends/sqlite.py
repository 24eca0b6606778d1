"""The database backend on SQLite: the ORM filters products, FTS5 matches words.

`search_productfts` holds each product's fields stemmed by `search.text.stem`: title
(with its own numbers and the codes of both), cross-references (with their codes),
category names, description; a match ranks by the first fields that hold all its
words (FTS5 column filters, `shared.rank`). Close spellings come from its vocabulary
(`search_productfts_vocab`).
A match is read once into memory (up to `MATERIALIZE_LIMIT` rows), then counted,
sorted, faceted and paged in Python; beyond that the ORM pages it.
"""

from collections import Counter

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from catalog.articles import article_normalize
from catalog.models import CompanyPartNumber, CrossReference, Product, ProductCategory
from catalog.partner.models import StockRecord
from core.sql import values_sql
from search.backends.base import SearchHit, SearchPage, last_page
from search.backends.shared import (
    MATERIALIZE_LIMIT,
    PREFIX_TIER,
    WORDS_TIER,
    DatabaseBackend,
    empty_page,
    facet_lists,
    filter_products,
    hits_for,
    in_stock_condition,
    list_price_subquery,
    own_number_matches,
    rank,
    rank_label,
    rank_tier,
    sort_key,
)
from search.models import OrderedProduct
from search.text import (
    allowed_typos,
    code_tokens,
    edit_distance,
    query_numbers,
    query_parts,
    stem,
    stemmed,
)

FTS_TABLE = "search_productfts"
FTS_VOCAB = "search_productfts_vocab"


class SQLiteBackend(DatabaseBackend):
    """The FTS5 table, the listing of its matches, its vocabulary, indexing."""

    # --- conditions -------------------------------------------------------------------

    def _number_tiers(self, *, key: str, company, suggest=False) -> list[tuple[int, Q]]:
        """[(rank, condition)] of the number look-ups, best first (`shared.rank`);
        suggestions (`suggest`) take the article's prefix only, as on PostgreSQL."""
        if not key:
            return []
        # Ids first (small indexed look-ups), so that every branch of the final OR can
        # use an index.
        crossref_ids = list(
            CrossReference.objects.filter(number_normalized=key).values_list(
                "product_id", flat=True
            )[:1000]
        )
        tiers = [
            (rank(tier=0), Q(article_normalized=key)),
            (rank(tier=1), Q(manufacturer_article_normalized=key)),
            (rank(tier=2, own=False), Q(pk__in=crossref_ids)),
        ]
        if company is not None:
            own = CompanyPartNumber.objects.filter(
                company=company, number_normalized=key
            )
            tiers.append(
                (rank(tier=3), Q(pk__in=list(own.values_list("product_id", flat=True))))
            )
        if len(key) >= 3 and suggest:
            tiers.append(
                (rank(tier=PREFIX_TIER), Q(article_normalized__startswith=key))
            )
        elif len(key) >= 3:
            crossref_prefixed = list(
                CrossReference.objects.filter(
                    number_normalized__startswith=key
                ).values_list("product_id", flat=True)[:1000]
            )  # bound as parameters, twice: well inside SQLite's limit
            tiers += [
                (rank(tier=PREFIX_TIER), Q(article_normalized__startswith=key)),
                (
                    rank(tier=PREFIX_TIER, field=1),
                    Q(manufacturer_article_normalized__startswith=key),
                ),
                (
                    rank(tier=PREFIX_TIER, field=2, own=False),
                    Q(pk__in=crossref_prefixed),
                ),
            ]
        return tiers

    def _fts_ids(self, match: str, columns: str = ""):
        if columns:
            match = f"{{{columns}}} : ({match})"
        return RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]
        )

    def _text_tiers(self, *, query: str, fuzzy=False):
        """(the name/description match through the FTS5 table, [(rank, condition)]
        of the fields it ranks by), or (None, []). Every word matches as a prefix
        of a stem (so a half-typed last word does too), every code as itself or as
        its words."""
        match = self._fts_match(query=query, fuzzy=fuzzy)
        if not match:
            return None, []
        fields = [
            (rank(tier=WORDS_TIER), "title"),
            (rank(tier=WORDS_TIER, field=1), "title refs"),
            (rank(tier=WORDS_TIER, field=2), "title refs cats"),
        ]
        return Q(pk__in=self._fts_ids(match)), [
            (value, Q(pk__in=self._fts_ids(match, columns)))
            for value, columns in fields
        ]

    def _fts_match(self, *, query: str, fuzzy: bool) -> str:
        words, codes = query_parts(query)
        groups = []
        for word in words:
            term = stem(word)
            alternatives = [term]
            if fuzzy and allowed_typos(term):
                alternatives = self._close_terms(term=term) or alternatives
            groups.append("(" + " OR ".join(f'"{alt}"*' for alt in alternatives) + ")")
        for code, written in codes:
            # As on PostgreSQL: a prefix of a code from four characters ("m10" is
            # not "m10x100").
            term = f'"{code}"*' if len(code) >= 4 else f'"{code}"'
            spelt = " AND ".join(f'"{stem(w)}"*' for w in written)
            groups.append(f"({term}" + (f" OR ({spelt}))" if spelt else ")"))
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

    def _matching(self, *, query: str, company, filters, fuzzy=False, suggest=False):
        """(matching queryset, rank expression) on SQLite: (None, None) when nothing
        can match (a query of punctuation only), rank None when browsing. The rank
        is the tier and field (`shared.rank`); stock, own numbers in the words and
        orders are added by `_ranked`. Suggestions (`suggest`) rank the words as one
        tier, as PostgreSQL's do."""
        base = filter_products(Product.objects.browsable(), filters)
        if not query:
            return base, None
        key = article_normalize(query)
        tiers = (
            []
            if fuzzy
            else self._number_tiers(key=key, company=company, suggest=suggest)
        )
        text, fields = self._text_tiers(query=query, fuzzy=fuzzy)
        if suggest:
            fields = []
        if not tiers and text is None:
            return None, None
        condition = Q(pk__in=[])
        for _, tier_condition in tiers:
            condition |= tier_condition
        if text is not None:
            condition |= Q(text)
        tier = Case(
            *[When(c, then=Value(n)) for n, c in [*tiers, *fields]],
            default=Value(rank(tier=WORDS_TIER, field=3)),
            output_field=IntegerField(),
        )
        return base.filter(condition), tier

    # --- the interface ----------------------------------------------------------------

    def _search(self, *, query, company, filters, sort, page, per_page) -> SearchPage:
        matched, tier = self._matching(query=query, company=company, filters=filters)
        if matched is None:
            return empty_page(per_page)
        if tier is None:  # browsing without a query
            return self._queryset_page(matched, None, sort, page, per_page)
        # One query evaluates the (costly) match; count, order, facets and the page
        # then work on the ids it found.
        rows = self._materialize(matched, tier, sort)
        corrected = False
        if rows == []:
            fuzzy = self._matching(
                query=query, company=company, filters=filters, fuzzy=True
            )
            if fuzzy[0] is not None:
                rows = self._materialize(*fuzzy, sort)
                corrected = bool(rows)
                matched, tier = fuzzy
        if rows is None:  # too many to hold: let the database page them
            return self._queryset_page(matched, tier, sort, page, per_page, corrected)
        if not rows:
            return empty_page(per_page)
        if sort == "relevance":
            rows = self._ranked(rows, query=query, company=company)
        rows.sort(
            key=lambda r: sort_key(
                sort,
                pk=r[0],
                tier=r[1],
                title=r[2],
                article=r[3],
                price=r[5],
                in_stock=r[6],
            )
        )
        count = len(rows)
        page = min(page, last_page(count, per_page))
        shown = rows[(page - 1) * per_page : page * per_page]
        return SearchPage(
            hits=hits_for([(r[0], r[1]) for r in shown]),
            count=count,
            page=page,
            per_page=per_page,
            facets=self._facets_of(rows),
            corrected=corrected,
        )

    @staticmethod
    def _ranked(rows, *, query, company) -> list:
        """The rows with their full rank (`shared.rank`): to the tier and field,
        whether the product's own number begins with one of the query's numbers
        (the words' tiers; the number tiers know it), in stock, previously ordered
        by the company (one query)."""
        ordered = set()
        if company is not None:
            ordered = set(
                OrderedProduct.objects.filter(
                    company=company, product_id__in=[row[0] for row in rows]
                ).values_list("product_id", flat=True)
            )
        numbers = query_numbers(query)
        ranked = []
        for pk, value, title, article, maker, price, in_stock, number in rows:
            if rank_tier(value) >= WORDS_TIER and not own_number_matches(
                numbers, article=article, manufacturer_article=number
            ):
                value += rank(tier=0, own=False)
            value += rank(tier=0, in_stock=bool(in_stock), ordered=pk in ordered)
            ranked.append((pk, value, title, article, maker, price, in_stock, number))
        return ranked

    @staticmethod
    def _materialize(matched, tier, sort):
        """[(pk, rank, title, article, manufacturer_id, list price, in stock,
        manufacturer's number)] of every match, or None if too many. Price is read
        only for the sorts by it, stock for relevance and availability."""
        found = list(
            matched.annotate(
                search_tier=tier,
                sort_price=list_price_subquery()
                if sort in ("price", "price_desc")
                else Value(None, output_field=DecimalField()),
                sort_stock=in_stock_condition()
                if sort in ("availability", "relevance")
                else Value(None, output_field=BooleanField()),
            )
            .order_by()
            .values_list(
                "pk",
                "search_tier",
                "title",
                "article_normalized",
                "manufacturer_id",
                "sort_price",
                "sort_stock",
                "manufacturer_article_normalized",
            )[: MATERIALIZE_LIMIT + 1]
        )
        return None if len(found) > MATERIALIZE_LIMIT else found

    def _queryset_page(self, matched, tier, sort, page, per_page, corrected=False):
        count = matched.count()
        if not count:
            return empty_page(per_page)
        page = min(page, last_page(count, per_page))
        ordered = matched.select_related("manufacturer", "product_class")
        if tier is not None:
            ordered = ordered.annotate(search_tier=tier)
        if sort in ("price", "price_desc"):
            ordered = ordered.annotate(sort_price=list_price_subquery())
        elif sort == "availability":
            ordered = ordered.annotate(sort_stock=in_stock_condition())
        ordering = {
            "name": ["title", "pk"],
            "article": ["article_normalized", "pk"],
            "price": [F("sort_price").asc(nulls_last=True), "title", "pk"],
            "price_desc": [F("sort_price").desc(nulls_last=True), "title", "pk"],
            "availability": [F("sort_stock").desc(), "title", "pk"],
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
                matched_on=rank_label(product.search_tier)
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

    def _autocomplete(self, *, query, company, limit) -> list[SearchHit]:
        matched, tier = self._matching(
            query=query, company=company, filters=None, suggest=True
        )
        if matched is None:
            return []
        ordered = matched.select_related("manufacturer", "product_class").annotate(
            search_tier=tier
        )
        ordering = ["search_tier", "article_normalized", "pk"]
        return [
            SearchHit(product=product, matched_on=rank_label(product.search_tier))
            for product in ordered.order_by(*ordering)[:limit]
        ]

    def _facets_of(self, rows) -> dict:
        """Facets of materialised matches (one query counts categories and stock)."""
        categories, in_stock = self._count_categories_and_stock(
            [row[0] for row in rows]
        )
        makers = Counter(row[4] for row in rows if row[4] is not None)
        return facet_lists(categories=categories, makers=makers, in_stock=in_stock)

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
            ],
            "manufacturer": [
                {
                    "value": row["manufacturer__slug"],
                    "label": row["manufacturer__name"],
                    "count": row["n"],
                }
                for row in manufacturers
            ],
            "in_stock": [{"value": "1", "label": "in_stock", "count": in_stock}]
            if in_stock
            else [],
        }

    # --- the index --------------------------------------------------------------------

    def index_products(self, *, product_ids) -> None:
        """Refresh the FTS5 rows of these products."""
        ids = list(product_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self._write_rows(delete=chunk, rows=self._rows(chunk))

    def rebuild(self, *, progress=None) -> int:
        total = Product.objects.count()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        done = 0
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            self._write_rows(delete=[], rows=self._rows(chunk))
            done += len(chunk)
            if progress:
                progress(done, total)
        return done

    @staticmethod
    def _rows(ids) -> list[tuple]:
        """(pk, title, refs, cats, body) FTS rows of these products, in three
        queries: the titles with the product's own numbers and the codes of both
        (`search.text.code_tokens`), the cross-references (brand, number, codes),
        the category names, the description; stemmed by `search.text.stem`."""
        refs, cats = {}, {}
        for pk, brand, number in CrossReference.objects.filter(
            product_id__in=ids
        ).values_list("product_id", "brand", "number"):
            refs.setdefault(pk, []).append(f"{brand} {number}")
        for pk, name, name_en in ProductCategory.objects.filter(
            product_id__in=ids
        ).values_list("product_id", "category__name", "category__name_en"):
            cats.setdefault(pk, []).append(f"{name} {name_en}")
        rows = []
        for pk, title, title_en, article, number, description in Product.objects.filter(
            pk__in=ids
        ).values_list(
            "pk", "title", "title_en", "article", "manufacturer_article", "description"
        ):
            titles = f"{title} {title_en} {article or ''} {number}"
            references = " ".join(refs.get(pk, []))
            rows.append(
                (
                    pk,
                    " ".join([stemmed(titles), *code_tokens(titles)]),
                    " ".join([stemmed(references), *code_tokens(references)]),
                    stemmed(" ".join(cats.get(pk, []))),
                    stemmed(description),
                )
            )
        return rows

    def stale_product_ids(self) -> list[int]:
        """Products without an FTS row, and rows of products that are gone
        (`index_products` deletes those); the stemmed text is not compared."""
        table = Product._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT p.id FROM {table} p
                 WHERE NOT EXISTS (SELECT 1 FROM {FTS_TABLE} f WHERE f.rowid = p.id)
                UNION
                SELECT f.rowid FROM {FTS_TABLE} f
                 WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.id = f.rowid)
                ORDER BY 1
                """
            )
            return [pk for (pk,) in cursor.fetchall()]

    @staticmethod
    def _write_rows(*, delete, rows):
        with connection.cursor() as cursor:
            if delete:
                marks = ",".join(["%s"] * len(delete))
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", delete
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, refs, cats, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )
