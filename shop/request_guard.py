"""Input no page or endpoint can use is refused before any view sees it.

A NUL character has no meaning in a URL, a form field or a JSON string of this shop,
and PostgreSQL refuses it in text (`DataError`), which would surface as a 500 on
whichever query first meets it. `NulRefusalMiddleware` answers such a request with a
400 that says what is wrong (JSON under the API prefix), and nothing runs. So it does
a body too large to read: past SHOP_API_MAX_BODY_BYTES under the API prefix, past
Django's DATA_UPLOAD_MAX_MEMORY_SIZE anywhere, a 413; a Content-Length that is not
a number, a 400."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.api import api_body_too_big, api_error

# The JSON spelling of NUL; refusing the rare escaped backslash followed by "u0000"
# as well is the price of not parsing every body twice.
_JSON_NUL = b"\\u0000"
# The bodies read here (multipart ones stream their files to disk, unread).
_READ_HERE = ("application/json", "application/x-www-form-urlencoded")


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values)


def request_has_nul(request) -> bool:
    """A NUL in the path, the query, a form field, or a JSON body."""
    if "\x00" in request.path:
        return True
    if _has_nul(request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/json":
        return b"\x00" in request.body or _JSON_NUL in request.body.lower()
    if content_type == "application/x-www-form-urlencoded":
        # The raw body first, so a view that reads `request.body` still can (the
        # form is then parsed from the kept copy); Django bounds its size.
        return b"%00" in request.body or _has_nul(request.POST.lists())
    # Multipart bodies are not read here (files stream to disk); their text fields
    # meet Django's own NUL validator on every form CharField.
    return False


class NulRefusalMiddleware:
    """Above the page cache (a cached page would otherwise answer the request) and
    below the language middleware (the message is in the visitor's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith(getattr(settings, "SHOP_API_PREFIX", "/api/"))
        refused = self._unreadable(request, is_api=is_api)
        if refused is not None:
            return refused
        if request_has_nul(request):
            message = _(
                "The request contains a NUL character (\\0), which no field accepts. "
                "Remove it and try again."
            )
            if is_api:
                return api_error(message, 400)
            # A page of its own: this runs above the page cache and the login, so
            # the site's layout (the basket, the user's menu) is not available yet.
            return HttpResponseBadRequest(
                render_to_string("400.html", {"message": message})
            )
        return self.get_response(request)

    @staticmethod
    def _unreadable(request, *, is_api: bool):
        """The answer to a body that cannot be read, or None."""
        try:
            if is_api:
                too_big = api_body_too_big(request)
                if too_big is not None:
                    return too_big
            if request.method not in ("GET", "HEAD", "OPTIONS") and (
                request.content_type in _READ_HERE
            ):
                request.body  # noqa: B018 — reads it once, within Django's limit
        except ValueError:  # Content-Length that is not a number
            message = _("The Content-Length header must be a number.")
            if is_api:
                return api_error(message, 400)
            return HttpResponseBadRequest(
                render_to_string("400.html", {"message": message})
            )
        except RequestDataTooBig:
            message = _("The request is too large.")
            if is_api:
                return api_error(message, 413)
            return HttpResponse(
                render_to_string("400.html", {"message": message}), status=413
            )
        return None
