"""Each buyer sees their own price: precedence, validity, VAT, breaks, visitors."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from catalog.partner.strategy import CompanyPricing
from catalog.pricing.engine import Rule
from catalog.pricing.models import Contract, ContractItem, DiscountRule
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _quote(product, company, quantity=1):
    strategy = CompanyPricing(company=company)
    return strategy.fetch_for_product(product, quantity=quantity).price.quote


def test_visitor_gets_the_list_price_with_vat(product):
    quote = _quote(product, None)
    assert (quote.net, quote.gross, quote.rule) == (D("100.00"), D("120.00"), Rule.LIST)


def test_company_list_beats_list_price(product):
    company = CompanyFactory()
    wholesale = CompanyPriceTermsFactory(company=company).price_list
    PriceListItemFactory(price_list=wholesale, product=product, price=D("88.00"))
    PriceListItemFactory(
        price_list=wholesale, product=product, min_quantity=10, price=D("80.00")
    )
    assert _quote(product, company).net == D("88.00")
    assert _quote(product, company, 10).net == D("80.00")
    assert _quote(product, company, 9).rule == Rule.COMPANY_LIST


def test_higher_precedence_wins_even_when_dearer(product, public_list):
    company = CompanyFactory()
    wholesale = CompanyPriceTermsFactory(company=company).price_list
    PriceListItemFactory(price_list=wholesale, product=product, price=D("70.00"))
    DiscountRule.objects.create(
        company=company, base_price_list=public_list, manufacturer=product.manufacturer,
        percent=D("10"),
    )  # fmt: skip
    quote = _quote(product, company)
    assert (quote.rule, quote.net) == (Rule.DISCOUNT, D("90.00"))  # not the cheaper 70
    contract = Contract.objects.create(company=company, number="C-1")
    ContractItem.objects.create(contract=contract, product=product, price=D("95.00"))
    quote = _quote(product, company)
    assert (quote.rule, quote.net, quote.source) == (Rule.CONTRACT, D("95.00"), "C-1")


def test_expired_contract_is_ignored(product):
    company = CompanyFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    contract = Contract.objects.create(
        company=company, number="OLD", valid_from=yesterday - datetime.timedelta(days=30),
        valid_to=yesterday,
    )  # fmt: skip
    ContractItem.objects.create(contract=contract, product=product, price=D("50.00"))
    assert _quote(product, company).rule == Rule.LIST


def test_unapproved_company_sees_no_wholesale_price(product):
    company = CompanyFactory(status="pending")
    wholesale = CompanyPriceTermsFactory(company=company).price_list
    PriceListItemFactory(price_list=wholesale, product=product, price=D("60.00"))
    assert _quote(product, company).rule == Rule.LIST


@override_settings(SHOP_ANONYMOUS_PRICES="login")
def test_visitors_may_be_asked_to_log_in(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Log in for your price" in html
    assert "100.00" not in html


def test_two_companies_see_different_prices_on_the_product_page(client, product):
    a, b = CompanyFactory(), CompanyFactory()
    for company, price in ((a, "91.00"), (b, "77.00")):
        terms = CompanyPriceTermsFactory(company=company)
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=D(price)
        )
    for company, shown in ((a, "91,00"), (b, "77,00")):
        client.force_login(MembershipFactory(company=company).user)
        html = client.get(
            product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
        assert shown in html.replace("\xa0", " ") or shown.replace(",", ".") in html
        client.logout()


def _basket_for(client, company, product, quantity):
    user = MembershipFactory(company=company).user
    client.force_login(user)
    response = client.post(
        f"/basket/add/{product.pk}/", {"quantity": quantity}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    from sales.basket.models import Basket

    return Basket.objects.get(owner=user, status=Basket.OPEN)


def test_basket_line_follows_quantity_breaks_both_ways(client, product):
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    PriceListItemFactory(price_list=terms.price_list, product=product, price=D("90.00"))
    PriceListItemFactory(
        price_list=terms.price_list, product=product, min_quantity=10, price=D("81.00")
    )
    basket = _basket_for(client, company, product, 2)
    basket.strategy = CompanyPricing(company=company)
    line = basket.all_lines()[0]
    assert line.unit_price_excl_tax == D("90.00")
    response = client.post(
        "/basket/",
        {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "form-0-id": line.pk, "form-0-quantity": "12",
        },
    )  # fmt: skip
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 12 and line.price_excl_tax == D("81.00")
    page = client.get("/basket/").content.decode()
    assert "has increased" not in page and "has decreased" not in page
    client.post(
        "/basket/",
        {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "form-0-id": line.pk, "form-0-quantity": "3",
        },
    )  # fmt: skip
    line.refresh_from_db()
    assert line.quantity == 3 and line.price_excl_tax == D("90.00")


def test_two_companies_different_prices_in_basket_and_order(client, product):
    from oscar.test.factories import create_order

    prices = {}
    for price in ("91.00", "77.00"):
        company = CompanyFactory()
        terms = CompanyPriceTermsFactory(company=company)
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=D(price)
        )
        basket = _basket_for(client, company, product, 1)
        basket.strategy = CompanyPricing(company=company)
        prices[price] = basket.all_lines()[0].unit_price_excl_tax
        order = create_order(basket=basket, user=basket.owner)
        assert order.lines.get().unit_price_excl_tax == D(price)
        client.logout()
    assert prices == {"91.00": D("91.00"), "77.00": D("77.00")}


def test_prefetch_prices_48_products_in_constant_queries(
    public_list, django_assert_max_num_queries
):
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    products = []
    for i in range(48):
        p = ProductFactory(article=f"P-{i}")
        StockRecordFactory(product=p)
        PriceListItemFactory(price_list=public_list, product=p, price=D(10 + i))
        PriceListItemFactory(price_list=terms.price_list, product=p, price=D(5 + i))
        products.append(p)
    with django_assert_max_num_queries(6):
        strategy = CompanyPricing(company=company)
        strategy.prefetch(products)
        quotes = [strategy.fetch_for_product(p).price.quote for p in products]
    assert [q.net for q in quotes[:2]] == [D("5.00"), D("6.00")]
