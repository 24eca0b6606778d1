"""Basket API (/api/v1/cabinet/basket/): the caller's open basket with what ships now
and later, and adding lines through the one basket service (MOQ and step fitted and
told, refusals with the reason). Session or token auth."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema

from accounts.models import ActionRefused
from cabinet.basket_report import basket_report_json
from catalog.articles import article_normalize
from catalog.models import Product
from core.api import ApiCaller, ApiError, api_error, api_price, json_body
from sales.basket.selectors import basket_of_caller
from sales.basket.services import MAX_ITEMS, basket_lines_add

USAGE = gettext_lazy(
    'The body must be JSON: {"items": [{"product": id, "quantity": n}, ...]}.'
)

router = Router(tags=["basket"])


class BasketLineOut(Schema):
    product: int
    article: str
    quantity: int
    unit_price: str | None
    currency: str | None
    now: int | None = Field(description="Units that ship now")
    later: int | None = Field(description="Units that ship later")
    availability: str | None


class BasketOut(Schema):
    lines: list[BasketLineOut]


class BasketItemIn(Schema):
    product: int | None = Field(None, description="A product id, or give `article`")
    article: str | None = None
    quantity: int = 1


class BasketLinesIn(Schema):
    items: list[BasketItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class BasketAddedOut(Schema):
    product: int
    article: str
    added: int
    quantity: int
    notes: list[str]
    now: int | None
    later: int | None
    availability: str | None


class BasketRefusedOut(Schema):
    product: int
    article: str
    reason: str


class BasketLinesOut(Schema):
    added: list[BasketAddedOut]
    refused: list[BasketRefusedOut]


def _line_json(request, line) -> dict:
    info = line.purchase_info
    promise = getattr(info.availability, "promise", None)
    stock = promise(line.quantity) if promise else None
    price, currency = api_price(request.strategy, line.product, line.quantity)
    return {
        "product": line.product_id,
        "article": line.product.article,
        "quantity": line.quantity,
        "unit_price": price,
        "currency": currency,
        "now": stock.now if stock else None,
        "later": stock.later if stock else None,
        "availability": stock.label if stock else None,
    }


@router.get(
    "",
    url_name="cabinet-basket",
    auth=ApiCaller(),
    response={200: BasketOut, 401: ApiError, 403: ApiError},
    summary="The open basket: each line, what ships now and later",
)
def basket(request):
    if request.company is None:
        return api_error(_("Your account is not linked to a company."), 403)
    current = basket_of_caller(request)
    lines = list(current.all_lines()) if current.pk else []
    return JsonResponse({"lines": [_line_json(request, line) for line in lines]})


def _items(body: bytes) -> list[tuple[object, object]]:
    """[(product id or article, quantity)] from the body, or ValueError(USAGE)."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValueError(USAGE) from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise ValueError(USAGE)
    parsed = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(USAGE)
        key = item.get("product", item.get("article"))
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise ValueError(USAGE)
        parsed.append((key, item.get("quantity", 1)))
    return parsed


def _products(keys) -> dict[object, Product]:
    ids = [k for k in keys if isinstance(k, int)]
    articles = {article_normalize(k): k for k in keys if isinstance(k, str)}
    found: dict[object, Product] = {}
    browsable = Product.objects.browsable()
    for product in browsable.filter(pk__in=ids):
        found[product.pk] = product
    for product in browsable.filter(article_normalized__in=list(articles)):
        found[articles[product.article_normalized]] = product
    return found


@router.post(
    "lines",
    url_name="cabinet-basket-lines",
    auth=ApiCaller(),
    response={
        200: BasketLinesOut,
        400: BasketLinesOut | ApiError,
        401: ApiError,
        403: ApiError,
    },
    summary="Add lines to the basket (quantities fitted to MOQ and step)",
    openapi_extra=json_body(BasketLinesIn),
)
def basket_lines_add_view(request):
    try:
        items = _items(request.body)
    except ValueError as exc:
        return api_error(exc, 400)
    products = _products([key for key, _qty in items])
    missing = [key for key, _qty in items if key not in products]
    if missing:
        return api_error(
            _("Not found: %(keys)s.") % {"keys": ", ".join(map(str, missing[:20]))},
            400,
        )
    try:
        report = basket_lines_add(
            basket=basket_of_caller(request),
            membership=request.membership,
            items=[(products[key], qty) for key, qty in items],
        )
    except ActionRefused as exc:
        return api_error(exc.message, 403)
    return JsonResponse(
        basket_report_json(report),
        status=200 if report.lines or not report.refused else 400,
    )
