"""Factories for contracts and discount rules (price lists are in tests.factories)."""

from decimal import Decimal

import factory

from catalog.pricing.models import Contract, ContractItem, DiscountRule
from tests.factories import CompanyFactory, PriceListFactory, ProductFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"C-{n:04d}")
    currency = "RUB"


class ContractItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractItem

    contract = factory.SubFactory(ContractFactory)
    product = factory.SubFactory(ProductFactory)
    min_quantity = 1
    price = Decimal("50.00")


class DiscountRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscountRule

    company = factory.SubFactory(CompanyFactory)
    base_price_list = factory.SubFactory(PriceListFactory)
    percent = Decimal("10")
