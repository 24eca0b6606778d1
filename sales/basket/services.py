"""The one way into the basket. Every path that fills or changes a basket — the
product page and listings (Oscar's `/basket/add/`), the basket page, reorder, quick
order, purchase lists and the API — calls `basket_lines_add` or
`basket_lines_update`, which check the membership first (approved company, a role
that may order), fit each quantity to the product's minimum order quantity and order
step, keep one line per product, price at the viewer's price in a constant number of
queries, and say per line what ships now and what later.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, membership_require
from catalog.models import Product
from catalog.partner.availability import StockPromise
from sales.basket.models import Basket, Line

MAX_QUANTITY = 1_000_000
MAX_ITEMS = 5_000


class QuantityInvalid(ValueError):
    """A quantity that cannot be ordered at all; the message is safe to show."""


def quantity_parse(raw) -> Decimal:
    """A positive, finite quantity from a form, a file cell or JSON ("2,5" allowed);
    QuantityInvalid for anything else (empty, text, zero, negative, NaN, 1e9999)."""
    if isinstance(raw, bool) or raw is None:
        raise QuantityInvalid(_("Enter a quantity."))
    text = str(raw).strip().replace(",", ".")
    if not text or len(text) > 32 or "\x00" in text:
        raise QuantityInvalid(_("Enter a quantity as a number."))
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        raise QuantityInvalid(_("Enter a quantity as a number.")) from None
    if not quantity.is_finite():
        raise QuantityInvalid(_("Enter a quantity as a number."))
    if quantity <= 0:
        raise QuantityInvalid(_("The quantity must be above zero."))
    if quantity > MAX_QUANTITY:
        raise QuantityInvalid(
            _("The quantity is too large (at most %(max)s).") % {"max": MAX_QUANTITY}
        )
    return quantity


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


def quantity_minimum(product: Product) -> int:
    """The smallest quantity that may be ordered (the MOQ rounded to the step)."""
    return quantity_fit(product, 1).quantity


@dataclass(frozen=True)
class Refusal:
    product: Product
    quantity: Decimal | int
    reason: str


@dataclass(frozen=True)
class AddedLine:
    product: Product
    quantity: int  # the units this call added (fitted)
    total: int  # the line's quantity afterwards
    notes: tuple[str, ...] = ()
    promise: StockPromise | None = None


@dataclass
class AddReport:
    lines: list[AddedLine] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    removed: list[Product] = field(default_factory=list)

    @property
    def added(self) -> list[tuple[Product, int]]:
        return [(line.product, line.quantity) for line in self.lines]

    @property
    def short(self) -> list[AddedLine]:
        """Lines of which only part (or nothing) is in stock now."""
        return [line for line in self.lines if line.promise and line.promise.short]


def basket_lines_add(
    *,
    basket: Basket,
    membership: Membership | None,
    items: list[tuple[Product, Decimal | int]],
) -> AddReport:
    """Add (product, wanted quantity) pairs at today's prices for the membership's
    company. Raises `ActionRefused` before any work when the membership may not
    order. Each quantity is fitted to MOQ and step (and told); the same product twice
    is one line; a product already in the basket has its quantity raised and is
    re-priced by the quantity breaks. Products that cannot be bought (no price, on
    request, discontinued, another currency) are refused with a reason and the rest
    are added. A constant number of queries whatever the count."""
    membership_require(membership, "order")
    report = AddReport()
    wanted: dict[int, Decimal] = {}
    products: dict[int, Product] = {}
    for product, raw in items[:MAX_ITEMS]:
        try:
            quantity = quantity_parse(raw)
        except QuantityInvalid as exc:
            report.refused.append(Refusal(product, raw, str(exc)))
            continue
        products[product.pk] = product
        wanted[product.pk] = wanted.get(product.pk, 0) + quantity
    if len(items) > MAX_ITEMS:
        report.refused.extend(
            Refusal(p, q, _("too many lines at once")) for p, q in items[MAX_ITEMS:]
        )
    if wanted:
        _write(basket, products, wanted, report)
    return report


def basket_lines_update(
    *, basket: Basket, membership: Membership | None, quantities: dict[int, object]
) -> AddReport:
    """Set the quantities of basket lines by line id (0 removes the line; removing
    needs no permission, any other change needs the right to order). Quantities are
    fitted to MOQ and step like `basket_lines_add`; lines not in this basket are
    ignored."""
    report = AddReport()
    if basket.pk is None:  # a visitor's basket that was never saved has no lines
        return report
    lines = {line.pk: line for line in basket.lines.select_related("product")}
    remove, change = [], {}
    for pk, raw in quantities.items():
        line = lines.get(pk)
        if line is None:
            continue
        if str(raw).strip() in {"0", ""}:
            remove.append(line)
            continue
        change[pk] = raw
    if change:
        membership_require(membership, "order")
    wanted, products = {}, {}
    for pk, raw in change.items():
        product = lines[pk].product
        try:
            wanted[product.pk] = quantity_parse(raw)
        except QuantityInvalid as exc:
            report.refused.append(Refusal(product, raw, str(exc)))
            continue
        products[product.pk] = product
    with transaction.atomic():
        if remove:
            Line.objects.filter(pk__in=[line.pk for line in remove]).delete()
            report.removed = [line.product for line in remove]
        if wanted:
            _write(basket, products, wanted, report, replace=True)
    basket.reset_offer_applications()
    return report


def _write(basket, products, wanted, report, *, replace=False) -> None:
    """Write the wanted quantities (added to the existing lines, or replacing them)
    fitted to MOQ and step, at today's prices."""
    strategy = basket.strategy
    strategy.prefetch(list(products.values()))
    with transaction.atomic():
        if basket.pk is None:
            basket.save()
        existing: dict[int, Line] = {}
        for line in basket.lines.select_for_update().filter(
            product_id__in=list(wanted)
        ):
            existing.setdefault(line.product_id, line)
        currency = _basket_currency(basket, existing)
        new_lines, changed_lines = [], []
        now = timezone.now()
        for pk, quantity in wanted.items():
            product = products[pk]
            line = existing.get(pk)
            before = line.quantity if line is not None else 0
            fitted = quantity_fit(product, quantity if replace else before + quantity)
            total = fitted.quantity
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
                    line_reference=line_reference(product),
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
            promise = getattr(info.availability, "promise", None)
            report.lines.append(
                AddedLine(
                    product=product,
                    quantity=total - before if not replace else total,
                    total=total,
                    notes=fitted.notes,
                    promise=promise(total) if promise else None,
                )
            )
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
            ],
            batch_size=1000,
        )
    # As Oscar's add_product does: offers are re-applied to the changed basket.
    basket.reset_offer_applications()
    basket.__dict__.pop("_prices_prefetched", None)


def line_reference(product: Product) -> str:
    """One line per product in a basket (the basket's unique line reference),
    whichever warehouse or number it was reached by."""
    return str(product.pk)


def _basket_currency(basket: Basket, existing: dict[int, Line]) -> str | None:
    line = (
        next(iter(existing.values()), None)
        or basket.lines.only("price_currency").first()
    )
    return line.price_currency if line else None


def _refusal(product: Product, info, quantity: int, currency: str | None) -> str:
    if product.is_discontinued:
        return _("discontinued")
    if not info.price.exists:
        return _("no price for you yet — ask your account manager")
    if info.stockrecord is None:
        return _("on request only — ask your account manager")
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
