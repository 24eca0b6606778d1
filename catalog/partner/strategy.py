"""Oscar's pricing strategy for this shop: the viewer's own price (catalog.pricing.engine)
with VAT from the product's rate, stock over all warehouses (back-orders allowed), quantity breaks on
basket lines. Oscar loads `Selector` from here (get_class("partner.strategy", ...))."""

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import Base, PurchaseInfo

from catalog.partner.availability import (
    ProductAvailability,
    StockPromise,
    availability_from_records,
    free_quantity,
    records_in_priority,
)
from catalog.partner.models import StockRecord
from catalog.pricing.engine import PriceBook, PriceQuote


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        company = getattr(request, "company", None) if request is not None else None
        return CompanyPricing(request=request, company=company)


class QuotedPrice(prices.FixedPrice):
    """An Oscar price that also carries how it was produced (rule, breaks)."""

    def __init__(self, quote: PriceQuote):
        super().__init__(currency=quote.currency, excl_tax=quote.net, tax=quote.tax)
        self.quote = quote
        self.tax_code = f"VAT{quote.vat_rate.normalize():f}"


class HiddenPrice(prices.Unavailable):
    """Visitors see no price when SHOP_ANONYMOUS_PRICES = "login"."""

    login_required = True


class WarehouseAvailability(availability.Base):
    """Oscar's availability for a product carried by some warehouse: any quantity can
    be bought — free stock ships now, the rest is a back-order (see
    `catalog.partner.availability`)."""

    def __init__(self, stock: ProductAvailability, quantity: int = 1):
        self.stock = stock
        self.free = stock.total_available
        self.to_order = not stock.in_stock
        promise = stock.promise(quantity)
        if promise.short:
            self.code = "instock" if promise.now else "to-order"
            self.message = promise.label
        else:
            self.code = "instock"
            self.message = _("In stock (%(free)s available)") % {"free": self.free}

    @property
    def is_available_to_buy(self):
        return True

    def is_purchase_permitted(self, quantity):
        return True, ""

    def promise(self, quantity: int) -> StockPromise:
        return self.stock.promise(quantity)


class CompanyPricing(Base):
    def __init__(self, request=None, company=None):
        super().__init__(request)
        self.company = company
        self.book = PriceBook(company=company)
        self._stock: dict[int, list[StockRecord]] = {}
        self._availability_of: dict[int, ProductAvailability] = {}
        self.hide_prices = (
            not self.book.wholesale and settings.SHOP_ANONYMOUS_PRICES == "login"
        )

    # -- loading ---------------------------------------------------------------
    def prefetch(self, products) -> None:
        """Load prices and stock of these products in a constant number of queries."""
        products = [p for p in products if p is not None]
        missing = [p.pk for p in products if p.pk not in self._stock]
        if missing:
            records = defaultdict(list)
            for record in StockRecord.objects.filter(
                product_id__in=missing
            ).select_related("partner"):
                records[record.product_id].append(record)
            for pid in missing:
                self._stock[pid] = records_in_priority(records.get(pid, []))
        self.book.load(products)

    def _records(self, product) -> list[StockRecord]:
        if product.pk not in self._stock:
            self.prefetch([product])
        return self._stock[product.pk]

    def stock_availability(self, product) -> ProductAvailability:
        """The product's stock over all warehouses from the records loaded above,
        worked out once per request (a listing shows it and prices with it)."""
        if product.pk not in self._availability_of:
            self._availability_of[product.pk] = availability_from_records(
                self._records(product)
            )
        return self._availability_of[product.pk]

    # -- Oscar's interface ---------------------------------------------------------
    def select_stockrecord(self, product, stockrecord=None):
        if stockrecord is not None:
            return stockrecord
        records = self._records(product)
        for record in records:
            if free_quantity(record) > 0:
                return record
        return records[0] if records else None

    def fetch_for_product(self, product, stockrecord=None, quantity=1):
        if product.is_parent:
            return self.fetch_for_parent(product)
        record = self.select_stockrecord(product, stockrecord)
        return PurchaseInfo(
            price=self._price(product, quantity),
            availability=self._availability(product, record, quantity),
            stockrecord=record,
        )

    def fetch_for_parent(self, product):
        return PurchaseInfo(
            price=prices.Unavailable(),
            availability=availability.Unavailable(),
            stockrecord=None,
        )

    def fetch_for_line(self, line, stockrecord=None):
        # Quantity breaks: the line's quantity decides the unit price.
        return self.fetch_for_product(line.product, stockrecord, quantity=line.quantity)

    def _price(self, product, quantity):
        if self.hide_prices:
            return HiddenPrice()
        quote = self.book.quote(product, quantity)
        return QuotedPrice(quote) if quote else prices.Unavailable()

    def _availability(self, product, record, quantity=1):
        if product.is_discontinued or record is None:
            return availability.Unavailable()
        return WarehouseAvailability(self.stock_availability(product), quantity)
