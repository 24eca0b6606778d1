"""Catalogue API: GET /api/v1/products/{article}/ (one product as its page shows it),
POST /api/v1/availability and POST /api/v1/prices (up to 500 articles at once).
Anonymous callers get what a visitor's page shows; prices are the caller's, from the
pricing strategy (`request.strategy`), stock from the one stock rule."""

import json
from decimal import Decimal

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router

from catalog.api_schemas import (
    MAX_ARTICLE_LENGTH,
    MAX_ITEMS,
    MAX_QUANTITY,
    AvailabilityIn,
    AvailabilityListOut,
    PriceListOut,
    PricesIn,
    ProductDetailOut,
)
from catalog.articles import article_normalize
from catalog.models import Product
from catalog.partner.availability import availability_for_products
from catalog.selectors import product_relations
from core.api import ANONYMOUS_ALLOWED, ApiCaller, ApiError, api_error, json_body
from core.money import money_quantize
from core.sql import values_param

USAGE = gettext_lazy(
    'The body must be JSON: {"items": [{"article": "...", "quantity": n}, ...]}.'
)
# Why an item has no price: no such product, prices hidden from this caller
# (SHOP_ANONYMOUS_PRICES = "login"), or no price list prices it for them.
NOT_FOUND, PRICE_HIDDEN, NO_PRICE = "not_found", "price_hidden", "no_price"

router = Router(tags=["catalogue"])


# -- reading the body --------------------------------------------------------------


class BodyInvalid(ValueError):
    """A body the endpoint refuses as a whole; the message is safe to show."""


