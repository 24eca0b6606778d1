"""What both database engines share: the ORM filters, hits from ids, and the facets a
page shows (labels, slugs, most frequent first). No engine-specific SQL here."""

from collections import Counter

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from catalog.articles import article_normalize
from catalog.models import (
    Category,
    Manufacturer,
    Product,
    ProductCategory,
    english_active,
)
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceList, PriceListItem
from core.sql import values_sql
from search.backends.base import (
    MAX_PER_PAGE,
    Filters,
    SearchBackend,
    SearchHit,
    SearchPage,
    clamp_page,
)
from search.text import clean_query

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


# Within a tier, where the match was: the prefix tier's number (article,
# manufacturer's, cross-reference) and the words' fields, best first (title with the
# product's own numbers, cross-references, category names, description).
PREFIX_FIELDS = ("article", "manufacturer_article", "cross_reference")
WORD_FIELDS = ("title", "cross_reference", "category", "description")
PREFIX_TIER, WORDS_TIER = 4, 5


def rank(*, tier: int, field: int = 0, own=True, in_stock=True, ordered=True) -> int:
    """The relevance order as one integer, smallest first: the tier, the field
    within it, then a product whose own number (article or manufacturer's) matched
    before one found through a cross-reference only, in stock before out of stock,
    the viewer's company's previously ordered products first."""
    return (
        tier * 100
        + field * 10
        + (0 if own else 4)
        + (0 if in_stock else 2)
        + (0 if ordered else 1)
    )


def rank_tier(value: int | None) -> int | None:
    return None if value is None else value // 100


def rank_label(value: int | None) -> str | None:
    """What a hit matched on (`TIER_LABELS`), from its rank; a prefix of a
    manufacturer's number or of a cross-reference is named as that number."""
    if value is None:
        return None
    tier, field = value // 100, value // 10 % 10
    if tier == PREFIX_TIER and field:
        return PREFIX_FIELDS[field]
    return TIER_LABELS[tier]


def own_number_matches(numbers, *, article: str, manufacturer_article: str) -> bool:
    """Whether the product's own number begins with one of the query's numbers
    (`search.text.query_numbers`)."""
    return any(
        (article and article.startswith(n))
        or (manufacturer_article and manufacturer_article.startswith(n))
        for n in numbers
    )


def in_stock_condition():
    return Exists(
        StockRecord.objects.filter(
            product=OuterRef("pk"),
            num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)),
        )
    )


def list_price_subquery():
    """The product's public list price (the active list's lowest quantity break, net):
    what `price` sorts by, the same for every viewer; None without one."""
    return Subquery(
        PriceListItem.objects.filter(
            product=OuterRef("pk"),
            price_list__kind=PriceList.Kind.LIST,
            price_list__is_active=True,
        )
        .order_by("min_quantity")
        .values("price")[:1]
    )


def sort_key(sort: str, *, tier, title, article, price, in_stock, pk):
    """The order of a sort as a Python key (the same order as the SQL of each engine:
    strings in byte order, products without a list price last, ties by title, id)."""
    if sort == "name":
        return (title, pk)
    if sort == "article":
        return (article, pk)
    if sort == "price":
        return (price is None, price if price is not None else 0, title, pk)
    if sort == "price_desc":
        return (price is None, -price if price is not None else 0, title, pk)
    if sort == "availability":
        return (not in_stock, title, pk)
    return (tier or 0, title, pk)


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


def hits_for(found: list[tuple[int, int | None]]) -> list[SearchHit]:
    """[(product id, rank or None)] in page order → hits, with their products loaded
    in one query (ids of products deleted meanwhile are skipped)."""
    products = Product.objects.select_related("manufacturer", "product_class").in_bulk(
        [pk for pk, _ in found]
    )
    return [
        SearchHit(
            product=products[pk],
            matched_on=rank_label(value),
        )
        for pk, value in found
        if pk in products
    ]


def no_facets() -> dict:
    return {"category": [], "manufacturer": [], "in_stock": []}


def empty_page(per_page: int) -> SearchPage:
    return SearchPage(hits=[], count=0, page=1, per_page=per_page, facets=no_facets())


def facet_labels(*, categories, makers) -> tuple[dict, dict]:
    """({(kind, pk): name}, {manufacturer pk: slug}) in one query; a category's
    English name for an English viewer where it has one."""
    categories_sql, categories_params = values_sql(sorted(categories), ints=True)
    makers_sql, makers_params = values_sql(sorted(makers), ints=True)
    sql = f"""
        SELECT 'category', c.id, c.name, '', c.name_en
          FROM {Category._meta.db_table} c WHERE c.id IN ({categories_sql})
        UNION ALL
        SELECT 'manufacturer', m.id, m.name, m.slug, ''
          FROM {Manufacturer._meta.db_table} m WHERE m.id IN ({makers_sql})
    """  # table names come from the models; every value is bound
    names, slugs = {}, {}
    english = english_active()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*categories_params, *makers_params])
        for kind, pk, name, slug, name_en in cursor.fetchall():
            names[(kind, pk)] = name_en if english and name_en else name
            if kind == "manufacturer":
                slugs[pk] = slug
    return names, slugs


def facet_lists(*, categories: Counter, makers: Counter, in_stock: int) -> dict:
    """Counts by id → the facets a page shows: labels, slugs, most frequent first."""
    names, slugs = facet_labels(categories=categories, makers=makers)
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
                {"value": slugs[pk], "label": names[("manufacturer", pk)], "count": n}
                for pk, n in makers.items()
                if pk in slugs
            ),
            key=lambda f: (-f["count"], f["label"]),
        ),
        "in_stock": [{"value": "1", "label": "in_stock", "count": in_stock}]
        if in_stock
        else [],
    }


class DatabaseBackend(SearchBackend):
    """The embedded backend's interface: queries are cleaned and pages clamped here,
    then each engine (`search.backends.postgres`, `search.backends.sqlite`) finds."""

    name = "database"

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
        page, per_page = clamp_page(page=page, per_page=per_page)
        return self._search(
            query=clean_query(query),
            company=company,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
        )

    def autocomplete(self, *, query, company=None, limit=10) -> list[SearchHit]:
        query = clean_query(query)
        if len(article_normalize(query)) < 2:
            return []
        return self._autocomplete(query=query, company=company, limit=limit)

    def _search(self, *, query, company, filters, sort, page, per_page) -> SearchPage:
        raise NotImplementedError

    def _autocomplete(self, *, query, company, limit) -> list[SearchHit]:
        raise NotImplementedError

    @staticmethod
    def article_close_condition(key: str) -> Q:
        """A condition on `Product.article_normalized` for articles spelt close to
        the normalised `key`, beyond the shared prefixes the lookup already asks
        for; the engine adds what its database can do (nothing here)."""
        return Q()
