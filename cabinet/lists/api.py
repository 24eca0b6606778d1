"""Purchase lists API (/api/v1/cabinet/lists/): the company's lists, and one list's
lines with the requesting buyer's prices; creating a list (with an Idempotency-Key),
adding items by product id or article, removing a line, and putting a list into the
basket through the one basket service. Session or token auth (writes need the
`order` scope and a role that may order, as on the pages); another company's list
is a 404."""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema

from accounts.models import ActionRefused
from cabinet.basket_report import basket_report_json
from cabinet.lists import selectors, services
from catalog.partner.availability import ON_REQUEST, availability_for_products
from core.api import ApiCaller, ApiError, api_error, api_price, json_body
from core.idempotency import OPENAPI_HEADER, idempotent
from sales.basket.selectors import basket_of_caller
from search.lookup import AMBIGUOUS, NOT_FOUND, lookup_numbers

ERRORS = {401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["lists"])


class ListOut(Schema):
    id: int
    name: str
    lines: int
    created_by: str | None
    created_at: str
    updated_at: str


class ListsOut(Schema):
    results: list[ListOut]


class ListLineOut(Schema):
    id: int
    product: int
    article: str
    name: str
    manufacturer: str | None
    quantity: int
    note: str
    price_excl_tax: str | None
    currency: str | None
    discontinued: bool
    availability: str
    availability_label: str


class ListDetailOut(Schema):
    id: int
    name: str
    updated_at: str
    lines: list[ListLineOut]


def _company(request):
    """The company the API answers for, or an error response."""
    if request.company is None:
        return None, api_error(_("Your account is not linked to a company."), 403)
    return request.company, None


@router.get(
    "",
    url_name="cabinet-lists",
    auth=ApiCaller(),
    response={200: ListsOut, **ERRORS},
    summary="The company's purchase lists",
)
def lists(request):
    company, error = _company(request)
    if error:
        return error
    return JsonResponse(
        {
            "results": [
                {
                    "id": purchase_list.pk,
                    "name": purchase_list.name,
                    "lines": purchase_list.line_count,
                    "created_by": (
                        purchase_list.created_by.email
                        if purchase_list.created_by
                        else None
                    ),
                    "created_at": purchase_list.created_at.isoformat(),
                    "updated_at": purchase_list.updated_at.isoformat(),
                }
                for purchase_list in selectors.purchase_lists_overview(company=company)
            ]
        }
    )


def _line_json(strategy, line, availability) -> dict:
    product = line.product
    price, currency = api_price(strategy, product, line.quantity, net=True)
    return {
        "id": line.pk,
        "product": product.pk,
        "article": product.article,
        "name": product.get_title(),
        "manufacturer": product.manufacturer.name if product.manufacturer_id else None,
        "quantity": line.quantity,
        "note": line.note,
        "price_excl_tax": price,
        "currency": currency,
        "discontinued": product.is_discontinued,
        "availability": availability.status,
        "availability_label": availability.label,
    }


@router.get(
    "{int:pk}/",
    url_name="cabinet-list-detail",
    auth=ApiCaller(),
    response={200: ListDetailOut, **ERRORS},
    summary="One purchase list's lines with the caller's prices",
)
def list_detail(request, pk: int):
    company, error = _company(request)
    if error:
        return error
    purchase_list = (
        selectors.purchase_lists_for_company(company=company).filter(pk=pk).first()
    )
    if purchase_list is None:
        return api_error(_("Not found."), 404)
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    products = [line.product for line in lines]
    request.strategy.prefetch(products)
    stock = availability_for_products(products=products)
    return JsonResponse(
        {
            "id": purchase_list.pk,
            "name": purchase_list.name,
            "updated_at": purchase_list.updated_at.isoformat(),
            "lines": [
                _line_json(
                    request.strategy, line, stock.get(line.product_id, ON_REQUEST)
                )
                for line in lines
            ],
        }
    )


# -- writes --------------------------------------------------------------------

MAX_PK = 2**62
WRITE_ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}
ITEMS_USAGE = gettext_lazy(
    'The body must be JSON: {"items": [{"product": id or "article": "...", '
    '"quantity": n, "note": "..."}, ...]}.'
)


class ListCreateIn(Schema):
    name: str = Field(
        description=f"Unique in the company, up to {services.NAME_MAX_LENGTH} "
        "characters"
    )


class ListItemIn(Schema):
    product: int | None = Field(
        None, ge=1, le=MAX_PK, description="A product id, or give `article`"
    )
    article: str | None = Field(
        None, max_length=200, description="An article, or the company's own number"
    )
    quantity: int = Field(1, ge=1, le=services.MAX_QUANTITY)
    note: str = Field("", max_length=services.NOTE_MAX_LENGTH)


