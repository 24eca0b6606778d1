"""Staff edit prices in the dashboard and see why a price is what it is (page, API)."""

from decimal import Decimal

import pytest

from catalog.pricing.models import CompanyPriceTerms, PriceList, PriceListItem
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListFactory,
    PriceListItemFactory,
    StaffFactory,
)
from tests.pricing.factories import ContractFactory, ContractItemFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_explain_api_names_the_rule_for_staff_only(client, product):
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    PriceListItemFactory(price_list=terms.price_list, product=product, price=D("88"))
    PriceListItemFactory(
        price_list=terms.price_list, product=product, min_quantity=10, price=D("80")
    )
    contract = ContractFactory(company=company, number="Z-7")
    ContractItemFactory(
        contract=contract, product=product, min_quantity=50, price=D("70")
    )
    url = "/api/v1/prices/explain"
    params = {"company": company.pk, "product": "6205 2rs", "quantity": 12}
    assert client.get(url, params).status_code == 401
    client.force_login(MembershipFactory(company=company).user)
    response = client.get(url, params)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only staff may see how prices are produced."}
    client.force_login(StaffFactory())
    data = client.get(url, params).json()
    assert {k: data[k] for k in ("rule", "source", "net", "gross", "currency")} == {
        "rule": "company_list", "source": terms.price_list.name, "net": "80.00",
        "gross": "96.00", "currency": "RUB",
    }  # fmt: skip
    assert data["breaks"] == [
        {"min_quantity": 1, "net": "88.00"}, {"min_quantity": 10, "net": "80.00"},
    ]  # fmt: skip
    assert [(lv["rule"], lv["net"], lv["applied"]) for lv in data["levels"]] == [
        ("contract", None, False), ("company_list", "80.00", True),
        ("list_price", "100.00", False),
    ]  # fmt: skip
    assert client.get(url, {**params, "quantity": 50}).json()["net"] == "70.00"
    assert client.get(url, {"product": "6205-2RS"}).json()["rule"] == "list_price"
    assert client.get(url, {**params, "company": "x"}).status_code == 400
    assert client.get(url, {**params, "product": "NOPE"}).status_code == 404
    assert client.get(url, {**params, "company": 999999}).status_code == 404


def test_explain_page_shows_the_applied_level(staff_client, product):
    company = CompanyFactory(name="Zavod")
    contract = ContractFactory(company=company, number="Z-9")
    ContractItemFactory(contract=contract, product=product, price=D("61"))
    html = staff_client.get(
        "/dashboard/pricing/explain/",
        {"company": company.pk, "product": "6205-2RS", "quantity": 1},
    ).content.decode()
    assert "61.00 RUB excl. VAT · 73.20 RUB incl. VAT 20%" in html
    assert "not reached: a level above has a price" in html


def test_dashboard_is_for_staff_only(client, product):
    client.force_login(MembershipFactory().user)
    for url in ("/dashboard/pricing/", "/dashboard/pricing/explain/"):
        assert client.get(url).status_code == 302


def test_staff_create_a_list_and_set_breaks(staff_client, product):
    response = staff_client.post(
        "/dashboard/pricing/lists/new/",
        {"name": "Dealer", "code": "dealer", "kind": "wholesale", "currency": "rub",
         "is_active": "on"},
    )  # fmt: skip
    dealer = PriceList.objects.get(code="dealer")
    assert response.status_code == 302 and dealer.currency == "RUB"
    url = f"/dashboard/pricing/lists/{dealer.pk}/"
    staff_client.post(
        url,
        {"action": "break", "article": "6205-2rs", "min_quantity": 10, "price": "80"},
    )
    bad = staff_client.post(
        url,
        {"action": "break", "article": "6205-2RS", "min_quantity": 0, "price": "-1"},
    )
    html = bad.content.decode()
    assert "A quantity break starts at 1 unit or more." in html
    assert "The price must be greater than zero." in html
    assert list(dealer.items.values_list("min_quantity", "price")) == [(10, D("80.00"))]
    page = staff_client.get(url).content.decode()
    assert "6205-2RS" in page and "80.00 RUB" in page


def test_staff_import_prices_from_the_page(staff_client, product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dealer = PriceListFactory(code="dealer")
    upload = SimpleUploadedFile("p.csv", b"article;price;min_qty\n6205-2RS;0;1\n")
    html = staff_client.post(
        f"/dashboard/pricing/lists/{dealer.pk}/", {"action": "import", "file": upload}
    ).content.decode()
    assert "1 invalid row: nothing was imported." in html
    assert "line 2, column price: the price must be greater than zero" in html
    assert not PriceListItem.objects.filter(price_list=dealer).exists()


def test_staff_assign_terms_and_overlaps_are_refused(staff_client, public_list):
    company = CompanyFactory(name="Zavod")
    wholesale = PriceListFactory(name="Wholesale")
    euro = PriceListFactory(name="Euro", currency="EUR")
    url = f"/dashboard/pricing/companies/{company.pk}/"
    staff_client.post(url, {"action": "terms", "price_list": wholesale.pk})
    html = staff_client.post(
        url, {"action": "terms", "price_list": wholesale.pk, "valid_from": "2030-01-01"}
    ).content.decode()
    assert "This period overlaps Wholesale (… – …) assigned to Zavod" in html
    html = staff_client.post(
        url, {"action": "contract", "number": "E-1", "currency": "EUR"}
    ).content.decode()
    assert "Zavod buys in RUB" in html
    html = staff_client.post(
        url, {"action": "terms", "price_list": euro.pk}
    ).content.decode()
    assert list(
        CompanyPriceTerms.objects.values_list("price_list__name", flat=True)
    ) == ["Wholesale"]
    response = staff_client.post(
        url, {"action": "rule", "base_price_list": public_list.pk, "percent": "15",
              "manufacturer": ""},
    )  # fmt: skip
    assert "Choose a category, a manufacturer or both." in response.content.decode()
    assert (
        staff_client.post(url, {"action": "delete_rule", "item": "x"}).status_code
        == 302
    )


def test_staff_edit_a_contract(staff_client, product):
    contract = ContractFactory(number="Z-1")
    url = f"/dashboard/pricing/contracts/{contract.pk}/"
    staff_client.post(
        url,
        {"action": "break", "article": "6205-2RS", "min_quantity": 1, "price": "55"},
    )
    assert list(contract.items.values_list("price", flat=True)) == [D("55.00")]
    response = staff_client.post(
        url, {"action": "header", "number": "Z-1", "currency": "RUB",
              "valid_from": "2030-02-01", "valid_to": "2030-01-01", "is_active": "on"},
    )  # fmt: skip
    assert "&#x27;Valid to&#x27; is before &#x27;valid from&#x27;." in (
        response.content.decode()
    )
