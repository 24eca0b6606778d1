"""What every JSON endpoint shares: the error shape, the method, CSRF for session
callers, the login check, and a price as the API shows it.

Who the caller is (a session or an API token) is settled before the view, by
`accounts.middleware.ActiveCompanyMiddleware`; this toolkit knows no project code."""

from functools import wraps

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


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


def api_endpoint(
    *, method: str = "GET", login_required: bool = True, scope: str | None = None
):
    """Decorate a JSON view: only `method` is allowed; a POST from a browser session
    must carry its CSRF token (token requests are exempt: the middleware has already
    refused any `Authorization` header that is not a valid token); with
    `login_required` an anonymous caller gets a 401; a token caller needs `scope`
    ("read" for a GET, "order" for a POST unless the view names another). The view
    finds `request.user`, `request.company`, `request.membership` and
    `request.strategy` set for the caller by the middleware."""
    needed = scope or ("read" if method == "GET" else "order")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != method:
                return HttpResponseNotAllowed([method])
            if method == "POST":
                rejected = api_csrf_rejected(request)
                if rejected is not None:
                    return rejected
            if login_required and not request.user.is_authenticated:
                return api_error(_("Log in or send an API token."), 401)
            refused = api_scope_refused(request, needed)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return csrf_exempt(wrapper) if method == "POST" else wrapper

    return decorate


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
