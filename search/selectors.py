"""Reading search requests and dressing result pages: filters, availability, analogues;
the viewer-independent part of a result page cached under the catalogue's version."""

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.cache import catalog_cache_version
from catalog.models import Product
from catalog.partner.availability import availability_for_products
from catalog.templatetags.price_format import price as price_format
from search.backends import get_backend
from search.backends.base import MAX_PER_PAGE, SORTS, Filters, SearchHit, SearchPage
from search.lookup import suggest_close_numbers
from search.text import clean_query


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: Filters
    sort: str
    page: int


@dataclass
class ResultRow:
    product: Product
    matched_on: str | None
    availability: object = None
    in_stock: bool = False
    analogues: list = field(default_factory=list)


def _ints(values) -> list[int]:
    result = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31:
            result.append(number)
    return result


def parse_search_request(*, params, category=None) -> SearchRequest:
    """GET parameters → a search request; unknown or malformed values are dropped."""
    categories = _ints(params.getlist("category"))[:20]
    if category is not None:
        categories = [category.pk, *categories]
    manufacturers = [m[:128] for m in params.getlist("manufacturer") if m][:20]
    in_stock = params.get("in_stock", "") in ("1", "true", "on", "yes")
    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    page = _ints([params.get("page", 1)])
    return SearchRequest(
        query=clean_query(params.get("q", "")),
        filters=Filters(
            categories=categories, manufacturers=manufacturers, in_stock=in_stock
        ),
        sort=sort,
        page=page[0] if page else 1,
    )


def run_search(
    *, search_request: SearchRequest, company=None, per_page=MAX_PER_PAGE
) -> SearchPage:
    """A page of results. What does not depend on the viewer — the page's product ids
    and what each matched on, the count, the facets — is cached for
    SHOP_LISTING_CACHE_SECONDS under the catalogue's version (`catalog.cache`), so a
    cached listing costs one query for its products; prices and stock are the
    viewer's, read afresh by `result_rows`. The company is part of the key only when
    there are words: its own part numbers are a tier of the match."""
    seconds = settings.SHOP_LISTING_CACHE_SECONDS
    if seconds <= 0:
        return _backend_search(search_request, company, per_page)
    key = _listing_key(search_request, company, per_page)
    stored = cache.get(key)
    if stored is not None:
        return _page_from(stored)
    page = _backend_search(search_request, company, per_page)
    cache.set(key, _page_to_store(page), seconds)
    return page


def _backend_search(search_request, company, per_page) -> SearchPage:
    return get_backend().search(
        query=search_request.query,
        company=company,
        filters=search_request.filters,
        sort=search_request.sort,
        page=search_request.page,
        per_page=per_page,
    )


def listing_parts(search_request: SearchRequest, per_page: int) -> list:
    """What chooses a result page's products, as plain data for a cache key."""
    filters = search_request.filters
    return [
        settings.SEARCH_BACKEND,
        search_request.query,
        sorted(filters.categories),
        sorted(filters.manufacturers),
        filters.in_stock,
        search_request.sort,
        search_request.page,
        per_page,
    ]


def _listing_key(search_request: SearchRequest, company, per_page) -> str:
    viewer = company.pk if company is not None and search_request.query else None
    # The language: facet labels are the categories' English names in English.
    parts = [*listing_parts(search_request, per_page), viewer, get_language()]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return f"listing:{catalog_cache_version()}:{digest}"


def _page_to_store(page: SearchPage) -> dict:
    return {
        "hits": [(hit.product.pk, hit.matched_on) for hit in page.hits],
        "count": page.count,
        "page": page.page,
        "per_page": page.per_page,
        "facets": page.facets,
        "corrected": page.corrected,
    }


def _page_from(stored: dict) -> SearchPage:
    """The stored page with its products loaded in one query (a product deleted
    since is left out; its deletion moved the version on anyway)."""
    products = Product.objects.select_related("manufacturer", "product_class").in_bulk(
        [pk for pk, _ in stored["hits"]]
    )
    return SearchPage(
        hits=[
            SearchHit(product=products[pk], matched_on=matched_on)
            for pk, matched_on in stored["hits"]
            if pk in products
        ],
        count=stored["count"],
        page=stored["page"],
        per_page=stored["per_page"],
        facets=stored["facets"],
        corrected=stored["corrected"],
    )


