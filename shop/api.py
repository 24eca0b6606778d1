"""What every JSON endpoint shares: the error shape, CSRF for session callers, and a
price as the API shows it."""

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware


def api_error(message, status: int) -> JsonResponse:
    """`{"detail": message}` with `status`."""
    return JsonResponse({"detail": str(message)}, status=status)


def api_csrf_rejected(request):
    """The CSRF failure response for a session caller, None when the request may go
    on. Requests with an `Authorization` header (API tokens) are exempt; a browser
    session never sends one, so it keeps its CSRF protection."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return None
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


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
