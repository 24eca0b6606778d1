"""HTML compression where BREACH has nothing to read: visitors' text answers are
gzipped; a signed-in user's pages and binary answers are not (`shop.middleware`)."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from shop.middleware import AnonymousGZipMiddleware

pytestmark = pytest.mark.django_db


def test_the_catalogue_comes_gzipped_to_a_visitor_who_asks(client):
    plain = client.get("/catalogue/")
    packed = client.get("/catalogue/", HTTP_ACCEPT_ENCODING="gzip")

    assert plain.status_code == packed.status_code == 200
    assert plain.get("Content-Encoding") is None
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert b"</html>" in html
    assert len(packed.content) * 3 < len(html)


def test_a_visitors_csrf_token_differs_in_every_compressed_page(client):
    """The token BREACH would guess at is masked anew per response."""
    pages = [
        gzip.decompress(
            client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content
        )
        for _ in range(2)
    ]
    tokens = [
        page.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0]
        for page in pages
    ]
    assert tokens[0] != tokens[1]


def test_api_json_is_gzipped_for_visitors(client):
    response = client.get("/api/v1/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", ["/catalogue/", "/cabinet/", "/cabinet/orders/"])
def test_a_signed_in_buyers_pages_are_not_compressed(buyer_client, url):
    response = buyer_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.get("Content-Encoding") is None
    assert b"</html>" in response.content


def test_binary_answers_are_left_alone():
    request = RequestFactory().get("/media/images/a.png", HTTP_ACCEPT_ENCODING="gzip")
    body = b"\x89PNG" + b"\0" * 4000
    middleware = AnonymousGZipMiddleware(
        lambda request: HttpResponse(body, content_type="image/png")
    )
    response = middleware(request)
    assert response.get("Content-Encoding") is None
    assert response.content == body
