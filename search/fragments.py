"""A result page's product list (prices, stock, the add-to-basket forms) as HTML,
kept for SHOP_LISTING_CACHE_SECONDS per *kind of viewer*: the same company, status,
right to order, language, currency and day see the same list.

A signed-in buyer's listing is the costly part of the catalogue: pricing and
rendering 48 products. Everything it shows follows from the key: prices from the
company's terms, contracts and rules (pricing writes move the catalogue version on;
validity dates are checked against the day, which is in the key; the company's
status decides list price or its own), stock from the stock records (written
stock moves the version on), the forms from whether the member may order. Nothing
of the person is in it but the CSRF tokens, which are stored as placeholders
(`core.csrf`) and filled with each reader's own.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalog.cache import catalog_cache_version
from core.csrf import csrf_fields_fill, csrf_fields_strip

TEMPLATE = "search/result_list.html"
LISTING_VIEWS = ("table", "cards")  # the first is the default
LISTING_VIEW_SESSION_KEY = "listing_view"


def listing_view(request) -> str:
    """The layout of a product list: `?view=` when valid (remembered in the
    session), else the one remembered, else a table. A visitor who never chose has
    no session, so the page cache keeps serving them the default."""
    session = getattr(request, "session", None)
    chosen = request.GET.get("view")
    if chosen in LISTING_VIEWS:
        remembered = session.get(LISTING_VIEW_SESSION_KEY) if session else None
        if session is not None and remembered != chosen:
            if remembered is not None or chosen != LISTING_VIEWS[0]:
                session[LISTING_VIEW_SESSION_KEY] = chosen
        return chosen
    remembered = session.get(LISTING_VIEW_SESSION_KEY) if session is not None else None
    return remembered if remembered in LISTING_VIEWS else LISTING_VIEWS[0]


def viewer_kind(request) -> list:
    """What of the viewer a product list depends on."""
    company = request.company
    membership = request.membership
    return [
        company.pk if company is not None else None,
        company.status if company is not None else None,
        bool(membership is not None and membership.can_order),
        request.user.is_authenticated,
        get_language(),
        settings.OSCAR_DEFAULT_CURRENCY,
        timezone.localdate().isoformat(),
    ]


def result_list_key(*, request, listing: list) -> str:
    """`listing`: what chose the products (query, filters, sort, page, page size)."""
    parts = [request.path, listing, listing_view(request), viewer_kind(request)]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"result-list:{catalog_cache_version()}:{digest}"


def result_list_html(*, request, listing: list, rows) -> SafeString:
    """The product list of a result page. `rows` is called only when the list is not
    stored (it prices and dresses the page's products)."""
    seconds = settings.SHOP_LISTING_CACHE_SECONDS
    if seconds <= 0:
        return _render(request, rows())
    key = result_list_key(request=request, listing=listing)
    stored = cache.get(key)
    if stored is None:
        stored = csrf_fields_strip(_render(request, rows()).encode())
        cache.set(key, stored, seconds)
    return mark_safe(csrf_fields_fill(request, stored).decode())


def _render(request, rows) -> str:
    context = {"rows": rows, "listing_view": listing_view(request)}
    return render_to_string(TEMPLATE, context, request=request)
