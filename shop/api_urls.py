"""The JSON API, version 1: one django-ninja `NinjaAPI` (namespace `api`) mounted at
/api/v1/; each app contributes a `Router` of its endpoints. The OpenAPI 3.1
description is at /api/v1/schema/, its documentation page at /api/v1/docs/."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from cabinet.api_urls import router as cabinet_router
from catalog.api_views import router as catalog_router
from catalog.pricing.api_views import router as pricing_router
from core.api import ApiRefused, api_error
from invoicing.serials_api import router as serials_router
from search.api_views import router as search_router
from shop import api_views

ERROR_BODY = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}
# What any operation may answer before it runs (`shop.request_guard`, the token
# check of `accounts.middleware`): every body may be too large, every token call
# may be over its rate.
SHARED_REFUSALS = {
    413: "The body is larger than the API reads",
    429: "Too many requests from this API token, or wrong tokens from the address",
}


class ShopAPI(NinjaAPI):
    """The API's root is our own `index` (api:index), not ninja's empty root view;
    the schema names the refusals every operation shares."""

    def get_root_path(self, path_params: dict) -> str:
        return reverse(f"{self.urls_namespace}:index", kwargs=path_params)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in SHARED_REFUSALS.items():
                    # ninja's own keys are numbers: one key per status in the JSON
                    if status in responses or str(status) in responses:
                        continue
                    if status == 413 and "requestBody" not in operation:
                        continue
                    responses[status] = {**ERROR_BODY, "description": description}
        return schema


DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{css}">
<link rel="icon" href="{icon}">
</head>
<body data-csrf-token="{csrf}" data-api-csrf="true">
<script type="application/json" id="swagger-settings">{settings}</script>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""


class ShopSwagger(Swagger):
    """Ninja's Swagger UI page from our own static files (no CDN: the site's
    Content-Security-Policy allows only our own scripts); "Try it out" sends the
    session's CSRF token."""

    def render_page(self, request, api, **kwargs) -> HttpResponse:
        settings_json = json.dumps({**self.settings, "url": api_schema_url(api)})
        return HttpResponse(
            DOCS_PAGE.format(
                title=escape(api.title),
                css=static("ninja/swagger-ui.css"),
                icon=static("ninja/favicon.png"),
                csrf=escape(get_token(request)),
                settings=settings_json.replace("<", "\\u003c"),
                bundle=static("ninja/swagger-ui-bundle.js"),
                init=static("ninja/swagger-ui-init.js"),
            )
        )


def api_schema_url(api) -> str:
    return reverse(f"{api.urls_namespace}:openapi-json")


api = ShopAPI(
    title=settings.OSCAR_SHOP_NAME,
    version="1",
    description=(
        "The shop's JSON API. Call it with a browser session (POSTs need the CSRF "
        "token) or with the header `Authorization: Token <key>`; a token needs the "
        'scope the endpoint names. Every refusal is `{"detail": "..."}`.'
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=ShopSwagger(),
)


@api.exception_handler(ApiRefused)
def _refused(request, exc):
    return exc.response


@api.exception_handler(AuthenticationError)
def _anonymous(request, exc):
    return api_error(_("Log in or send an API token."), 401)


def _readable(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())[1:])
    message = error.get("msg", "")
    return f"{where}: {message}" if where else str(message)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE sent without its length."""
    return api_error(_("The body is too large."), 413)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api_error("; ".join(_readable(e) for e in exc.errors[:10]), 400)


api.add_router("", api_views.router)
api.add_router("", search_router)
api.add_router("", pricing_router)
api.add_router("", catalog_router)
api.add_router("", serials_router)
api.add_router("cabinet/", cabinet_router)


def _patterns(patterns):
    """One pattern per path: ninja yields one per operation (GET and POST on one
    path share a view), and our `index` replaces its empty root view."""
    seen = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if pattern.name != "api-root" and route not in seen:
            seen.add(route)
            yield pattern


app_name = api.urls_namespace
urlpatterns = list(_patterns(api.urls[0]))
