"""The page cache and the listing cache: a visitor's page comes from the cache with no
query, a change to prices or stock shows on the next request, a signed-in buyer
never gets a visitor's page and prices a shared listing with their own prices, POSTs
pass by, and the forms of a cached page still post (CSRF)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.analytics.models import ProductRecord

from catalog.models import Category, CompanyPartNumber
from catalog.partner.strategy import CompanyPricing
from catalog.pricing.models import PriceList
from catalog.product_views import product_views_flush
from content.models import Lead
from core.csrf import PLACEHOLDER
from sales.basket.models import Basket
from search.backends import get_backend
from search.backends.shared import DatabaseBackend
from shop.cache import HEADER, page_cache_key
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
# Every answer, one from the cache too, has a nonce of its own (`shop.csp`).
NONCE = re.compile(r'nonce="[A-Za-z0-9+/=]+"')


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    settings.SHOP_LISTING_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()
    product_views_flush()  # nothing counted here reaches the next test


@pytest.fixture
def shelf(db):
    """A category of two products on the public list, one in stock."""
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST, currency="RUB")
    category = Category.add_root(name="Bearings", slug="bearings")
    products = []
    for article, price, stock in (("BRG-100", "100.00", 7), ("BRG-200", "200.00", 0)):
        product = ProductFactory(article=article, title=f"Bearing {article}")
        product.categories.add(category)
        StockRecordFactory(product=product, num_in_stock=stock)
        PriceListItemFactory(price_list=public, product=product, price=Decimal(price))
        products.append(product)
    get_backend().rebuild()  # the listing reads the index (on PostgreSQL)
    return {"category": category, "products": products, "public": public}


def _buyer_client(company) -> Client:
    client = Client()
    client.force_login(MembershipFactory(company=company, role="buyer").user)
    return client


def _urls(shelf) -> list[str]:
    return [
        shelf["category"].get_absolute_url(),
        shelf["products"][0].get_absolute_url(),
        "/search/?q=BRG-100",
        "/catalogue/",
    ]


def test_a_visitors_page_is_served_from_the_cache_without_a_query(
    client, shelf, django_assert_max_num_queries
):
    for url in _urls(shelf):
        first = client.get(url)
        assert first.status_code == 200 and first[HEADER] == "miss", url
        with django_assert_max_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200 and second[HEADER] == "hit", url
        assert NONCE.sub("", TOKEN.sub("", second.content.decode())) == NONCE.sub(
            "", TOKEN.sub("", first.content.decode())
        )
    assert "BRG-100" in second.content.decode()


def test_a_price_or_stock_change_shows_on_the_next_request(
    client, shelf, django_capture_on_commit_callbacks
):
    product = shelf["products"][0]
    url = product.get_absolute_url()
    listing = shelf["category"].get_absolute_url()
    assert "100.00" in client.get(url).content.decode()
    assert "In stock: 7" in client.get(url).content.decode()
    client.get(listing)
    assert client.get(listing)[HEADER] == "hit"

    item = shelf["public"].items.get(product=product)
    record = product.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        item.price = Decimal("123.45")
        item.save()
        record.num_in_stock = 0
        record.save()

    page = client.get(url)
    assert page[HEADER] == "miss"
    html = page.content.decode()
    assert "123.45" in html and "100.00" not in html
    assert "In stock: 7" not in html
    assert client.get(listing)[HEADER] == "miss"  # the in-stock count moved too


def test_a_product_taken_off_the_catalogue_leaves_the_cached_listing_at_once(
    client, shelf, django_capture_on_commit_callbacks
):
    """The listing is cached from the search index: the re-indexing after the
    commit moves the version on, for visitors' pages and buyers' listings alike."""
    url = shelf["category"].get_absolute_url()
    buyer = _buyer_client(CompanyFactory())
    for reader in (client, buyer):
        assert "BRG-200" in reader.get(url).content.decode()
    hidden = shelf["products"][1]
    with django_capture_on_commit_callbacks(execute=True):
        hidden.is_public = False
        hidden.save()
    for reader in (client, buyer):
        html = reader.get(url).content.decode()
        assert "BRG-100" in html and "BRG-200" not in html


def test_a_signed_in_buyer_never_gets_a_visitors_page(client, shelf):
    url = shelf["category"].get_absolute_url()
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    company = CompanyFactory(name="Buyer Company")
    buyer = _buyer_client(company)
    page = buyer.get(url)
    assert HEADER not in page  # rendered for the buyer, and not stored either
    assert 'class="topbar__company"' in page.content.decode()
    visitor = Client().get(url)
    assert visitor[HEADER] == "hit"
    assert "Buyer Company" not in visitor.content.decode()


def test_visitors_with_a_basket_a_message_or_a_session_are_not_served_from_it(
    client, shelf
):
    url = shelf["category"].get_absolute_url()
    client.get(url)
    for cookie in (
        settings.OSCAR_BASKET_COOKIE_OPEN,
        "messages",
        settings.SESSION_COOKIE_NAME,
    ):
        visitor = Client()
        visitor.cookies[cookie] = "x"
        assert HEADER not in visitor.get(url), cookie


def test_two_companies_price_the_same_cached_listing_with_their_own_prices(
    shelf, monkeypatch
):
    searches = []
    original = DatabaseBackend.search

    def counted(self, **kwargs):
        searches.append(kwargs)
        return original(self, **kwargs)

    monkeypatch.setattr(DatabaseBackend, "search", counted)
    product = shelf["products"][0]
    buyers = {}
    for price in ("91.00", "77.00"):
        company = CompanyFactory()
        terms = CompanyPriceTermsFactory(company=company)
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal(price)
        )
        buyers[price] = _buyer_client(company)
    url = shelf["category"].get_absolute_url()
    pages = {
        price: client.get(url).content.decode() for price, client in buyers.items()
    }
    assert len(searches) == 1  # the second buyer's listing came from the cache
    assert "91.00" in pages["91.00"] and "77.00" not in pages["91.00"]
    assert "77.00" in pages["77.00"] and "91.00" not in pages["77.00"]


def test_a_companys_own_part_number_is_not_shared_through_the_listing_cache(shelf):
    product = shelf["products"][1]
    owner = CompanyFactory()
    CompanyPartNumber.objects.create(company=owner, product=product, number="OWN-55")
    url = "/search/?q=OWN-55"
    assert "BRG-200" in _buyer_client(owner).get(url).content.decode()
    assert "BRG-200" not in _buyer_client(CompanyFactory()).get(url).content.decode()
    assert "BRG-200" not in Client().get(url).content.decode()


def test_a_post_is_never_served_from_the_cache_nor_stored(client, shelf):
    url = "/search/?q=BRG-100"
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    posted = client.post(url)
    assert posted.status_code == 405 and HEADER not in posted
    cache.clear()
    client.post(url)
    assert client.get(url)[HEADER] == "miss"


def test_the_forms_of_a_cached_page_post_with_the_visitors_own_token(shelf):
    url = shelf["products"][0].get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    first.get(url)
    content, _headers = cache.get(page_cache_key(RequestFactory().get(url)))
    assert PLACEHOLDER in content and b"csrfmiddlewaretoken" in content
    assert not TOKEN.search(content.decode())  # no token of anyone's is stored
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert page[HEADER] == "hit"
    html = page.content.decode()
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # every form of the page, one token
    (token,) = tokens
    assert token not in first.get(url).content.decode()  # each visitor their own
    language = visitor.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": token, "language": "ru", "next": url},
    )
    assert language.status_code == 302
    russian = visitor.get(url)  # a page of its own, not the English one
    assert russian[HEADER] == "miss" and 'lang="ru"' in russian.content.decode()
    lead = visitor.post(
        reverse("content:lead"),
        {
            "csrfmiddlewaretoken": token,
            "kind": "consultation",
            "contact": "a@b.ru",
            "consent": "on",
        },
    )
    assert lead.status_code in (200, 302)
    assert Lead.objects.filter(email="a@b.ru").exists()


def test_a_buyer_adds_to_the_basket_from_a_product_page_visitors_have_cached(shelf):
    product = shelf["products"][0]
    url = product.get_absolute_url()
    Client().get(url)
    assert Client().get(url)[HEADER] == "hit"
    company = CompanyFactory()
    CompanyPriceTermsFactory(company=company)
    membership = MembershipFactory(company=company, role="buyer")
    buyer = Client(enforce_csrf_checks=True)
    buyer.force_login(membership.user)
    html = buyer.get(url).content.decode()
    form = re.search(r'<form action="([^"]+)" method="post" class="add-to-basket', html)
    assert form, "the buyer's page has the basket form"
    (token,) = set(TOKEN.findall(html))
    added = buyer.post(
        form[1], {"csrfmiddlewaretoken": token, "quantity": "1", "next": url}
    )
    assert added.status_code == 302
    basket = Basket.objects.get(owner=membership.user)
    assert [line.product_id for line in basket.lines.all()] == [product.pk]


def test_views_of_cached_pages_are_counted_without_a_write_per_page(client, shelf):
    product = shelf["products"][0]
    for _ in range(3):
        assert client.get(product.get_absolute_url()).status_code == 200
    assert not ProductRecord.objects.exists()
    assert product_views_flush() == 3
    assert ProductRecord.objects.get(product=product).num_views == 3


# A signed-in viewer's product list (search.fragments): cached per company, status,
# right to order, language and day; each reader's own CSRF token.


def _pricing_calls(monkeypatch) -> list:
    calls = []
    original = CompanyPricing.prefetch

    def counted(self, products):
        calls.append(len(list(products)))
        return original(self, products)

    monkeypatch.setattr(CompanyPricing, "prefetch", counted)
    return calls


def test_a_buyers_list_is_priced_once_for_the_company_and_never_for_another(
    shelf, monkeypatch
):
    calls = _pricing_calls(monkeypatch)
    product = shelf["products"][0]
    company, other = CompanyFactory(), CompanyFactory()
    for owner, price in ((company, "91.00"), (other, "77.00")):
        terms = CompanyPriceTermsFactory(company=owner)
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal(price)
        )
    url = shelf["category"].get_absolute_url()
    colleagues = [_buyer_client(company), _buyer_client(company)]
    pages = [reader.get(url).content.decode() for reader in colleagues]
    assert len(calls) == 1  # the colleague's list came from the cache
    assert all("91.00" in page and "77.00" not in page for page in pages)
    foreign = _buyer_client(other).get(url).content.decode()
    assert len(calls) == 2
    assert "77.00" in foreign and "91.00" not in foreign


def test_the_stored_list_holds_no_token_and_each_colleague_posts_with_their_own(
    shelf,
):
    company = CompanyFactory()
    CompanyPriceTermsFactory(company=company)
    url = shelf["category"].get_absolute_url()
    readers = []
    for _ in range(2):
        membership = MembershipFactory(company=company, role="buyer")
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(membership.user)
        readers.append((membership, reader))
    tokens = []
    for _membership, reader in readers:
        html = reader.get(url).content.decode()
        assert 'class="add-to-basket' in html
        tokens.append(set(TOKEN.findall(html)))
    assert all(tokens) and not tokens[0] & tokens[1]  # no token passed on
    stored = [
        cache.get(key.split(":", 2)[2])  # LocMemCache keys are ":<version>:<key>"
        for key in list(cache._cache)
        if "result-list:" in key
    ]
    assert stored and all(
        PLACEHOLDER in value and not TOKEN.search(value.decode()) for value in stored
    )
    membership, reader = readers[1]
    token = sorted(tokens[1])[0]
    added = reader.post(
        reverse("basket:add", kwargs={"pk": shelf["products"][0].pk}),
        {"csrfmiddlewaretoken": token, "quantity": "1", "next": url},
    )
    assert added.status_code == 302
    assert Basket.objects.get(owner=membership.user).lines.count() == 1


def test_who_may_not_order_and_a_company_not_yet_approved_get_lists_of_their_own(
    shelf,
):
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    PriceListItemFactory(
        price_list=terms.price_list, product=shelf["products"][0], price=Decimal("55")
    )
    url = shelf["category"].get_absolute_url()
    assert 'class="add-to-basket' in _buyer_client(company).get(url).content.decode()
    accountant = Client()
    accountant.force_login(MembershipFactory(company=company, role="accountant").user)
    html = accountant.get(url).content.decode()
    assert "55.00" in html and 'class="add-to-basket' not in html

    company.status = company.Status.PENDING
    company.save(update_fields=["status"])
    pending = _buyer_client(company).get(url).content.decode()
    assert "55.00" not in pending and "100.00" in pending  # the list price again
    assert 'class="add-to-basket' not in pending


def test_a_price_change_reaches_the_buyers_cached_list(
    shelf, django_capture_on_commit_callbacks
):
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    item = PriceListItemFactory(
        price_list=terms.price_list, product=shelf["products"][0], price=Decimal("61")
    )
    reader = _buyer_client(company)
    url = shelf["category"].get_absolute_url()
    assert "61.00" in reader.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item.price = Decimal("62.50")
        item.save()
    html = reader.get(url).content.decode()
    assert "62.50" in html and "61.00" not in html


def test_a_cached_list_costs_the_buyer_no_pricing_query(shelf):
    company = CompanyFactory()
    CompanyPriceTermsFactory(company=company)
    reader = _buyer_client(company)
    url = shelf["category"].get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        reader.get(url)
    with CaptureQueriesContext(connection) as second:
        reader.get(url)
    priced = [q["sql"] for q in first.captured_queries if "pricing_" in q["sql"]]
    assert priced, "the first list is priced"
    assert not [q for q in second.captured_queries if "pricing_" in q["sql"]]
    assert len(second) < len(first)
