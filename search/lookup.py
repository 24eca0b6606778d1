"""Bulk lookup of part numbers: article, manufacturer's number, cross-reference, own code."""

from dataclasses import dataclass, field
from typing import Literal

from django.db import connection
from django.db.models import CharField, Q, Value

from catalog.articles import article_normalize
from catalog.models import CompanyPartNumber, CrossReference, Product
from core.sql import values_param
from search.backends.database import engine_for

FOUND = "found"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"

ARTICLE = "article"
MANUFACTURER_ARTICLE = "manufacturer_article"
CROSS_REFERENCE = "cross_reference"
COMPANY_PART_NUMBER = "company_part_number"

MAX_NUMBERS = 5000

Status = Literal["found", "ambiguous", "not_found"]


@dataclass(frozen=True)
class LookupResult:
    query: str
    normalized: str
    status: Status
    products: list = field(default_factory=list)
    matched_on: str | None = None  # None when not found


def _matches(*, keys: list[str], company) -> dict[str, list[tuple[str, int]]]:
    """Normalised number → [(matched_on, product id), ...], in one query."""
    if not keys:
        return {}

    def tagged(queryset, number_field: str, product_field: str, source: str):
        return (
            queryset.order_by()
            .annotate(_source=Value(source, output_field=CharField()))
            .values_list(number_field, "_source", product_field)
        )

    parts = [
        tagged(
            Product.objects.filter(
                article_normalized__in=values_param(keys), is_public=True
            ),
            "article_normalized",
            "pk",
            ARTICLE,
        ),
        tagged(
            Product.objects.filter(
                manufacturer_article_normalized__in=values_param(keys), is_public=True
            ),
            "manufacturer_article_normalized",
            "pk",
            MANUFACTURER_ARTICLE,
        ),
        tagged(
            CrossReference.objects.filter(
                number_normalized__in=values_param(keys), product__is_public=True
            ),
            "number_normalized",
            "product_id",
            CROSS_REFERENCE,
        ),
    ]
    if company is not None:
        parts.append(
            tagged(
                CompanyPartNumber.objects.filter(
                    company=company,
                    number_normalized__in=values_param(keys),
                    product__is_public=True,
                ),
                "number_normalized",
                "product_id",
                COMPANY_PART_NUMBER,
            )
        )
    found: dict[str, list[tuple[str, int]]] = {}
    for key, source, pk in parts[0].union(*parts[1:], all=True):
        found.setdefault(key, []).append((source, pk))
    return found


_PREFERENCE = {
    ARTICLE: 0,
    COMPANY_PART_NUMBER: 1,
    MANUFACTURER_ARTICLE: 2,
    CROSS_REFERENCE: 3,
}


def _resolve(
    query: str, key: str, rows: list[tuple[str, int]], products
) -> LookupResult:
    rows = sorted(rows, key=lambda row: (_PREFERENCE[row[0]], row[1]))
    exact = [row for row in rows if row[0] == ARTICLE]
    if exact:
        rows = exact[:1]  # article numbers are unique: an exact article always wins
    ids: list[int] = []
    for _source, pk in rows:
        if pk not in ids and pk in products:
            ids.append(pk)
    if not ids:
        return LookupResult(query=query, normalized=key, status=NOT_FOUND)
    return LookupResult(
        query=query,
        normalized=key,
        status=FOUND if len(ids) == 1 else AMBIGUOUS,
        products=[products[pk] for pk in ids],
        matched_on=rows[0][0],
    )


def lookup_numbers(*, numbers: list[str], company=None) -> list[LookupResult]:
    """One result per input number, in input order; two queries whatever the count."""
    normalized = [article_normalize(number) for number in numbers]
    keys = sorted({key for key in normalized if key})
    matches = _matches(keys=keys, company=company)
    ids = sorted({pk for rows in matches.values() for _, pk in rows})
    products: dict[int, Product] = {}
    if ids:
        queryset = Product.objects.filter(pk__in=values_param(ids))
        products = {
            p.pk: p for p in queryset.select_related("manufacturer", "product_class")
        }
    return [
        _resolve(query, key, matches.get(key, []), products)
        for query, key in zip(numbers, normalized, strict=True)
    ]


def _close_ids(key: str, limit: int) -> list[int]:
    """Ids of the products whose article is closest to the normalised `key`: the
    longest shared prefix first, then the nearest length (one light query)."""
    prefixes = [key[:size] for size in range(len(key), 2, -1)][:8]
    condition = Q()
    for prefix in prefixes:
        condition |= Q(article_normalized__startswith=prefix)
    condition |= engine_for(connection.vendor).article_close_condition(key)
    rows = (
        Product.objects.browsable()
        .filter(condition)
        .order_by("article_normalized")
        .values_list("pk", "article_normalized", "article")[:200]
    )

    def closeness(row):
        _pk, normalized, article = row
        shared = 0
        for a, b in zip(normalized, key, strict=False):
            if a != b:
                break
            shared += 1
        return (-shared, abs(len(normalized) - len(key)), article)

    return [row[0] for row in sorted(rows, key=closeness)[:limit]]


def suggest_close_numbers_many(
    *, numbers: list[str], limit: int = 5
) -> dict[str, list[Product]]:
    """`number` → products whose article is close to it (the longest shared prefix,
    or on PostgreSQL trigram similarity too): one query per number plus one for all
    the products."""
    ids = {}
    for number in numbers:
        key = article_normalize(number)
        ids[number] = _close_ids(key, limit) if len(key) >= 3 else []
    wanted = sorted({pk for found in ids.values() for pk in found})
    products = {}
    if wanted:
        queryset = Product.objects.filter(pk__in=values_param(wanted))
        products = {
            p.pk: p for p in queryset.select_related("manufacturer", "product_class")
        }
    return {number: [products[pk] for pk in found] for number, found in ids.items()}


def suggest_close_numbers(*, number: str, limit: int = 5) -> list[Product]:
    """Products whose article is close to `number` (see `suggest_close_numbers_many`)."""
    return suggest_close_numbers_many(numbers=[number], limit=limit)[number]
