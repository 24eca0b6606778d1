"""A small catalogue priced for a buyer's company, in three warehouses."""

from decimal import Decimal

import pytest

from catalog.pricing.models import PriceList
from tests.factories import (
    CompanyPriceTermsFactory,
    PartnerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)
from tests.invoicing.conftest import (  # noqa: F401
    _media_and_no_pdf_on_commit,
    credit_account,
    seller,
)


@pytest.fixture
def warehouses(db):
    return [
        PartnerFactory(
            code="msk", name="Moscow", priority=10, lead_time_min_days=0,
            lead_time_max_days=1, restock_days=10,
        ),
        PartnerFactory(
            code="ekb", name="Yekaterinburg", priority=20, lead_time_min_days=2,
            lead_time_max_days=3, restock_days=8,
        ),
        PartnerFactory(
            code="sup", name="Supplier", priority=90, lead_time_min_days=5,
            lead_time_max_days=7, restock_days=0,
        ),
    ]  # fmt: skip


@pytest.fixture
def make_product(db, company, warehouses):
    """make_product(article, stock=[msk, ekb, sup] or None, **product fields)."""
    public = PriceListFactory(
        code="list", name="List", kind=PriceList.Kind.LIST, currency="RUB"
    )
    terms = CompanyPriceTermsFactory(company=company)

    def make(article, *, stock=(10, 0, 0), price="100.00", **kwargs):
        product = ProductFactory(article=article, vat_rate=Decimal("20"), **kwargs)
        for warehouse, quantity in zip(warehouses, stock or (), strict=False):
            if quantity is not None:
                StockRecordFactory(
                    product=product, partner=warehouse, num_in_stock=quantity
                )
        PriceListItemFactory(price_list=public, product=product, price=Decimal(price))
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal(price)
        )
        return product

    return make
