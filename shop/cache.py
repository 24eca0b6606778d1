"""The page cache: visitors' catalogue, category, product and search pages, kept for
SHOP_PAGE_CACHE_SECONDS under the full URL, the language and the currency, and under
the catalogue's version (`catalog.cache`), so a change to products, stock or prices
shows on the next request. docs/ARCHITECTURE.md ("Caching") says why it is not
Django's cache middleware.

Only a visitor's page is shared: a request with a session (anyone signed in), a
basket or a message waiting is neither served from the cache nor stored in it; GET
and HEAD only, and only a 200 that sets no cookie and wrote nothing to a session.

CSRF: the forms of these pages (language switch, the short request form) need a
token masked from the visitor's own CSRF cookie. A page to be stored is rendered
with a throw-away secret that no visitor ever holds, and its token fields are stored
as a placeholder; every answer, the first one included, gets its visitor's token
there (`get_token`, so CsrfViewMiddleware sets the cookie of a new visitor). No
stored page carries a secret anyone can use.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string

from catalog.cache import catalog_cache_version
from catalog.product_views import product_view_count
from core.csrf import csrf_fields_fill, csrf_fields_strip

HEADER = "X-Page-Cache"  # hit or miss, for the benchmark and the curious
# Response headers that belong to one answer, not to the page.
UNSTORED_HEADERS = frozenset({"content-length", HEADER.lower()})


def _count_product_view(match) -> None:
    product_view_count(product_id=int(match.kwargs["pk"]))


# The pages cached (URL names), and what a page served from the cache still does.
CACHED_VIEWS = {
    "catalogue:index": None,
    "catalogue:category": None,
    "catalogue:detail": _count_product_view,
    "search:search": None,
}


def _is_visitor(request) -> bool:
    """No session, no basket, no message, no credentials: nothing of the page can be
    the person's own."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or CookieStorage.cookie_name in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def page_cache_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    parts = f"{url}\n{language}\n{settings.OSCAR_DEFAULT_CURRENCY}"
    digest = hashlib.sha256(parts.encode()).hexdigest()
    return f"page:{catalog_cache_version()}:{digest}"


class PageCacheMiddleware:
    """Must come after LocaleMiddleware (the language is part of the key) and
    CsrfViewMiddleware (which sets the cookie of the token put in), and before
    everything that may set a cookie on a visitor's answer (authentication,
    messages, the basket), so it sees those cookies and does not store the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        fill = getattr(request, "_page_cache_fill", None)
        if fill is None:
            return response
        key, csrf_state = fill
        _csrf_restore(request, csrf_state)
        if response.streaming:
            return response
        # The throw-away tokens out, whether the page is stored or not.
        response.content = csrf_fields_strip(response.content)
        if _storable(request, response):
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            cache.set(
                key, (response.content, headers), settings.SHOP_PAGE_CACHE_SECONDS
            )
        response[HEADER] = "miss"
        return _with_token(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not (
            settings.SHOP_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in CACHED_VIEWS
            and _is_visitor(request)
        ):
            return None
        key = page_cache_key(request)
        stored = cache.get(key)
        if stored is None:
            if request.method == "GET":
                request._page_cache_fill = (key, _csrf_throwaway(request))
            return None
        hook = CACHED_VIEWS[match.view_name]
        if hook is not None:
            hook(match)
        content, headers = stored
        response = HttpResponse(content, headers=headers)
        response[HEADER] = "hit"
        return _with_token(request, response)


def _storable(request, response) -> bool:
    """A visitor's 200 page that sets no cookie, wrote no session and says nothing
    against being shared."""
    cache_control = response.get("Cache-Control", "")
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return all(
        (
            response.status_code == 200,
            not response.cookies,
            "private" not in cache_control and "no-store" not in cache_control,
            response.get("Content-Type", "").startswith("text/html"),
            session is None or not session.modified,
            user is None or not user.is_authenticated,
        )
    )


def _csrf_throwaway(request):
    """Render the page with a secret nobody holds; the visitor's own comes back
    after the view (`_csrf_restore`)."""
    state = (
        request.META.get("CSRF_COOKIE"),
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE"),
    )
    request.META["CSRF_COOKIE"] = get_random_string(
        CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS
    )
    return state


def _csrf_restore(request, state) -> None:
    secret, needs_update = state
    if secret is None:
        request.META.pop("CSRF_COOKIE", None)
    else:
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = bool(needs_update)


def _with_token(request, response):
    """The page with its visitor's token in the token fields."""
    response.content = csrf_fields_fill(request, response.content)
    return response
