"""Pricing fixtures: the public list, a priced product, two companies on own lists."""

from decimal import Decimal

import pytest

from catalog.pricing.models import PriceList
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    ManufacturerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)


@pytest.fixture
def public_list(db):
    return PriceListFactory(
        code="list", name="List price", kind=PriceList.Kind.LIST, currency="RUB"
    )


@pytest.fixture
def product(public_list):
    maker = ManufacturerFactory(name="SKF")
    product = ProductFactory(
        title="Bearing 6205-2RS", article="6205-2RS", manufacturer=maker,
        vat_rate=Decimal("20"),
    )  # fmt: skip
    StockRecordFactory(product=product, num_in_stock=100)
    PriceListItemFactory(price_list=public_list, product=product, price=Decimal("100"))
    return product


@pytest.fixture
def two_companies(product):
    """Company A buys at 91.00, company B at 77.00 (their base lists)."""
    result = []
    for price in ("91.00", "77.00"):
        company = CompanyFactory()
        terms = CompanyPriceTermsFactory(company=company)
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal(price)
        )
        result.append(company)
    return result
