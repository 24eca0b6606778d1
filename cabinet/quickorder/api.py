"""Quick order API: POST /api/v1/cabinet/quick-order/resolve → one JSON result per
line, with the caller's prices. Session or token auth (`core.api.ApiCaller`)."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from cabinet.quickorder.parsing import (
    MAX_LINES,
    QuickOrderRefused,
    quick_order_parse_items,
    quick_order_parse_text,
    too_many_lines,
)
from cabinet.quickorder.selectors import quick_order_resolve
from core.api import ApiCaller, ApiError, api_error, api_price, json_body

router = Router(tags=["quick order"])


class QuickOrderItemIn(Schema):
    article: str
    qty: str | float | None = Field(None, description="or `quantity`")


class QuickOrderIn(Schema):
    lines: str | None = Field(
        None, description="One line per item: `<article> <quantity>`"
    )
    items: list[QuickOrderItemIn] | None = Field(
        None, max_length=MAX_LINES, description="Instead of `lines`"
    )


class QuickOrderStockOut(Schema):
    now: int
    later: int
    later_days_max: int | None
    label: str


class QuickOrderProductOut(Schema):
    id: int
    article: str
    name: str
    url: str
    price: str | None
    currency: str | None
    availability: str | None
    stock: QuickOrderStockOut | None


class QuickOrderResultOut(Schema):
    line: int
    input: str
    status: str
    product: QuickOrderProductOut | None
    quantity: int | None
    wanted: str | None
    orderable: bool
    notes: list[str]
    candidates: list[QuickOrderProductOut]
    successor: QuickOrderProductOut | None
    suggestions: list[QuickOrderProductOut]
    also_lines: list[int]


class QuickOrderOut(Schema):
    results: list[QuickOrderResultOut]


def _lines_from_body(body: bytes):
    """Parsed lines from {"lines": "..."} or {"items": [{"article", "qty"}]}."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        data = None
    usage = _('The body must be JSON: {"lines": "..."} or {"items": [...]}.')
    if not isinstance(data, dict):
        raise QuickOrderRefused(usage)
    if isinstance(data.get("lines"), str):
        return quick_order_parse_text(data["lines"])
    items = data.get("items")
    if not isinstance(items, list):
        raise QuickOrderRefused(usage)
    if len(items) > MAX_LINES:
        raise too_many_lines()
    pairs = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("article"), str | int):
            raise QuickOrderRefused(_('Each item needs an "article" (a string).'))
        qty = item.get("qty", item.get("quantity"))
        if qty is not None and not isinstance(qty, str | int | float):
            raise QuickOrderRefused(_('"qty" must be a number or a string.'))
        pairs.append((str(item["article"]), None if qty is None else str(qty)))
    return quick_order_parse_items(pairs)


def _product_json(request, product, quantity=None, availability=None) -> dict:
    price, currency = api_price(request.strategy, product, quantity)
    return {
        "id": product.pk,
        "article": product.article,
        "name": product.get_title(),
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "price": price,
        "currency": currency,
        "availability": availability.label if availability is not None else None,
        "stock": _stock_json(availability, quantity),
    }


def _stock_json(availability, quantity) -> dict | None:
    """How the quantity would be served: units now, units later, the promise."""
    if availability is None or quantity is None:
        return None
    promise = availability.promise(int(quantity))
    return {
        "now": promise.now,
        "later": promise.later,
        "later_days_max": promise.backorder_max_days if promise.later else None,
        "label": promise.label,
    }


def _result_json(request, result) -> dict:
    def product(p, quantity=None):
        return _product_json(request, p, quantity, result.stock.get(p.pk))

    return {
        "line": result.parsed.line,
        "input": result.parsed.input,
        "status": result.status,
        "product": product(result.product, result.quantity) if result.product else None,
        "quantity": result.quantity,
        "wanted": None if result.wanted is None else str(result.wanted),
        "orderable": result.orderable,
        "notes": [str(note) for note in result.notes],
        "candidates": [product(p) for p in result.candidates],
        "successor": product(result.successor) if result.successor else None,
        "suggestions": [product(p) for p in result.suggestions],
        "also_lines": result.parsed.also_lines,
    }


@router.post(
    "resolve",
    url_name="cabinet-quick-order-resolve",
    auth=ApiCaller(scope="read"),
    response={200: QuickOrderOut, 400: ApiError, 401: ApiError, 403: ApiError},
    summary="Resolve pasted lines or items to products, prices and stock",
    openapi_extra=json_body(QuickOrderIn),
)
def resolve(request):
    if request.company is None:
        return api_error(
            _("Quick order is for business customers: register a business."), 403
        )
    try:
        lines = _lines_from_body(request.body)
    except QuickOrderRefused as exc:
        return api_error(str(exc), 400)
    results = quick_order_resolve(
        lines=lines, company=request.company, strategy=request.strategy
    )
    return JsonResponse({"results": [_result_json(request, r) for r in results]})
