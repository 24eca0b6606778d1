"""Search that finishes the job: suggestions with stock and the viewer's own price,
an empty result that offers the request form and a person to ask, English names for
an English visitor. On SQLite and PostgreSQL."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import Company
from catalog.pricing.models import PriceList
from search.backends import get_backend
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StaffFactory,
    StockRecordFactory,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RU = {"HTTP_ACCEPT_LANGUAGE": "ru-RU,ru;q=0.9"}


@pytest.fixture
def prices(catalogue, company):
    """The ball bearing: list 200, our company's dealer list 150, another company's
    list 1."""
    ball = catalogue["products"]["ball"]
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST)
    PriceListItemFactory(price_list=public, product=ball, price=Decimal("200"))
    dealer = PriceListFactory(code="dealer", name="Dealer")
    PriceListItemFactory(price_list=dealer, product=ball, price=Decimal("150"))
    CompanyPriceTermsFactory(company=company, price_list=dealer)
    other = PriceListFactory(code="other", name="Other")
    PriceListItemFactory(price_list=other, product=ball, price=Decimal("1"))
    CompanyPriceTermsFactory(company=CompanyFactory(), price_list=other)
    return catalogue


def _suggestions(client, q, **headers):
    response = client.get("/search/autocomplete/", {"q": q}, **headers)
    assert response.status_code == 200
    return response.json()


def test_a_suggestion_has_article_name_stock_price_and_link(buyer_client, prices):
    data = _suggestions(buyer_client, "hb-m8/40")
    first = data["suggestions"][0]
    ball = prices["products"]["ball"]
    assert first["article"] == "HB-M8/40"
    assert first["name"] == "Подшипник шариковый 6204-2RS"
    assert first["url"] == ball.get_absolute_url()
    assert first["in_stock"] is True
    assert first["availability"] == "In stock: 10"
    # The buyer's own (dealer) price, net; never the other company's.
    assert "150" in first["price"] and first["price"].endswith("excl. VAT")
    assert "1.00" not in first["price"] and "200" not in first["price"]
    assert data["label"] == "Suggestions"
    assert data["status"].startswith(f"{len(data['suggestions'])} suggestion")


def test_a_visitor_gets_no_company_price(client, prices):
    first = _suggestions(client, "hb-m8/40")["suggestions"][0]
    assert "150" not in first["price"] and "1.00" not in first["price"]


def test_suggestions_without_stock_say_on_request(client, catalogue):
    first = _suggestions(client, "BELT-1000")["suggestions"][0]
    assert (first["article"], first["in_stock"]) == ("BELT-1000", False)
    assert first["availability"] == "On request"


def test_suggestions_in_russian(client, catalogue):
    data = _suggestions(client, "hb-m8", **RU)
    assert data["label"] == "Подсказки"
    # Two articles, a title and a manufacturer's number ("HBM8-40") begin with it.
    assert data["status"] == "4 подсказки, выберите стрелками"


def test_a_title_with_markup_is_data_not_html(client, catalogue):
    ProductFactory(title="<script>alert(1)</script> Болт", article="XSS-1")
    get_backend().rebuild()
    response = client.get("/search/autocomplete/", {"q": "XSS-1"})
    assert response["Content-Type"] == "application/json"
    first = response.json()["suggestions"][0]
    assert first["name"] == "<script>alert(1)</script> Болт"
    html = client.get("/search/", {"q": "XSS-1"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Болт" in html


def test_query_budget_autocomplete(buyer_client, prices, django_assert_max_num_queries):
    for i in range(12):
        product = ProductFactory(title=f"Подшипник {i}", article=f"HB-M8-{i:02d}")
        StockRecordFactory(product=product, num_in_stock=i)
    get_backend().rebuild()
    with django_assert_max_num_queries(14):
        data = _suggestions(buyer_client, "hb-m8")
    assert len(data["suggestions"]) == 10


def test_an_empty_result_offers_the_request_form_and_the_shops_contact(
    client, catalogue, settings
):
    response = client.get("/search/", {"q": "flux capacitor"})
    html = response.content.decode()
    assert "Nothing found." in html
    assert 'data-testid="search-empty"' in html
    link = urlsplit(response.context["request_url"])
    assert link.path == reverse("content:lead")
    params = parse_qs(link.query)
    assert params["kind"] == ["proposal"]
    assert params["page"] == ["/search/?q=flux+capacitor"]
    assert "Our sales department" in html
    assert f"mailto:{settings.SHOP_EMAIL}" in html
    # The form it points to opens.
    assert client.get(response.context["request_url"]).status_code == 200


def test_an_empty_result_names_the_companys_manager(buyer_client, catalogue, company):
    manager = StaffFactory(
        first_name="Ольга", last_name="Петрова", email="petrova@shop.test",
        phone="+7 495 111-22-33",
    )  # fmt: skip
    Company.objects.filter(pk=company.pk).update(account_manager=manager)
    html = buyer_client.get("/search/", {"q": "flux capacitor"}, **RU).content.decode()
    assert "Ваш менеджер: Ольга Петрова" in html
    assert "mailto:petrova@shop.test" in html and "+7 495 111-22-33" in html
    assert "Запросить товар" in html


def test_a_member_of_a_company_without_manager_gets_the_shops_contact(
    client, catalogue, settings
):
    member = MembershipFactory().user
    client.force_login(member)
    html = client.get("/search/", {"q": "flux capacitor"}).content.decode()
    assert "Our sales department" in html and settings.SHOP_PHONE in html


def test_results_do_not_offer_the_request_form(client, catalogue):
    response = client.get("/search/", {"q": "hb m8 40"})
    assert 'data-testid="search-empty"' not in response.content.decode()


# English names


@pytest.fixture
def english(catalogue):
    p, c = catalogue["products"], catalogue["categories"]
    bearing = ProductFactory(
        title="Подшипник шариковый 6203-2RS, 17×40×12 мм",
        title_en="Deep groove ball bearing 6203-2RS, 17×40×12 mm",
        article="BRG-6203-2RS",
    )
    bearing.categories.add(c["ball"])
    StockRecordFactory(product=bearing, num_in_stock=3)
    type(c["ball"]).objects.filter(pk=c["ball"].pk).update(
        name_en="Deep groove ball bearings"
    )
    get_backend().rebuild()
    return {**catalogue, "products": {**p, "6203": bearing}}


def test_bearing_6203_is_found_in_english(client, english):
    found = client.get("/search/", {"q": "bearing 6203"}, **EN).context["rows"]
    assert [row.product.article for row in found] == ["BRG-6203-2RS"]


def test_english_names_in_listing_product_page_and_suggestions(client, english):
    bearing = english["products"]["6203"]
    html = client.get("/search/", {"q": "6203"}, **EN).content.decode()
    assert "Deep groove ball bearing 6203-2RS" in html
    page = client.get(bearing.get_absolute_url(), **EN).content.decode()
    assert "<h1" in page and "Deep groove ball bearing 6203-2RS" in page
    assert "Deep groove ball bearings" in page  # the breadcrumb
    first = _suggestions(client, "BRG-6203", **EN)["suggestions"][0]
    assert first["name"] == "Deep groove ball bearing 6203-2RS, 17×40×12 mm"
    api = client.get("/api/v1/search", {"q": "BRG-6203"}, **EN).json()
    assert api["results"][0]["name"] == first["name"]


def test_a_russian_visitor_keeps_the_russian_names(client, english):
    bearing = english["products"]["6203"]
    page = client.get(bearing.get_absolute_url(), **RU).content.decode()
    assert "Подшипник шариковый 6203-2RS" in page
    assert "Deep groove ball bearing" not in page
    first = _suggestions(client, "BRG-6203", **RU)["suggestions"][0]
    assert first["name"] == "Подшипник шариковый 6203-2RS, 17×40×12 мм"


def test_category_page_and_facets_in_english(client, english):
    ball = english["categories"]["ball"]
    response = client.get(ball.get_absolute_url(), **EN)
    html = response.content.decode()
    assert "<h1>Deep groove ball bearings</h1>" in html
    facets = client.get("/search/", {"q": "6203"}, **EN).context["facet_groups"]
    labels = [i["label"] for g in facets if g["name"] == "Category" for i in g["items"]]
    assert labels == ["Deep groove ball bearings"]
    ru = client.get("/search/", {"q": "6203"}, **RU).context["facet_groups"]
    assert [i["label"] for i in ru[0]["items"]] == ["Ball bearings"]


@pytest.mark.django_db(transaction=False)
def test_a_new_english_title_is_searchable_after_commit(
    client, catalogue, django_capture_on_commit_callbacks
):
    belt = catalogue["products"]["belt"]
    assert not client.get("/search/", {"q": "v-belt"}, **EN).context["rows"]
    with django_capture_on_commit_callbacks(execute=True):
        belt.title_en = "Classic V-belt A-1000"
        belt.save()
    rows = client.get("/search/", {"q": "v-belt"}, **EN).context["rows"]
    assert [row.product.article for row in rows] == ["BELT-1000"]
