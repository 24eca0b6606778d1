"""Search API: GET /api/v1/search and POST /api/v1/lookup (JSON)."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from core.api import (
    ANONYMOUS_ALLOWED,
    ApiCaller,
    ApiError,
    api_error,
    api_price,
    json_body,
)
from search.lookup import MAX_NUMBERS, lookup_numbers
from search.selectors import (
    availability_map,
    parse_search_request,
    prefetch_for_listing,
    run_search,
)


class ProductOut(Schema):
    article: str
    name: str
    manufacturer: str | None
    url: str
    price: str | None = Field(description="Decimal as a string, incl. VAT")
    currency: str | None
    availability: str | None = None
    availability_label: str | None = None


class SearchHitOut(ProductOut):
    matched_on: str | None


class SearchOut(Schema):
    count: int
    page: int
    num_pages: int
    results: list[SearchHitOut]


class LookupIn(Schema):
    numbers: list[str] = Field(max_length=MAX_NUMBERS)


class LookupResultOut(Schema):
    query: str
    normalized: str
    status: str
    matched_on: str | None
    products: list[ProductOut]


class LookupOut(Schema):
    results: list[LookupResultOut]


def _product_json(request, product, availability=None) -> dict:
    price, currency = api_price(getattr(request, "strategy", None), product)
    data = {
        "article": product.article,
        "name": product.display_title,
        "manufacturer": product.manufacturer.name if product.manufacturer_id else None,
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "price": price,
        "currency": currency,
    }
    if availability is not None:
        status, label = availability
        data["availability"] = status
        data["availability_label"] = label
    return data


def _availability(products) -> dict:
    result = {}
    for pid, (info, in_stock) in availability_map(products=products).items():
        if info is not None:
            result[pid] = (info.status, info.label)
        else:
            result[pid] = (
                ("in_stock", _("In stock"))
                if in_stock
                else ("on_request", _("On request"))
            )
    return result


router = Router(tags=["search"])
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError}


@router.get(
    "search",
    url_name="search",
    auth=ApiCaller(login_required=False),
    response={200: SearchOut, **ERRORS},
    summary="Search the catalogue by text or part number",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def search(
    request,
    q: str | None = None,
    page: str | None = None,
    category: str | None = None,
    manufacturer: str | None = None,
    in_stock: str | None = None,
):
    search_request = parse_search_request(params=request.GET)
    page = run_search(search_request=search_request, company=request.company)
    products = page.products
    prefetch_for_listing(request=request, products=products)
    stock = _availability(products)
    return JsonResponse(
        {
            "count": page.count,
            "page": page.page,
            "num_pages": page.num_pages,
            "results": [
                {
                    **_product_json(request, hit.product, stock.get(hit.product.pk)),
                    "matched_on": hit.matched_on,
                }
                for hit in page.hits
            ],
        }
    )


def _parse_numbers(body: bytes):
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None, _('The body must be JSON: {"numbers": [...]}.')
    numbers = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(numbers, list) or not all(
        isinstance(n, str | int) for n in numbers
    ):
        return None, _('"numbers" must be a list of strings.')
    if len(numbers) > MAX_NUMBERS:
        return None, _("At most %(max)s numbers per request.") % {"max": MAX_NUMBERS}
    return [str(n)[:200] for n in numbers], None


@router.post(
    "lookup",
    url_name="lookup",
    auth=ApiCaller(login_required=False, scope="read"),
    response={200: LookupOut, **ERRORS},
    summary="Look up many part numbers at once",
    openapi_extra={**json_body(LookupIn), **ANONYMOUS_ALLOWED},
)
def lookup(request):
    numbers, problem = _parse_numbers(request.body)
    if problem:
        return api_error(problem, 400)
    results = lookup_numbers(numbers=numbers, company=request.company)
    products = list({p.pk: p for r in results for p in r.products}.values())
    prefetch_for_listing(request=request, products=products)
    stock = _availability(products)
    return JsonResponse(
        {
            "results": [
                {
                    "query": r.query,
                    "normalized": r.normalized,
                    "status": r.status,
                    "matched_on": r.matched_on,
                    "products": [
                        _product_json(request, p, stock.get(p.pk)) for p in r.products
                    ],
                }
                for r in results
            ]
        }
    )
