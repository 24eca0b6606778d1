"""Purchase lists API (/api/v1/cabinet/lists/): the company's lists, and one list's
lines with the requesting buyer's prices. Session or token auth; another company's
list is a 404."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cabinet.lists import selectors
from catalog.partner.availability import ON_REQUEST, availability_for_products
from core.api import ApiCaller, ApiError, api_error, api_price

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
