"""From a pasted list of 20 part numbers to an invoice on account, through the pages
a buyer uses: quick order, its "add all", the checkout."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from catalog.pricing.models import PriceList
from invoicing.models import Invoice
from sales.basket.models import Basket
from sales.order.models import Order, PaymentMethod
from tests.factories import (
    PartnerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)
from tests.forms import form_fields
from tests.invoicing.factories import CreditAccountFactory

pytestmark = pytest.mark.django_db

# (article, net price, VAT %, quantity): ordinary prices whose net and VAT do not add
# up exactly in binary floating point (4.25 + 0.94 ≠ 5.19 as doubles).
LINES = [
    ("BRG-6203-2RS-FAG", "287.43", 20, 4),
    ("BRG-6204-2RS-SKF", "4.25", 22, 1),
    ("BRG-6205-ZZ-NSK", "0.10", 20, 3),
    ("BRG-6206-2RS-FAG", "1149.72", 20, 2),
    ("BRG-6305-2RS-SKF", "19.99", 10, 7),
    ("HB-M8-40-DIN933", "0.37", 22, 250),
    ("HB-M10-50-DIN933", "0.61", 22, 120),
    ("NUT-M8-DIN934", "0.07", 20, 500),
    ("WSH-8-DIN125", "0.03", 20, 500),
    ("BELT-SPZ-1250", "412.18", 20, 2),
    ("SEAL-35X52X7", "33.33", 0, 9),
    ("ORING-20X2-NBR", "2.15", 10, 40),
    ("CHAIN-08B-1-5M", "2714.90", 20, 1),
    ("SPROCKET-08B-19T", "768.05", 22, 3),
    ("GREASE-LGMT2-1KG", "1890.45", 20, 5),
    ("COUPLING-L100", "1325.66", 20, 2),
    ("PULLEY-SPZ-160-2", "3119.99", 10, 1),
    ("HOSE-DN25-1M", "145.55", 20, 12),
    ("CLAMP-25-40-W2", "12.01", 22, 24),
    ("FILTER-HF6553", "2210.10", 0, 2),
]
CENT = Decimal("0.01")


def _gross(net: Decimal, vat: int) -> Decimal:
    return (net * (1 + Decimal(vat) / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture
def catalogue(db):
    public = PriceListFactory(code="list", kind=PriceList.Kind.LIST, currency="RUB")
    warehouse = PartnerFactory(code="main")
    for article, price, vat, _quantity in LINES:
        product = ProductFactory(article=article, vat_rate=Decimal(vat))
        StockRecordFactory(product=product, partner=warehouse, num_in_stock=1000)
        PriceListItemFactory(price_list=public, product=product, price=Decimal(price))


def test_a_pasted_list_of_20_lines_becomes_an_invoice_of_20_lines(
    buyer_client, buyer, company, seller, catalogue
):
    CreditAccountFactory(company=company, credit_limit=Decimal("1000000.00"))
    paste = "\n".join(f"{article}\t{qty}" for article, _p, _v, qty in LINES)

    results = buyer_client.post(reverse("cabinet:quick-order"), {"lines": paste})
    assert results.status_code == 200
    assert results.context["orderable"] == 20
    add = form_fields(results.content.decode(), "quick-order-add")
    added = buyer_client.post(reverse("cabinet:quick-order-add"), add)
    assert added.status_code == 302
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    assert basket.num_lines == 20

    page = buyer_client.get(reverse("checkout:index"))
    assert page.status_code == 200
    form = form_fields(page.content.decode(), "checkout-form") | {
        "address": "new",
        "recipient": "Ivan Petrov",
        "line1": "ul. Lenina, 1",
        "city": "Tula",
        "postcode": "300000",
        "payment_method": PaymentMethod.ON_ACCOUNT,
    }
    placed = buyer_client.post(reverse("checkout:index"), form)

    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed["Location"] == reverse("checkout:thank-you", args=[order.number])
    invoice = Invoice.objects.get(order=order)
    got = [
        (ln.article, ln.quantity, ln.amount_excl_vat, ln.vat_amount, ln.amount_incl_vat)
        for ln in invoice.lines.order_by("position")
    ]
    want = [
        (
            article,
            qty,
            Decimal(price) * qty,
            (_gross(Decimal(price), vat) - Decimal(price)) * qty,
            _gross(Decimal(price), vat) * qty,
        )
        for article, price, vat, qty in LINES
    ]
    assert sorted(got) == sorted(want)
    net = sum(w[2] for w in want)
    gross = sum(w[4] for w in want)
    assert (invoice.total_excl_vat, invoice.total_vat, invoice.total_incl_vat) == (
        net,
        gross - net,
        gross,
    )
    assert (order.total_excl_tax, order.total_incl_tax) == (net, gross)
    assert invoice.payment_method == PaymentMethod.ON_ACCOUNT
