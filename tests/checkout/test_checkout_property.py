"""Random baskets placed on account: every one becomes an order and an invoice whose
lines add up to the cent and whose totals are the basket's, on SQLite as on
PostgreSQL."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.partner.strategy import CompanyPricing
from catalog.pricing.models import PriceList
from invoicing.models import Invoice
from sales.basket.models import Basket
from sales.checkout.services import order_place
from sales.order.models import Order
from tests.factories import (
    PartnerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)
from tests.invoicing.factories import (
    CreditAccountFactory,
    checkout_details,
    draft_line,
    invoice_make,
)

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")

# Prices from 0.01: a unit VAT that rounds to zero stays zero on the invoice.
line_st = st.tuples(
    st.integers(min_value=1, max_value=9_999_999).map(lambda c: Decimal(c) / 100),
    st.sampled_from([Decimal(0), Decimal(10), Decimal(20), Decimal(22)]),
    st.integers(min_value=1, max_value=250),
)
basket_st = st.lists(line_st, min_size=1, max_size=20)


def _gross(net: Decimal, vat: Decimal) -> Decimal:
    return (net * (1 + vat / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


def _place(*, buyer, company, lines):
    warehouse = PartnerFactory(code="main")
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST, currency="RUB")
    strategy = CompanyPricing(company=company)
    basket = Basket.objects.create(owner=buyer)
    basket.strategy = strategy
    for price, vat, quantity in lines:
        product = ProductFactory(vat_rate=vat)
        StockRecordFactory(product=product, partner=warehouse, num_in_stock=10_000)
        PriceListItemFactory(price_list=public, product=product, price=price)
        basket.add_product(product, quantity)
    expected = (basket.total_excl_tax, basket.total_incl_tax)
    placed = order_place(
        basket_id=basket.pk,
        strategy=strategy,
        user=buyer,
        membership=buyer.memberships.get(company=company),
        details=checkout_details(company=company),
    )
    return placed, expected


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(lines=basket_st)
def test_a_random_basket_on_account_becomes_an_invoice_that_adds_up(
    buyer, company, seller, lines
):
    with transaction.atomic():  # each example leaves the database as it found it
        CreditAccountFactory(company=company, credit_limit=Decimal("10000000000.00"))

        placed, (basket_excl, basket_incl) = _place(
            buyer=buyer, company=company, lines=lines
        )

        order = Order.objects.get()
        invoice = Invoice.objects.get()
        assert (placed.order, placed.invoice, invoice.order) == (order, invoice, order)
        invoice_lines = list(invoice.lines.order_by("position"))
        assert len(invoice_lines) == len(lines)
        for line, (price, vat, quantity) in zip(invoice_lines, lines, strict=True):
            assert line.quantity == quantity
            assert line.unit_price_excl_vat == price
            assert line.amount_excl_vat == price * quantity
            assert line.amount_incl_vat == _gross(price, vat) * quantity
            assert line.amount_incl_vat == line.amount_excl_vat + line.vat_amount
        net = sum(price * quantity for price, _vat, quantity in lines)
        gross = sum(_gross(price, vat) * quantity for price, vat, quantity in lines)
        assert (basket_excl, basket_incl) == (net, gross)
        assert (
            invoice.total_excl_vat,
            invoice.total_vat,
            invoice.total_incl_vat,
        ) == (net, gross - net, gross)
        assert (order.total_excl_tax, order.total_incl_tax) == (net, gross)
        transaction.set_rollback(True)


big_line_st = st.tuples(
    st.integers(min_value=1, max_value=10**12).map(lambda c: Decimal(c) / 100),
    st.sampled_from(["0", "10", "20", "22"]),
    st.integers(min_value=1, max_value=9),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(lines=st.lists(big_line_st, min_size=1, max_size=5))
def test_large_amounts_add_up_to_the_cent(company, seller, lines):
    """Lines up to about 10^11 and totals up to about 5 * 10^11, where doubles have
    the fewest digits to spare."""
    with transaction.atomic():
        drafts = [
            draft_line(price=str(price), vat=vat, quantity=quantity)
            for price, vat, quantity in lines
        ]
        invoice = invoice_make(company=company, lines=drafts)

        invoice = Invoice.objects.get(pk=invoice.pk)
        saved = [
            (ln.amount_excl_vat, ln.vat_amount, ln.amount_incl_vat)
            for ln in invoice.lines.order_by("position")
        ]
        assert saved == [
            (d.amount_excl_vat, d.vat_amount, d.amount_excl_vat + d.vat_amount)
            for d in drafts
        ]
        net = sum(d.amount_excl_vat for d in drafts)
        vat = sum(d.vat_amount for d in drafts)
        assert (
            invoice.total_excl_vat,
            invoice.total_vat,
            invoice.total_incl_vat,
        ) == (net, vat, net + vat)
        transaction.set_rollback(True)


def test_a_unit_vat_rounded_to_zero_stays_zero_on_the_invoice(buyer, company, seller):
    CreditAccountFactory(company=company)

    placed, (basket_excl, basket_incl) = _place(
        buyer=buyer, company=company, lines=[(Decimal("0.01"), Decimal(20), 3)]
    )

    assert (basket_excl, basket_incl) == (Decimal("0.03"), Decimal("0.03"))
    assert placed.invoice.total_incl_vat == placed.order.total_incl_tax
