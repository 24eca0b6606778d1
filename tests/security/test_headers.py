"""Content-Security-Policy: the storefront's strict policy with a nonce per answer,
the back offices' relaxed one, and a page from the page cache with a fresh nonce."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from catalog.models import Category
from shop.cache import HEADER as PAGE_CACHE
from shop.csp import page_nonce_renew
from tests.factories import (
    PartnerFactory,
    ProductFactory,
    StaffFactory,
    StockRecordFactory,
)

pytestmark = pytest.mark.django_db
CSP = "Content-Security-Policy"
SCRIPT_NONCE = re.compile(r'<script nonce="([^"]+)">')


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response[CSP].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def _header_nonce(policy) -> str:
    (nonce,) = [
        word[len("'nonce-") : -1]
        for word in policy["script-src"]
        if word.startswith("'nonce-")
    ]
    return nonce


@pytest.fixture
def product(db):
    category = Category.add_root(name="Bearings", slug="bearings")
    product = ProductFactory(title="Ball bearing 6205", article="6205-2RS")
    product.categories.add(category)
    StockRecordFactory(product=product, partner=PartnerFactory(name="Moscow"))
    return product


def _assert_storefront_policy(response):
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert "https://js.stripe.com" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert set(policy["frame-src"]) >= {
        "https://js.stripe.com",
        "https://hooks.stripe.com",
    }
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["style-src-elem"] == ["'self'"]
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    return policy


def test_storefront_pages_carry_the_strict_policy(client, buyer, product):
    urls = ["/", product.get_absolute_url(), "/basket/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_storefront_policy(response)
    client.force_login(buyer)
    for url in [*urls, "/cabinet/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_storefront_policy(response)


def test_the_inline_script_carries_the_nonce_the_header_names(client, product):
    first = client.get(product.get_absolute_url())
    second = client.get(product.get_absolute_url())
    nonces = []
    for response in (first, second):
        nonce = _header_nonce(_policy(response))
        in_page = SCRIPT_NONCE.findall(response.content.decode())
        assert in_page and set(in_page) == {nonce}
        assert len(nonce) >= 22
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_page_from_the_cache_gets_a_fresh_nonce(settings, client, product):
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    cache.clear()
    try:
        answers = [client.get(product.get_absolute_url()) for _ in range(3)]
    finally:
        cache.clear()
    assert [a[PAGE_CACHE] for a in answers] == ["miss", "hit", "hit"]
    nonces = []
    for response in answers:
        nonce = _header_nonce(_assert_storefront_policy(response))
        assert set(SCRIPT_NONCE.findall(response.content.decode())) == {nonce}
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_a_script_nonce_the_policy_never_named_stays_unknown():
    """A stored page's nonce is replaced where it stood; any other `nonce` value in
    the page (injected markup) does not become valid."""

    class Request:
        csp_nonce = "fresh"

    response = HttpResponse(
        '<script nonce="stored">ok()</script><script nonce="guess">evil()</script>'
    )
    response[CSP] = "script-src 'self' 'nonce-stored'"
    page_nonce_renew(Request(), response)
    assert CSP not in response
    assert response.content.decode() == (
        '<script nonce="fresh">ok()</script><script nonce="guess">evil()</script>'
    )


def test_back_offices_answer_staff_with_their_relaxed_policy(client):
    client.force_login(StaffFactory(is_superuser=True))
    for url in ["/dashboard/", "/cms/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert "'unsafe-inline'" in policy["style-src-elem"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert not any("nonce" in word for words in policy.values() for word in words)


def test_an_error_page_may_style_itself_but_runs_no_inline_script():
    response = Client(enforce_csrf_checks=True).post("/basket/", {})
    assert response.status_code == 403
    policy = _policy(response)
    assert policy["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]
