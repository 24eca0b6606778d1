"""The API's contract: /api/v1/schema/ is a valid OpenAPI 3.1 document that names
every /api/v1/ URL the site answers, and /api/v1/docs/ renders it in a browser
under the site's Content-Security-Policy."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from jsonschema import Draft202012Validator
from ninja.errors import ValidationError
from openapi_spec_validator import validate

from shop.api_urls import api

SCHEMA_URL = "/api/v1/schema/"
DOCS_URL = "/api/v1/docs/"
PUBLIC = {
    "/api/v1/",
    "/api/v1/search",
    "/api/v1/lookup",
    "/api/v1/products/{article}/",
    "/api/v1/availability",
    "/api/v1/prices",
}
AREAS = {
    "search",
    "catalogue",
    "cabinet orders",
    "lists",
    "quick order",
    "basket",
    "approvals",
    "reservations",
    "invoices",
    "serials",
}


def _api_routes(resolver=None, prefix=""):
    """(OpenAPI path, url name) of every pattern in the `api` namespace."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "api" or prefix:
                yield from _api_routes(entry, route)
        elif isinstance(entry, URLPattern) and prefix:
            yield re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route), entry.name


@pytest.fixture
def schema(db):
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_schema_is_valid_openapi_3_1(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.1.")
    assert schema["info"]["title"] == settings.OSCAR_SHOP_NAME
    assert schema["info"]["version"] == "1"


def test_the_schema_and_docs_have_their_names():
    assert reverse("api:openapi-json") == SCHEMA_URL
    assert reverse("api:openapi-view") == DOCS_URL


def test_the_schema_lists_every_api_url(schema):
    routes = dict(_api_routes())
    documented = set(schema["paths"])
    assert "/api/v1/cabinet/orders/{number}/" in routes
    assert set(routes) - {SCHEMA_URL, DOCS_URL} == documented


def test_every_operation_has_a_summary_a_tag_and_the_error_shape(schema):
    error = schema["components"]["schemas"]["ApiError"]
    assert error["required"] == ["detail"]
    tags = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert operation["security"][0] == {"ApiCaller": []}, (method, path)
            assert (operation["security"][1:] == [{}]) == (path in PUBLIC), path
            tags.update(operation["tags"])
            if path.startswith("/api/v1/cabinet/"):
                assert "401" in operation["responses"], (method, path)
    assert AREAS <= tags
    assert schema["components"]["securitySchemes"]["ApiCaller"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }


def test_bodies_read_by_the_endpoints_are_documented(schema):
    lookup = schema["paths"]["/api/v1/lookup"]["post"]["requestBody"]
    body = lookup["content"]["application/json"]["schema"]
    assert body["properties"]["numbers"]["maxItems"] == 5000
    basket = schema["paths"]["/api/v1/cabinet/basket/lines"]["post"]["requestBody"]
    items = basket["content"]["application/json"]["schema"]["properties"]["items"]
    assert set(items["items"]["properties"]) == {"product", "article", "quantity"}
    reservations = schema["paths"]["/api/v1/cabinet/reservations/"]
    assert set(reservations) == {"get", "post"}
    assert "201" in reservations["post"]["responses"]


@pytest.mark.django_db
def test_anonymous_callers_get_a_401_in_the_error_shape():
    response = Client().get(reverse("api:cabinet-orders"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Log in or send an API token."}


@pytest.mark.django_db
def test_a_session_post_without_its_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("api:lookup"), b'{"numbers": ["X"]}', content_type="application/json"
    )
    assert response.status_code == 403
    client.get(DOCS_URL)  # sets the CSRF cookie
    response = client.post(
        reverse("api:lookup"),
        b'{"numbers": ["X"]}',
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["query"] == "X"


@pytest.mark.django_db
def test_the_method_is_checked():
    response = Client().get(reverse("api:lookup"))
    assert response.status_code == 405


def test_ninja_validation_errors_are_a_400_with_a_detail(rf):
    error = ValidationError(
        [{"loc": ("query", "page"), "msg": "Input should be a valid integer"}]
    )
    response = api.on_exception(rf.get("/api/v1/search"), error)
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "page: Input should be a valid integer"
    }


@pytest.mark.django_db
def test_the_docs_page_uses_only_our_own_files():
    response = Client().get(DOCS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert SCHEMA_URL in html
    assert "cdn." not in html and "https://" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_page_renders_in_a_browser(chromium, live_server, artifacts):
    page = chromium.new_page()
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else 0,
    )
    try:
        page.goto(live_server.url + DOCS_URL)
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert settings.OSCAR_SHOP_NAME in page.inner_text(".swagger-ui .info .title")
        page.wait_for_selector("text=/api/v1/cabinet/orders/{number}/")
        assert page.locator(".opblock-tag").count() >= len(AREAS)
        page.screenshot(path=str(artifacts / "api_docs.png"))
    finally:
        page.close()
    assert refused == []


def _answers_as_documented(schema, path, method, response):
    """The answer's body is valid against what the schema declares for its status."""
    declared = schema["paths"][path][method]["responses"][str(response.status_code)]
    body_schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator(
        {**body_schema, "components": schema["components"]}
    )
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert errors == [], (method, path, errors)


def test_public_answers_match_the_schema(schema, client, catalogue):
    cases = [
        ("/api/v1/", "get", client.get("/api/v1/")),
        ("/api/v1/search", "get", client.get("/api/v1/search", {"q": "hb m8 40"})),
        (
            "/api/v1/lookup",
            "post",
            client.post(
                "/api/v1/lookup",
                {"numbers": ["HB-M8/40", "NOPE-1"]},
                content_type="application/json",
            ),
        ),
        (
            "/api/v1/lookup",
            "post",
            client.post("/api/v1/lookup", b"[", content_type="application/json"),
        ),
        ("/api/v1/cabinet/basket/", "get", client.get("/api/v1/cabinet/basket/")),
    ]
    assert [response.status_code for _p, _m, response in cases] == [
        200,
        200,
        200,
        400,
        401,
    ]
    assert cases[1][2].json()["count"] == 4
    for path, method, response in cases:
        _answers_as_documented(schema, path, method, response)


def test_cabinet_answers_match_the_schema(schema, buyer_client, catalogue):
    cases = [
        "/api/v1/cabinet/orders/",
        "/api/v1/cabinet/lists/",
        "/api/v1/cabinet/basket/",
        "/api/v1/cabinet/requisitions/",
        "/api/v1/cabinet/reservations/",
        "/api/v1/cabinet/invoices/",
        "/api/v1/cabinet/orders/NOPE/",
    ]
    for path in cases:
        response = buyer_client.get(path)
        documented = path if "NOPE" not in path else "/api/v1/cabinet/orders/{number}/"
        assert response.status_code == (404 if "NOPE" in path else 200), path
        _answers_as_documented(schema, documented, "get", response)
    added = buyer_client.post(
        "/api/v1/cabinet/basket/lines",
        {"items": [{"article": "HB-M8/40", "quantity": 2}]},
        content_type="application/json",
    )
    _answers_as_documented(schema, "/api/v1/cabinet/basket/lines", "post", added)
    resolved = buyer_client.post(
        "/api/v1/cabinet/quick-order/resolve",
        {"lines": "HB-M8/40 3\nNOPE 1"},
        content_type="application/json",
    )
    assert resolved.status_code == 200
    _answers_as_documented(
        schema, "/api/v1/cabinet/quick-order/resolve", "post", resolved
    )
