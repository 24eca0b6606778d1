"""Orders as the cabinet sees them: placed orders with lines, made directly."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalog.pricing.models import PriceList
from sales.order.models import Line, Order
from tests.factories import (
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)

_numbers = itertools.count(100_001)


def public_list():
    return PriceListFactory(
        code="list", name="List price", kind=PriceList.Kind.LIST, currency="RUB"
    )


def priced_product(*, price="100.00", stock=100, **kwargs):
    """A public product with a list price and stock in a warehouse."""
    product = ProductFactory(vat_rate=Decimal("20"), **kwargs)
    StockRecordFactory(product=product, num_in_stock=stock)
    PriceListItemFactory(
        price_list=public_list(), product=product, price=Decimal(price)
    )
    return product


def order_make(*, company, user, lines, status="Pending", po_number="", days_ago=0):
    """An order of `company` placed by `user` with (product, quantity, unit price)
    lines."""
    total = sum(Decimal(price) * qty for _, qty, price in lines) or Decimal("0")
    order = Order.objects.create(
        number=str(next(_numbers)),
        company=company,
        user=user,
        currency="RUB",
        total_excl_tax=total,
        total_incl_tax=total * Decimal("1.2"),
        shipping_excl_tax=Decimal("0"),
        shipping_incl_tax=Decimal("0"),
        status=status,
        po_number=po_number,
        date_placed=timezone.now() - timedelta(days=days_ago),
    )
    Line.objects.bulk_create(
        [
            Line(
                order=order,
                product=product,
                title=product.get_title(),
                partner_sku=product.article,
                quantity=qty,
                line_price_excl_tax=Decimal(price) * qty,
                line_price_incl_tax=Decimal(price) * qty * Decimal("1.2"),
                line_price_before_discounts_excl_tax=Decimal(price) * qty,
                line_price_before_discounts_incl_tax=Decimal(price)
                * qty
                * Decimal("1.2"),
                unit_price_excl_tax=Decimal(price),
                unit_price_incl_tax=Decimal(price) * Decimal("1.2"),
                num_allocated=0,
            )
            for product, qty, price in lines
        ]
    )
    return order
