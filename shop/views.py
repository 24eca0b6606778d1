"""Site-wide views: the home page (Wagtail's root), styled error pages (a CSRF failure
on the JSON API answered as JSON), the guard on Oscar's own order pages, and
Oscar's consumer account pages sending business users to the cabinet."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from wagtail.views import serve

from core.api import api_error


def home(request):
    # `/` is Wagtail's home page; named "home" because Oscar's templates link to it.
    return serve(request, "")


def _is_api(request) -> bool:
    return request.path.startswith(getattr(settings, "SHOP_API_PREFIX", "/api/"))


def page_not_found(request, exception=None):
    """The site's 404 page; under the API prefix (a URL no endpoint has, an id that
    is not a number) the API's own error shape."""
    if _is_api(request):
        return api_error(_("Not found."), 404)
    return render(request, "404.html", status=404)


def api_not_found(request):
    return api_error(_("Not found: no API endpoint has this address."), 404)


def csrf_failure(request, reason=""):
    """`CSRF_FAILURE_VIEW`: a browser session's POST to the JSON API without its
    CSRF token gets the API's own error shape; pages keep Django's explanation."""
    if _is_api(request):
        return api_error(
            _(
                "CSRF check failed: a session caller sends the X-CSRFToken header; "
                "or use an API token (Authorization: Token <key>)."
            ),
            403,
        )
    return django_csrf_failure(request, reason=reason)


def server_error(request):
    if _is_api(request):
        return api_error(_("Server error: the request was not completed."), 500)
    # A static page rendered without a request context: it must render even when the
    # database, the cache or a context processor is what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


@login_required
def oscar_order_page(request, order_number, line_id=None):
    """Oscar's own order pages (`/accounts/orders/<number>/[<line>/]`) reorder with
    `basket.add_product`, past the basket service. Reading the order stays Oscar's; a
    POST (reorder) changes nothing and goes to the cabinet's order page, where
    reorder checks role, MOQ, stock and price (a foreign order is a 404 there), and
    so does the line page (Oscar ships no template for it)."""
    if request.method == "POST":
        messages.info(
            request,
            _(
                "Reorder from the order page of your cabinet: prices and stock "
                "are checked there."
            ),
        )
        return redirect("cabinet:order-detail", number=order_number)
    if line_id is not None:
        # Oscar's line page has no template of its own: the order page shows lines.
        return redirect("cabinet:order-detail", number=order_number)
    view = apps.get_app_config("customer").order_detail_view.as_view()
    return view(request, order_number=order_number)


# Oscar's consumer account pages (`/accounts/<section>/…`) → the cabinet page that
# does the job for a member of a company.
CABINET_PAGES = {
    "wishlists": "cabinet:list-index",
    "alerts": "cabinet:home",
    "orders": "cabinet:order-list",
    "profile": "cabinet:profile",
}


def oscar_consumer_page(request, section, **kwargs):
    """A user acting for a company gets the cabinet page (purchase lists, order
    history, profile); anyone else Oscar's own page at the same URL."""
    if getattr(request, "membership", None) is not None:
        return redirect(CABINET_PAGES[section])
    match = _oscar_customer_urls().resolve(request.path_info)
    request.resolver_match = match
    return match.func(request, *match.args, **match.kwargs)


def _oscar_customer_urls() -> URLResolver:
    patterns = apps.get_app_config("customer").urls[0]
    return URLResolver(RegexPattern(r"^/accounts/"), patterns)
