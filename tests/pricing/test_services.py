"""Bad input to price entry is refused with a clear message and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalog.pricing import services
from catalog.pricing.engine import Rule
from catalog.pricing.models import (
    CompanyPriceTerms,
    Contract,
    ContractItem,
    PriceList,
    PriceListItem,
)
from catalog.pricing.selectors import price_explain
from tests.factories import (
    CompanyFactory,
    PriceListFactory,
    PriceListItemFactory,
)
from tests.pricing.factories import ContractFactory, ContractItemFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_overlapping_base_lists_of_one_company_are_refused(public_list):
    company = CompanyFactory(name="Zavod")
    wholesale, dealer = (
        PriceListFactory(name="Wholesale"),
        PriceListFactory(name="Dealer"),
    )
    services.company_terms_assign(
        company=company, price_list=wholesale, valid_to=TODAY + 30 * DAY
    )
    with pytest.raises(ValidationError) as exc:
        services.company_terms_assign(
            company=company, price_list=dealer, valid_from=TODAY + 10 * DAY
        )
    assert exc.value.messages == [
        f"This period overlaps Wholesale (… – {TODAY + 30 * DAY}) assigned to Zavod; "
        "end that one first."
    ]
    services.company_terms_assign(
        company=company, price_list=dealer, valid_from=TODAY + 31 * DAY
    )
    assert CompanyPriceTerms.objects.filter(company=company).count() == 2


def test_the_base_list_follows_its_period(public_list, product):
    company = CompanyFactory()
    old, new = PriceListFactory(), PriceListFactory()
    PriceListItemFactory(price_list=old, product=product, price=D("90"))
    PriceListItemFactory(price_list=new, product=product, price=D("80"))
    services.company_terms_assign(company=company, price_list=old, valid_to=TODAY - DAY)
    services.company_terms_assign(company=company, price_list=new, valid_from=TODAY)
    quote = price_explain(company=company, product=product).quote
    assert (quote.rule, quote.net) == (Rule.COMPANY_LIST, D("80.00"))


def test_overlapping_contracts_of_one_company_are_refused(public_list):
    company = CompanyFactory(name="Zavod")
    services.contract_create(company=company, number="A", currency="RUB")
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            company=company, number="B", currency="RUB", valid_from=TODAY
        )
    assert "overlaps contract A (… – …) of Zavod" in exc.value.messages[0]
    services.contract_create(
        company=company, number="B", currency="RUB", is_active=False
    )  # an inactive contract prices nothing, so it may overlap
    assert sorted(Contract.objects.values_list("number", flat=True)) == ["A", "B"]


def test_a_list_in_another_currency_is_refused_for_a_company(public_list):
    company = CompanyFactory(name="Zavod")
    euro = PriceListFactory(name="Euro", currency="EUR")
    with pytest.raises(ValidationError) as exc:
        services.company_terms_assign(company=company, price_list=euro)
    assert exc.value.messages == [
        "Zavod buys in RUB (List price); prices in EUR would mix currencies in one "
        "basket."
    ]
    with pytest.raises(ValidationError):
        services.contract_create(company=company, number="E", currency="eur")
    assert not CompanyPriceTerms.objects.exists() and not Contract.objects.exists()


def test_the_currency_of_a_list_in_use_cannot_change(public_list):
    with pytest.raises(ValidationError, match="its currency cannot change"):
        services.price_list_update(price_list=public_list, currency="EUR")
    public_list.refresh_from_db()
    assert public_list.currency == "RUB"


@pytest.mark.parametrize(
    ("price", "qty", "message"),
    [
        (D("0"), 1, "The price must be greater than zero."),
        (D("-5"), 1, "The price must be greater than zero."),
        (D("1.005"), 1, "The price must have at most 2 decimal places."),
        (D("10"), 0, "A quantity break starts at 1 unit or more."),
    ],
)
def test_bad_prices_and_breaks_are_refused(public_list, product, price, qty, message):
    with pytest.raises(ValidationError) as exc:
        services.price_list_item_set(
            price_list=public_list, product=product, min_quantity=qty, price=price
        )
    assert exc.value.messages == [message]
    contract = ContractFactory()
    with pytest.raises(ValidationError):
        services.contract_item_set(
            contract=contract, product=product, min_quantity=qty, price=price
        )
    assert PriceListItem.objects.filter(price_list=public_list).count() == 1


def test_valid_to_before_valid_from_is_refused(public_list):
    with pytest.raises(ValidationError, match="is before"):
        services.price_list_create(
            name="X", code="x", currency="RUB", valid_from=TODAY, valid_to=TODAY - DAY
        )


def test_discount_rule_needs_a_scope_and_a_sane_percent(public_list):
    company = CompanyFactory()
    with pytest.raises(ValidationError, match="category, a manufacturer or both"):
        services.discount_rule_create(
            company=company, base_price_list=public_list, percent=D("10")
        )


def test_category_rule_beats_manufacturer_rule(public_list, product):
    from catalog.models import Category, ProductCategory

    category = Category.add_root(name="Bearings", slug="bearings")
    ProductCategory.objects.create(product=product, category=category.add_child(
        name="Ball", slug="ball"))  # fmt: skip
    company = CompanyFactory()
    services.discount_rule_create(
        company=company, base_price_list=public_list, percent=D("30"),
        manufacturer=product.manufacturer,
    )  # fmt: skip
    services.discount_rule_create(
        company=company, base_price_list=public_list, percent=D("5"), category=category
    )
    quote = price_explain(company=company, product=product).quote
    assert (quote.rule, quote.net, quote.source) == (
        Rule.DISCOUNT, D("95.00"), "-5% List price",
    )  # fmt: skip


def test_contract_price_takes_the_contract_currency_and_breaks(public_list, product):
    company = CompanyFactory()
    contract = ContractFactory(company=company, number="Z-1")
    ContractItemFactory(contract=contract, product=product, price=D("70"))
    ContractItemFactory(
        contract=contract, product=product, min_quantity=20, price=D("65")
    )
    explanation = price_explain(company=company, product=product, quantity=25)
    quote = explanation.quote
    assert (quote.rule, quote.net, quote.gross, quote.currency) == (
        Rule.CONTRACT, D("65.00"), D("78.00"), "RUB",
    )  # fmt: skip
    assert [(b.min_quantity, b.net) for b in quote.breaks] == [
        (1, D("70.00")), (20, D("65.00")),
    ]  # fmt: skip
    assert [(lv.rule, lv.net) for lv in explanation.levels] == [
        (Rule.CONTRACT, D("65.00")), (Rule.LIST, D("100.00")),
    ]  # fmt: skip


def test_the_public_list_is_read_one_way():
    assert PriceList.objects.public() is None
    new = PriceList.objects.public_or_new()
    assert (new.pk, new.kind, new.code, new.currency) == (
        None, PriceList.Kind.LIST, "list", "RUB"
    )  # fmt: skip
    assert PriceList.objects.count() == 0

    PriceListFactory(code="wholesale", kind=PriceList.Kind.WHOLESALE)
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST, is_active=False)

    assert PriceList.objects.public() == public
    assert PriceList.objects.public_or_new() == public


def test_a_second_public_list_is_refused(public_list):
    wholesale = PriceListFactory(code="wholesale", currency="RUB")
    with pytest.raises(ValidationError, match="already a public list"):
        services.price_list_create(
            name="Other", code="other", currency="RUB", kind=PriceList.Kind.LIST
        )
    with pytest.raises(ValidationError, match="already a public list"):
        services.price_list_update(price_list=wholesale, kind=PriceList.Kind.LIST)

    services.price_list_update(price_list=public_list, name="Public prices")

    public_list.refresh_from_db()
    assert public_list.name == "Public prices"
    assert PriceList.objects.filter(kind=PriceList.Kind.LIST).count() == 1


def test_quantity_breaks_share_their_fields_without_a_migration():
    call_command("makemigrations", "pricing", check=True, dry_run=True, verbosity=0)

    for model, owner in (
        (PriceListItem, "pricelistitem"),
        (ContractItem, "contractitem"),
    ):
        assert [c.name for c in model._meta.constraints] == [
            f"{owner}_unique_break",
            f"{owner}_price_positive",
            f"{owner}_min_quantity_positive",
        ]