class ListItemsIn(Schema):
    items: list[ListItemIn] = Field(min_length=1, max_length=services.MAX_LINES)


class ListItemsAddedOut(Schema):
    id: int
    name: str
    lines: int
    added: int = Field(description="New lines")
    increased: int = Field(description="Lines already on the list, quantity raised")


class ToBasketIn(Schema):
    lines: list[int] | None = Field(
        None, max_length=services.MAX_LINES, description="Only these line ids"
    )


class ToBasketAddedOut(Schema):
    product: int
    article: str
    added: int
    quantity: int
    notes: list[str]
    now: int | None
    later: int | None
    availability: str | None


class ToBasketRefusedOut(Schema):
    product: int
    article: str
    reason: str


class ToBasketAdjustedOut(Schema):
    product: int
    article: str
    notes: list[str]


class ToBasketOut(Schema):
    added: list[ToBasketAddedOut]
    refused: list[ToBasketRefusedOut]
    adjusted: list[ToBasketAdjustedOut]


def _readable(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", ""))


def _body(request, schema, usage, *, empty_ok: bool = False):
    """(the body as `schema`, None) or (None, a 400 that says what is wrong)."""
    try:
        raw = json.loads(request.body or (b"{}" if empty_ok else b"null"))
    except (ValueError, UnicodeDecodeError):
        return None, api_error(usage, 400)
    try:
        return schema.model_validate(raw), None
    except ValueError as exc:  # pydantic's ValidationError
        errors = getattr(exc, "errors", lambda: [])()
        details = "; ".join(_readable(e) for e in errors[:10])
        return None, api_error(f"{usage} {details}".strip(), 400)


def _editor(request):
    """(membership, None) for a member who may change lists, else (None, 403)."""
    membership = request.membership
    if membership is None:
        return None, api_error(_("Your account is not linked to a company."), 403)
    if not membership.can("order"):
        return None, api_error(
            _("Your role does not allow changing purchase lists."), 403
        )
    return membership, None


def _editable_list(request, pk: int):
    """(list, None) or (None, the refusal): no company 403, another company's or
    no such list 404, a role that may not edit 403."""
    if request.company is None:
        return None, api_error(_("Your account is not linked to a company."), 403)
    found = None
    if pk <= MAX_PK:
        found = (
            selectors.purchase_lists_for_company(company=request.company)
            .filter(pk=pk)
            .first()
        )
    if found is None:
        return None, api_error(_("Not found."), 404)
    _membership, error = _editor(request)
    return (None, error) if error else (found, None)


def _list_json(purchase_list, *, lines: int) -> dict:
    creator = purchase_list.created_by
    return {
        "id": purchase_list.pk,
        "name": purchase_list.name,
        "lines": lines,
        "created_by": creator.email if creator else None,
        "created_at": purchase_list.created_at.isoformat(),
        "updated_at": purchase_list.updated_at.isoformat(),
    }


@router.post(
    "",
    url_name="cabinet-lists",
    auth=ApiCaller(),
    response={201: ListOut, **WRITE_ERRORS, 409: ApiError, 422: ApiError},
    summary="Create a purchase list",
    description=(
        "Send an `Idempotency-Key`: a repeat returns the first answer and creates "
        "no second list."
    ),
    openapi_extra={**json_body(ListCreateIn), "parameters": [OPENAPI_HEADER]},
)
@idempotent
def list_create(request):
    membership, error = _editor(request)
    if error:
        return error
    data, error = _body(
        request, ListCreateIn, _('The body must be JSON: {"name": "..."}.')
    )
    if error:
        return error
    try:
        purchase_list = services.purchase_list_create(
            company=membership.company, name=data.name, created_by=request.user
        )
    except services.PurchaseListError as exc:
        return api_error(" ".join(exc.messages), 400)
    return JsonResponse(_list_json(purchase_list, lines=0), status=201)


def _items_resolve(company, items: list[ListItemIn]):
    """(list items, problems): each item's product by id (public products) or by
    article (as the list page's article field finds it)."""
    if any((item.product is None) == (item.article is None) for item in items):
        return [], [str(ITEMS_USAGE)]
    ids = [item.product for item in items if item.product is not None]
    by_id = selectors.products_addable(ids=ids) if ids else {}
    articles = [item.article.strip() for item in items if item.product is None]
    found = iter(lookup_numbers(numbers=articles, company=company) if articles else [])
    resolved, problems = [], []
    for item in items:
        if item.product is not None:
            product = by_id.get(item.product)
            if product is None:
                problems.append(_("Unknown product: %(id)s.") % {"id": item.product})
        else:
            product, problem = _article_product(item.article.strip(), next(found))
            if problem:
                problems.append(problem)
        if product is not None:
            resolved.append(
                services.ListItem(product, item.quantity, item.note.strip())
            )
    return resolved, problems


def _article_product(article: str, result):
    if result.status == NOT_FOUND:
        return None, _("“%(article)s” is not in the catalogue.") % {"article": article}
    if result.status == AMBIGUOUS:
        return None, _("“%(article)s” matches several products: %(found)s.") % {
            "article": article,
            "found": ", ".join(p.article or "" for p in result.products),
        }
    return result.products[0], None


@router.post(
    "{int:pk}/items",
    url_name="cabinet-list-items",
    auth=ApiCaller(),
    response={200: ListItemsAddedOut, **WRITE_ERRORS, 409: ApiError, 422: ApiError},
    summary="Add items to a purchase list (a product already on it: quantity summed)",
    description=(
        "All or nothing: an unknown product or article refuses the whole request. "
        "Send an `Idempotency-Key` so that a repeat does not add twice."
    ),
    openapi_extra={**json_body(ListItemsIn), "parameters": [OPENAPI_HEADER]},
)
@idempotent
def list_items_add(request, pk: int):
    purchase_list, error = _editable_list(request, pk)
    if error:
        return error
    data, error = _body(request, ListItemsIn, ITEMS_USAGE)
    if error:
        return error
    items, problems = _items_resolve(request.company, data.items)
    if problems:
        return api_error(" ".join(problems[:20]), 400)
    try:
        added, increased = services.purchase_list_add_items(
            purchase_list=purchase_list, items=items
        )
    except services.PurchaseListError as exc:
        return api_error(" ".join(exc.messages), 400)
    return JsonResponse(
        {
            "id": purchase_list.pk,
            "name": purchase_list.name,
            "lines": purchase_list.lines.count(),
            "added": added,
            "increased": increased,
        }
    )


@router.delete(
    "{int:pk}/items/{int:item_pk}/",
    url_name="cabinet-list-item",
    auth=ApiCaller(),
    response={204: None, **WRITE_ERRORS},
    summary="Remove a line from a purchase list",
)
def list_item_remove(request, pk: int, item_pk: int):
    purchase_list, error = _editable_list(request, pk)
    if error:
        return error
    removed = 0
    if item_pk <= MAX_PK:
        removed = services.purchase_list_remove_lines(
            purchase_list=purchase_list, line_ids=[item_pk]
        )
    if not removed:
        return api_error(_("No such line on this list."), 404)
    return HttpResponse(status=204)


def _basket_report_json(result) -> dict:
    return {
        **basket_report_json(result.report),
        "adjusted": [
            {
                "product": product.pk,
                "article": product.article,
                "notes": [str(n) for n in notes],
            }
            for product, notes in result.adjustments
        ],
    }


@router.post(
    "{int:pk}/to-basket",
    url_name="cabinet-list-to-basket",
    auth=ApiCaller(),
    response={
        200: ToBasketOut,
        400: ToBasketOut | ApiError,
        401: ApiError,
        403: ApiError,
        404: ApiError,
        409: ApiError,
        422: ApiError,
    },
    summary="Put the list's lines into the basket at today's prices",
    description=(
        "Each quantity is fitted to the product's MOQ and order step (`adjusted`); "
        "products that cannot be bought are `refused` with the reason. No body (or "
        '`{"lines": [ids]}` for some lines). Send an `Idempotency-Key` so that a '
        "repeat does not add twice."
    ),
    openapi_extra={**json_body(ToBasketIn), "parameters": [OPENAPI_HEADER]},
)
@idempotent
def list_to_basket(request, pk: int):
    purchase_list, error = _editable_list(request, pk)
    if error:
        return error
    usage = _('The body must be empty or JSON: {"lines": [line ids]}.')
    data, error = _body(request, ToBasketIn, usage, empty_ok=True)
    if error:
        return error
    lines = selectors.purchase_list_lines(purchase_list=purchase_list)
    if data.lines is not None:
        chosen = set(data.lines)
        lines = [line for line in lines if line.pk in chosen]
    if not lines:
        return api_error(_("Select the lines to order."), 400)
    try:
        result = services.purchase_list_order(
            basket=basket_of_caller(request), membership=request.membership, lines=lines
        )
    except ActionRefused as exc:
        return api_error(exc.message, 403)
    report = result.report
    status = 200 if report.lines or not report.refused else 400
    return JsonResponse(_basket_report_json(result), status=status)
