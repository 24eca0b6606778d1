"""API root: lists what the API offers."""

from django.http import JsonResponse
from django.urls import reverse
from ninja import Router, Schema

from core.api import ANONYMOUS_ALLOWED, ApiCaller

router = Router(tags=["api"])

ENDPOINTS = {
    "search": ("api:search", "GET ?q=&page=&category=&manufacturer=&in_stock="),
    "lookup": ("api:lookup", 'POST {"numbers": [...]} (up to 5,000)'),
    "price_explain": ("api:price-explain", "GET ?company=&product=&quantity= (staff)"),
    "availability": (
        "api:catalog-availability",
        'POST {"items": [{"article": "...", "quantity": n}]} (up to 500, n optional)',
    ),
    "prices": (
        "api:catalog-prices",
        'POST {"items": [{"article": "...", "quantity": n}]} (up to 500); one '
        "product with its price, stock and other numbers: GET products/<article>/",
    ),
    "serials": (
        "api:serials",
        'POST {"order": "...", "lines": [{"article": "...", "serial": "..."}]} (staff)',
    ),
    "cabinet_orders": ("api:cabinet-orders", "GET the company's orders"),
    "cabinet_lists": (
        "api:cabinet-lists",
        'GET the company\'s purchase lists; POST {"name": "..."} creates one '
        "(then <id>/items, <id>/items/<line id>/, <id>/to-basket)",
    ),
    "cabinet_quick_order": (
        "api:cabinet-quick-order-resolve",
        'POST {"lines": "article qty\\n..."} or {"items": [...]}',
    ),
    "cabinet_basket": ("api:cabinet-basket", "GET the open basket, what ships when"),
    "cabinet_basket_lines": (
        "api:cabinet-basket-lines",
        'POST {"items": [{"product": id or "article": "...", "quantity": n}]}',
    ),
    "cabinet_documents": (
        "api:cabinet-documents",
        "GET the document archive (?kind=&date_from=&date_to=&q=&order=&status=)",
    ),
    "cabinet_serials": (
        "api:cabinet-serials",
        "GET serial numbers (?order=&delivery_note=&from=&to=&serial=&article=)",
    ),
    "schema": ("api:openapi-json", "GET the OpenAPI 3.1 description of this API"),
    "docs": ("api:openapi-view", "GET the API's documentation page"),
}


class EndpointOut(Schema):
    url: str
    usage: str


class IndexOut(Schema):
    version: int
    authentication: str
    endpoints: dict[str, EndpointOut]


@router.get(
    "",
    url_name="index",
    auth=ApiCaller(login_required=False),
    response=IndexOut,
    summary="What the API offers",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def index(request):
    return JsonResponse(
        {
            "version": 1,
            "authentication": "a session, or the header 'Authorization: Token <key>'",
            "endpoints": {
                name: {"url": reverse(url_name), "usage": usage}
                for name, (url_name, usage) in ENDPOINTS.items()
            },
        }
    )
