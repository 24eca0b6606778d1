"""Site-wide middleware: a request id for the logs, and HTML compression where BREACH
has nothing to read."""

import re
import uuid

from django.core.signals import request_finished
from django.middleware.gzip import GZipMiddleware

from shop.logs import request_id_clear, request_id_set

REQUEST_ID_HEADER = "X-Request-ID"
# An id the load balancer gave (nginx's $request_id, an AWS trace id) is kept so the
# two logs can be joined; anything else is replaced.
REQUEST_ID_VALID = re.compile(r"[A-Za-z0-9._:=+-]{8,128}")


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
