"""Factories of invoicing models and helpers that issue documents for tests."""

from decimal import Decimal

import factory
from oscar.apps.partner.strategy import (
    FixedRateTax,
    StockRequired,
    Structured,
    UseFirstStockRecord,
)

from accounts.models import CompanyAddress
from invoicing.models import CreditAccount, SellerEntity
from invoicing.services.invoices import DraftLine, invoice_create
from sales.basket.models import Basket
from sales.checkout.services import CheckoutDetails
from sales.order.models import PaymentMethod
from tests.factories import CompanyFactory, StockRecordFactory


class SellerEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerEntity

    legal_name = "ООО «Промснаб»"
    tax_id = "7707083893"
    kpp = "770701001"
    legal_address = "123456, Москва, ул. Промышленная, д. 1"
    bank_name = "ПАО Сбербанк"
    bank_bik = "044525225"
    bank_account = "40702810900000000001"
    bank_corr_account = "30101810400000000225"
    director = "Иванов И. И."
    chief_accountant = "Петрова А. А."
    is_default = True


class CreditAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditAccount

    company = factory.SubFactory(CompanyFactory)
    credit_limit = Decimal("100000.00")
    currency = "RUB"
    payment_terms_days = 30
    grace_days = 5


def draft_line(
    *, title="Bearing 6204-2RS", quantity=1, price="100.00", vat="20", article="6204"
):
    excl = Decimal(price) * quantity
    return DraftLine(
        product_id=None,
        article=article,
        title=title,
        unit="pcs",
        quantity=quantity,
        unit_price_excl_vat=Decimal(price),
        vat_rate=Decimal(vat),
        amount_excl_vat=excl,
        vat_amount=(excl * Decimal(vat) / 100).quantize(Decimal("0.01")),
    )


def invoice_make(
    *,
    company,
    lines=None,
    payment_method=PaymentMethod.BANK_TRANSFER,
    issued_by=None,
    amount=None,
):
    """An issued invoice; `amount` makes one line of that gross amount at 0 % VAT."""
    if amount is not None:
        lines = [draft_line(price=str(amount), vat="0")]
    return invoice_create(
        company=company,
        lines=lines or [draft_line()],
        payment_method=payment_method,
        issued_by=issued_by,
    )


class VatStrategy(UseFirstStockRecord, StockRequired, FixedRateTax, Structured):
    """Oscar strategy for tests: stock record price plus 20 % VAT."""

    rate = Decimal("0.20")

    def prefetch(self, products) -> None:
        """The shop's strategies load a page's prices at once; this one reads each
        stock record as Oscar does."""

    def fetch_for_product(self, product, stockrecord=None, quantity=1):
        """The shop's strategies price by quantity (breaks); this one does not."""
        return super().fetch_for_product(product, stockrecord)


def basket_make(*, user, items):
    """An open basket of `user` with (stockrecord, quantity) items, priced."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = VatStrategy()
    for stockrecord, quantity in items:
        basket.add_product(stockrecord.product, quantity)
    return basket


def stockrecord_make(*, price="100.00", stock=100, **kwargs):
    return StockRecordFactory(
        price=Decimal(price), num_in_stock=stock, num_allocated=0, **kwargs
    )


def address_make(*, company):
    return CompanyAddress.objects.create(
        company=company,
        recipient="Ivan Petrov",
        line1="ul. Lenina, 1",
        city="Moscow",
        postcode="101000",
    )


def checkout_details(*, company, payment_method=PaymentMethod.ON_ACCOUNT, **kwargs):
    return CheckoutDetails(
        address=address_make(company=company), payment_method=payment_method, **kwargs
    )