def _items(body: bytes, *, quantity_required: bool) -> list[tuple[str, int | None]]:
    """[(article, quantity or None)] from `{"items": [...]}`, or BodyInvalid."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BodyInvalid(USAGE) from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BodyInvalid(USAGE)
    if not 1 <= len(items) <= MAX_ITEMS:
        raise BodyInvalid(_("Send from 1 to %(max)s items.") % {"max": MAX_ITEMS})
    return [_item(n, item, quantity_required) for n, item in enumerate(items, 1)]


def _item(n: int, item, quantity_required: bool) -> tuple[str, int | None]:
    if not isinstance(item, dict):
        raise BodyInvalid(_("Item %(n)s: %(usage)s") % {"n": n, "usage": USAGE})
    article = item.get("article")
    if not isinstance(article, str) or not article:
        raise BodyInvalid(_("Item %(n)s: give the article as text.") % {"n": n})
    if len(article) > MAX_ARTICLE_LENGTH:
        raise BodyInvalid(
            _("Item %(n)s: an article has at most %(max)s characters.")
            % {"n": n, "max": MAX_ARTICLE_LENGTH}
        )
    quantity = item.get("quantity")
    if quantity is None and not quantity_required:
        return article, None
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        quantity = -1  # text, a fraction, NaN, ±Infinity, true/false, missing
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BodyInvalid(
            _("Item %(n)s: the quantity must be a whole number from 1 to %(max)s.")
            % {"n": n, "max": MAX_QUANTITY}
        )
    return article, quantity


# -- reading the catalogue -----------------------------------------------------------


def _products_by_article(articles) -> dict[str, Product]:
    """Browsable products by the article as sent (normalised; of several products
    with the same normalised article the one spelt exactly so, else the first), in
    one query."""
    keys = {article_normalize(a) for a in articles} - {""}
    candidates: dict[str, list[Product]] = {}
    if keys:
        for product in (
            Product.objects.browsable()
            .filter(article_normalized__in=values_param(sorted(keys)))
            .select_related("manufacturer", "product_class")
            .order_by("pk")
        ):
            candidates.setdefault(product.article_normalized, []).append(product)
    found = {}
    for article in articles:
        matches = candidates.get(article_normalize(article))
        if matches:
            exact = [p for p in matches if p.article == article]
            found[article] = (exact or matches)[0]
    return found


def _unpriced(reason: str) -> dict:
    return {
        "price_excl_vat": None,
        "price_incl_vat": None,
        "currency": None,
        "rule": None,
        "breaks": [],
        "reason": reason,
    }


def _price(strategy, product, quantity: int = 1) -> dict:
    """The caller's price as the price partial shows it: the strategy's unit price
    excl. and incl. VAT, its rule and quantity breaks, or why there is none."""
    price = strategy.fetch_for_product(product, quantity=quantity).price
    if not price.exists:
        hidden = getattr(price, "login_required", False)
        return _unpriced(PRICE_HIDDEN if hidden else NO_PRICE)
    quote = getattr(price, "quote", None)
    return {
        "price_excl_vat": str(price.excl_tax),
        "price_incl_vat": str(price.incl_tax) if price.is_tax_known else None,
        "currency": price.currency,
        "rule": quote.rule if quote else None,
        "breaks": [
            {"min_quantity": b.min_quantity, "price_excl_vat": str(b.net)}
            for b in (quote.breaks if quote else ())
        ],
        "reason": None,
    }


def _availability_json(stock) -> dict:
    return {
        "status": stock.status,
        "label": stock.label,
        "available": stock.total_available,
        "warehouses": [
            {
                "name": w.name,
                "city": w.city,
                "available": w.available,
                "lead_time": w.lead_time_label,
            }
            for w in stock.warehouses
        ],
    }


def _category_path(request, product) -> list[dict]:
    """The breadcrumb of the product page: its first category and the ancestors."""
    category = product.get_categories().first()
    path, slug = [], None
    for node in category.get_ancestors_and_self() if category else ():
        slug = node.get_full_slug(parent_slug=slug)
        url = reverse(
            "catalogue:category", kwargs={"category_slug": slug, "pk": node.pk}
        )
        path.append({"name": node.display_name, "url": request.build_absolute_uri(url)})
    return path


def _product_json(request, product) -> dict:
    strategy = request.strategy

    def availability(products):  # the strategy's stock, loaded once for both
        strategy.prefetch(products)
        return {p.pk: strategy.stock_availability(p) for p in products}

    relations = product_relations(product=product, availability=availability)
    successor = relations.successor
    return {
        "article": product.article,
        "name": product.display_title,
        "manufacturer": product.manufacturer.name if product.manufacturer_id else None,
        "manufacturer_article": product.manufacturer_article or None,
        "unit": product.unit,
        "pack_size": product.pack_size,
        "min_order_qty": product.min_order_qty,
        "order_step": product.order_step,
        "vat_rate": str(product.vat_rate),
        "lifecycle": product.lifecycle,
        "successor": successor.product.article if successor else None,
        "category_path": _category_path(request, product),
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "price": _price(strategy, product),
        "availability": _availability_json(relations.availability),
        "cross_references": [
            {"brand": ref.brand, "number": ref.number, "kind": ref.kind}
            for ref in relations.cross_references
        ],
        "analogues": [
            r.product.article for r in relations.analogues if r.product.article
        ],
        "substitutes": [
            {"article": r.product.article, "note": r.note}
            for r in relations.substitutes
            if r.product.article
        ],
    }


# -- endpoints -----------------------------------------------------------------------


@router.get(
    "products/{path:article}/",
    url_name="catalog-product",
    auth=ApiCaller(login_required=False),
    response={
        200: ProductDetailOut,
        400: ApiError,  # a NUL in the path (`shop.request_guard`)
        401: ApiError,
        403: ApiError,
        404: ApiError,
    },
    summary="One product by its article: price, breaks, stock, other numbers",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def product_detail(request, article: str):
    product = _products_by_article([article]).get(article)
    if product is None:
        return api_error(
            _("No product with article %(article)s.") % {"article": article[:200]},
            404,
        )
    return JsonResponse(_product_json(request, product))


@router.post(
    "availability",
    url_name="catalog-availability",
    auth=ApiCaller(login_required=False, scope="read"),
    response={200: AvailabilityListOut, 400: ApiError, 401: ApiError, 403: ApiError},
    summary="Stock of many articles, and what ships now for a quantity",
    openapi_extra={**json_body(AvailabilityIn), **ANONYMOUS_ALLOWED},
)
def availability_view(request):
    try:
        items = _items(request.body, quantity_required=False)
    except BodyInvalid as exc:
        return api_error(exc, 400)
    products = _products_by_article([article for article, _qty in items])
    stock = availability_for_products(products=list(set(products.values())))
    return JsonResponse(
        {"items": [_availability_item(a, q, products, stock) for a, q in items]}
    )


def _availability_item(article, quantity, products, stock) -> dict:
    product = products.get(article)
    found = stock[product.pk] if product else None
    promise = found.promise(quantity) if found and quantity else None
    return {
        "article": article,
        "found": product is not None,
        "product_article": product.article if product else None,
        "status": found.status if found else None,
        "label": found.label if found else None,
        "available": found.total_available if found else None,
        "quantity": quantity,
        "now": promise.now if promise else None,
        "later": promise.later if promise else None,
        "promise": promise.label if promise else None,
    }


@router.post(
    "prices",
    url_name="catalog-prices",
    auth=ApiCaller(login_required=False, scope="read"),
    response={200: PriceListOut, 400: ApiError, 401: ApiError, 403: ApiError},
    summary="The caller's prices of many articles at their quantities",
    openapi_extra={**json_body(PricesIn), **ANONYMOUS_ALLOWED},
)
def prices_view(request):
    try:
        items = _items(request.body, quantity_required=True)
    except BodyInvalid as exc:
        return api_error(exc, 400)
    products = _products_by_article([article for article, _qty in items])
    request.strategy.prefetch(list(set(products.values())))
    return JsonResponse(
        {"items": [_price_item(request, a, q, products.get(a)) for a, q in items]}
    )


def _price_item(request, article, quantity, product) -> dict:
    if product is None:
        price = _unpriced(NOT_FOUND)
    else:
        price = _price(request.strategy, product, quantity)
    net, gross = price["price_excl_vat"], price["price_incl_vat"]
    return {
        "article": article,
        "quantity": quantity,
        "found": product is not None,
        "product_article": product.article if product else None,
        "price_excl_vat": net,
        "price_incl_vat": gross,
        # As a basket line: the unit price times the quantity.
        "total_excl_vat": _times(net, quantity),
        "total_incl_vat": _times(gross, quantity),
        "currency": price["currency"],
        "rule": price["rule"],
        "reason": price["reason"],
    }


def _times(amount: str | None, quantity: int) -> str | None:
    if not amount:
        return None
    return str(money_quantize(Decimal(amount) * quantity))