def availability_map(*, products, strategy=None) -> dict:
    """Product id → (availability, in stock?): from the stock the pricing strategy
    has loaded for the page (no query), or in one query without a strategy."""
    if strategy is not None:
        found = {p.pk: strategy.stock_availability(p) for p in products}
    else:
        found = availability_for_products(products=products)
    return {pid: (a, a.in_stock) for pid, a in found.items()}


def prefetch_for_listing(*, request, products) -> None:
    """Let the pricing strategy load the prices of a whole page at once."""
    strategy = getattr(request, "strategy", None)
    if strategy is not None:
        strategy.prefetch(products)
    elif products:
        prefetch_related_objects(products, "stockrecords")


def result_rows(*, request, hits, with_analogues=True) -> list[ResultRow]:
    """Rows for a result page: availability, and analogues beside exact article hits."""
    products = [hit.product for hit in hits]
    analogue_map: dict[int, list[Product]] = {}
    groups = {
        hit.product.analogue_group_id
        for hit in hits
        if with_analogues
        and hit.matched_on == "article"
        and hit.product.analogue_group_id
    }
    extra: list[Product] = []
    if groups:
        shown = {p.pk for p in products}
        for analogue in (
            Product.objects.browsable()
            .filter(analogue_group_id__in=groups)
            .exclude(pk__in=shown)
            .select_related("manufacturer", "product_class")
            .order_by("title")[:50]
        ):
            analogue_map.setdefault(analogue.analogue_group_id, []).append(analogue)
            extra.append(analogue)
    everything = products + extra
    prefetch_for_listing(request=request, products=everything)
    stock = availability_map(
        products=everything, strategy=getattr(request, "strategy", None)
    )
    rows = []
    for hit in hits:
        availability, in_stock = stock.get(hit.product.pk, (None, False))
        rows.append(
            ResultRow(
                product=hit.product,
                matched_on=hit.matched_on,
                availability=availability,
                in_stock=in_stock,
                analogues=[
                    ResultRow(
                        product=a,
                        matched_on=None,
                        availability=stock.get(a.pk, (None, False))[0],
                        in_stock=stock.get(a.pk, (None, False))[1],
                    )
                    for a in analogue_map.get(hit.product.analogue_group_id, [])
                ]
                if hit.matched_on == "article"
                else [],
            )
        )
    return rows


def close_numbers(*, query: str) -> list[Product]:
    return suggest_close_numbers(number=query, limit=5) if query else []


def autocomplete_suggestions(*, request, query: str, limit: int = 10) -> list[dict]:
    """The header box's suggestions: article, name (English where the catalogue has
    it and the viewer reads English), availability and the viewer's own net price
    from their pricing strategy, and the product page. Prices and stock of all the
    suggestions are loaded at once."""
    hits = get_backend().autocomplete(query=query, company=request.company, limit=limit)
    products = [hit.product for hit in hits]
    strategy = getattr(request, "strategy", None)
    prefetch_for_listing(request=request, products=products)
    stock = availability_map(products=products, strategy=strategy)
    suggestions = []
    for product in products:
        availability, in_stock = stock.get(product.pk, (None, False))
        name = product.display_title
        suggestions.append(
            {
                "value": product.article or name,
                "label": f"{product.article} — {name}" if product.article else name,
                "article": product.article or "",
                "name": name,
                "url": product.get_absolute_url(),
                "in_stock": in_stock,
                "availability": availability.label
                if availability is not None
                else (_("In stock") if in_stock else _("On request")),
                "price": _suggestion_price(strategy, product),
            }
        )
    return suggestions


def _suggestion_price(strategy, product) -> str:
    """The viewer's net price as shown in listings, or "" when they have none."""
    if strategy is None:
        return ""
    price = strategy.fetch_for_product(product).price
    if not price.exists:
        return ""
    return _("%(price)s excl. VAT") % {
        "price": price_format(price.excl_tax, price.currency)
    }


@dataclass(frozen=True)
class SalesContact:
    name: str
    email: str
    phone: str
    personal: bool  # the company's own account manager, not the shop's sales desk


def sales_contact(*, company) -> SalesContact:
    """Whom a buyer who found nothing can ask: their company's account manager
    (name, e-mail, phone), else the shop's general sales contact."""
    manager = company.account_manager if company is not None else None
    if manager is not None and manager.is_active:
        return SalesContact(
            name=manager.get_full_name() or manager.email,
            email=manager.email,
            phone=manager.phone,
            personal=True,
        )
    return SalesContact(
        name="", email=settings.SHOP_EMAIL, phone=settings.SHOP_PHONE, personal=False
    )
