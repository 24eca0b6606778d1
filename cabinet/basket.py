"""Putting many lines into the basket at once: reorder, quick order, purchase lists.

`quantity_fit` rounds a wanted quantity to what may be ordered (whole units, the
minimum order quantity, the order step) and says so; `basket_add_items` adds any number
of lines at today's prices in a constant number of queries; `replacements_for` offers
the successor and in-stock analogues of products that cannot be ordered as they are.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.partner.availability import availability_for_products
from catalog.selectors import analogues_in_stock
from shop.basket.models import Basket, Line

MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class QuantityFit:
    quantity: int
    notes: tuple[str, ...] = ()

    @property
    def adjusted(self) -> bool:
        return bool(self.notes)


def quantity_fit(product: Product, wanted: Decimal | int) -> QuantityFit:
    """The orderable quantity closest above `wanted`, with a note for each change.

    `wanted` must be positive (callers reject zero and negative quantities)."""
    notes = []
    quantity = math.ceil(Decimal(wanted))
    if quantity != wanted:
        notes.append(_("rounded up to whole units"))
    minimum = max(product.min_order_qty or 1, 1)
    if quantity < minimum:
        quantity = minimum
        notes.append(_("raised to the minimum order quantity %(n)s") % {"n": minimum})
    step = max(product.order_step or 1, 1)
    if quantity % step:
        quantity = math.ceil(quantity / step) * step
        notes.append(_("rounded up to a multiple of %(n)s (order step)") % {"n": step})
    return QuantityFit(quantity=quantity, notes=tuple(notes))


@dataclass(frozen=True)
class Refusal:
    product: Product
    quantity: int
    reason: str


@dataclass
class AddReport:
    added: list[tuple[Product, int]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def added_quantity(self) -> int:
        return sum(quantity for _, quantity in self.added)


def basket_add_items(*, basket: Basket, items: list[tuple[Product, int]]) -> AddReport:
    """Add (product, quantity) pairs to the basket at today's prices for the user's
    company. The same product twice is summed; a product already in the basket gets
    its quantity raised (and re-priced by the quantity breaks). Products that cannot
    be bought (no price, discontinued, another currency) are refused with a reason and
    the rest are added. A constant number of queries whatever the count."""
    report = AddReport()
    wanted: dict[int, int] = {}
    products: dict[int, Product] = {}
    for product, quantity in items:
        if quantity <= 0:
            report.refused.append(
                Refusal(product, quantity, _("the quantity must be positive"))
            )
            continue
        products[product.pk] = product
        wanted[product.pk] = wanted.get(product.pk, 0) + int(quantity)
    if not wanted:
        return report
    strategy = basket.strategy
    if hasattr(strategy, "prefetch"):
        strategy.prefetch(list(products.values()))
    with transaction.atomic():
        if basket.pk is None:
            basket.save()
        existing = {
            line.product_id: line
            for line in basket.lines.select_for_update().filter(
                product_id__in=list(wanted)
            )
        }
        currency = _basket_currency(basket, existing)
        new_lines, changed_lines = [], []
        now = timezone.now()
        for pk, quantity in wanted.items():
            product = products[pk]
            line = existing.get(pk)
            total = quantity + (line.quantity if line else 0)
            info = strategy.fetch_for_product(product, quantity=total)
            reason = _refusal(product, info, total, currency)
            if reason:
                report.refused.append(Refusal(product, quantity, reason))
                continue
            currency = currency or info.price.currency
            if line is None:
                line = Line(
                    basket=basket,
                    product=product,
                    stockrecord=info.stockrecord,
                    line_reference=basket._create_line_reference(
                        product, info.stockrecord, []
                    ),
                )
                new_lines.append(line)
            else:
                changed_lines.append(line)
            line.quantity = total
            line.price_currency = info.price.currency
            line.price_excl_tax = info.price.excl_tax
            line.price_incl_tax = (
                info.price.incl_tax if info.price.is_tax_known else None
            )
            line.tax_code = info.price.tax_code
            line.date_updated = now
            report.added.append((product, quantity))
        Line.objects.bulk_create(new_lines, batch_size=1000)
        Line.objects.bulk_update(
            changed_lines,
            [
                "quantity",
                "price_currency",
                "price_excl_tax",
                "price_incl_tax",
                "tax_code",
                "date_updated",
            ],  # fmt: skip
            batch_size=1000,
        )
    basket._lines = None
    basket.__dict__.pop("_prices_prefetched", None)
    return report


def _basket_currency(basket: Basket, existing: dict[int, Line]) -> str | None:
    line = (
        next(iter(existing.values()), None)
        or basket.lines.only("price_currency").first()
    )
    return line.price_currency if line else None


def _refusal(product: Product, info, quantity: int, currency: str | None) -> str:
    if product.is_discontinued:
        return _("discontinued")
    if not info.price.exists or info.stockrecord is None:
        return _("no price for you yet — ask your account manager")
    if currency and info.price.currency != currency:
        return _("priced in %(currency)s, the basket is in %(basket)s") % {
            "currency": info.price.currency,
            "basket": currency,
        }
    if quantity > MAX_QUANTITY:
        return _("the quantity is too large")
    permitted, reason = info.availability.is_purchase_permitted(quantity)
    if not permitted:
        return str(reason) or _("cannot be ordered now")
    return ""


@dataclass(frozen=True)
class Replacement:
    """What to offer instead of a product that is discontinued or out of stock."""

    product: Product
    in_stock: bool
    successor: Product | None
    analogues: list[Product]

    @property
    def needs_replacement(self) -> bool:
        return self.product.is_discontinued or not self.in_stock


def replacements_for(products: list[Product]) -> dict[int, Replacement]:
    """Availability, successor and in-stock analogues of each product, in a constant
    number of queries."""
    stock = availability_for_products(products=products)
    successor_ids = {p.successor_id for p in products if p.successor_id}
    successors = {
        s.pk: s
        for s in Product.objects.filter(pk__in=successor_ids).select_related(
            "manufacturer"
        )
    }
    analogues = analogues_in_stock(products=products)
    return {
        p.pk: Replacement(
            product=p,
            in_stock=stock[p.pk].in_stock,
            successor=successors.get(p.successor_id),
            analogues=analogues.get(p.pk, []),
        )
        for p in products
    }
