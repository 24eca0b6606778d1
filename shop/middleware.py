"""Site-wide middleware: a request id for the logs, HTML compression where BREACH
has nothing to read, and the language of a request (Wagtail pages by their URL)."""

import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

from shop.logs import request_id_clear, request_id_set

REQUEST_ID_HEADER = "X-Request-ID"
# An id the load balancer gave (nginx's $request_id, an AWS trace id) is kept so the
# two logs can be joined; anything else is replaced.
REQUEST_ID_VALID = re.compile(r"[A-Za-z0-9._:=+-]{8,128}")
# The URL names that serve a Wagtail page: `/` (`shop.views.home`) and the rest.
PAGE_URL_NAMES = frozenset({"home", "wagtail_serve"})


request_finished.connect(request_id_clear, dispatch_uid="shop_request_id_clear")


class RequestIdMiddleware:
    """Every log line written while a request runs carries its id (`shop.logs`), and
    the response says it (`X-Request-ID`), so a user's report finds its lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = (
            incoming if REQUEST_ID_VALID.fullmatch(incoming) else uuid.uuid4().hex
        )
        # Set for the rest of the request, not just this call: Django logs an error
        # response ("Not Found: ...") after the middleware returned; the id is
        # cleared when the response is closed (`request_finished`).
        request_id_set(request.request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class AnonymousGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text answers to visitors who are not signed in.

    BREACH reads a secret out of a compressed page that also reflects what the
    attacker sends. A visitor's page holds one secret, the CSRF token, and Django masks
    it anew in every response (since 1.10), so its compressed size tells nothing; the
    middleware also pads the gzip header with random bytes ("Heal the Breach",
    Django 4.2). A signed-in user's pages hold company data (contract prices, orders,
    invoices) next to reflected search words, so they are sent uncompressed. Static
    files are compressed ahead by whitenoise and never reach this middleware.
    """

    COMPRESSIBLE = {
        "text/html",
        "text/plain",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in self.COMPRESSIBLE:
            return response
        return super().process_response(request, response)


class PageLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for a URL map where only Wagtail's pages sit in
    `i18n_patterns(prefix_default_language=False)`.

    Django's own forces LANGUAGE_CODE on every unprefixed path once any i18n pattern
    exists, which would ignore the visitor's cookie on the shop's pages. Here a
    `/ru/...` path speaks its prefix, an unprefixed Wagtail page (`/`, `/articles/`)
    is the English one and speaks English (the pattern resolves only then), and every
    other page speaks the visitor's language: cookie, then Accept-Language."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language:
            if _is_default_language_page(request):
                language = settings.LANGUAGE_CODE
            else:
                language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _is_default_language_page(request) -> bool:
    urlconf = getattr(request, "urlconf", None)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(request.path_info, urlconf)
        except Resolver404:
            return False
    # The namespaced name: `cabinet:home` is no Wagtail page.
    return match.view_name in PAGE_URL_NAMES
