"""What every JSON endpoint shares: the error shape, who may call (CSRF for session
callers, the login check, token scopes), pagination, and a price as the API shows it.

Who the caller is (a session or an API token) is settled before the view, by
`accounts.middleware.ActiveCompanyMiddleware`; this toolkit knows no project code.
The endpoints themselves are django-ninja operations (`shop.api_urls`)."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import APIKeyHeader

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiError(Schema):
    """Every refusal: `{"detail": "<what went wrong>"}`."""

    detail: str


def api_error(message, status: int) -> JsonResponse:
    """`{"detail": message}` with `status`."""
    return JsonResponse({"detail": str(message)}, status=status)


def api_page(request, items, *, size: int, render) -> JsonResponse:
    """One page (`?page=`, from 1) of `items` as `{"count", "page", "pages",
    "results"}`, each result `render(item)`; a page that does not exist is a 400."""
    paginator = Paginator(items, size)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return api_error(_("No such page."), 400)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [render(item) for item in page],
        }
    )


def api_csrf_rejected(request):
    """The CSRF failure response for a session caller, None when the request may go
    on. Requests with an `Authorization` header (API tokens) are exempt; a browser
    session never sends one, so it keeps its CSRF protection."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return None
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


def api_scope_refused(request, scope: str) -> JsonResponse | None:
    """403 when the caller is an API token without `scope`; None otherwise. The
    authentication sets `request.api_scopes` for token callers only: a browser
    session is limited by its member's role alone."""
    scopes = getattr(request, "api_scopes", None)
    if scopes is None or scope in scopes:
        return None
    return api_error(
        _("This API token does not have the “%(scope)s” scope.") % {"scope": scope},
        403,
    )


# `openapi_extra` of an endpoint that also answers anonymous callers: the schema
# lists "no credentials" beside the session or token.
ANONYMOUS_ALLOWED = {"security": [{}]}


def api_body_too_big(request) -> JsonResponse | None:
    """413 when the request says its body is longer than SHOP_API_MAX_BODY_BYTES
    (`shop.request_guard` asks before anything reads it); None otherwise."""
    limit = settings.SHOP_API_MAX_BODY_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) <= limit:
        return None
    return api_error(
        _("The body is too large: at most %(limit)s bytes.") % {"limit": limit}, 413
    )


class ApiRefused(Exception):
    """A caller turned away before the endpoint runs; carries the response."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


class ApiCaller(APIKeyHeader):
    """The ninja `auth` of every endpoint: a browser session or the header
    `Authorization: Token <key>` (checked by the middleware before the view). A
    POST from a session must carry its CSRF token (token requests are exempt: the
    middleware has already refused any `Authorization` header that is not a valid
    token); with `login_required` an anonymous caller gets a 401; a token caller
    needs `scope` ("read" for a GET, "order" for a POST unless the endpoint names
    another). The endpoint finds `request.user`, `request.company`,
    `request.membership` and `request.strategy` set for the caller."""

    param_name = "Authorization"

    def __init__(self, *, scope: str | None = None, login_required: bool = True):
        self.scope = scope
        self.login_required = login_required
        super().__init__()

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            rejected = api_csrf_rejected(request)
            if rejected is not None:
                raise ApiRefused(rejected)
        if self.login_required and not request.user.is_authenticated:
            return None
        needed = self.scope or ("read" if request.method in SAFE_METHODS else "order")
        refused = api_scope_refused(request, needed)
        if refused is not None:
            raise ApiRefused(refused)
        return request.user

    def authenticate(self, request, key):
        return self(request)


def _inline_refs(node, defs):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def json_body(schema) -> dict:
    """`openapi_extra` documenting the JSON body `schema` (a ninja `Schema`) of an
    endpoint that reads `request.body` itself (size limits, its own messages)."""
    described = schema.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": _inline_refs(described, described.get("$defs", {}))
                }
            },
        }
    }


def api_price(strategy, product, quantity: int | None = None, *, net: bool = False):
    """(amount, currency) of `product` for the caller's strategy at `quantity` — the
    price incl. VAT when the tax is known (excl. VAT with `net`) — or (None, None)
    when there is no price for them."""
    if strategy is None:
        return None, None
    price = strategy.fetch_for_product(product, quantity=quantity or 1).price
    if not price.exists:
        return None, None
    amount = price.incl_tax if price.is_tax_known and not net else price.excl_tax
    return str(amount), price.currency
