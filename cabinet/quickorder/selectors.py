"""Quick order resolving: each parsed line to a product, an orderable quantity and
what to offer instead.

`quick_order_resolve` costs a constant number of queries, plus one per not-found line
for close numbers, for at most `SUGGEST_LIMIT` lines.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from cabinet.quickorder.parsing import ParsedLine
from catalog.partner.availability import availability_for_products
from catalog.selectors import replacements_for
from sales.basket.services import QuantityFit, quantity_fit
from search.lookup import (
    AMBIGUOUS,
    NOT_FOUND,
    lookup_numbers,
    suggest_close_numbers_many,
)

SUGGEST_LIMIT = 10

FOUND = "found"
OUT_OF_STOCK = "out_of_stock"
DISCONTINUED = "discontinued"
ERROR = "error"


@dataclass
class LineResult:
    parsed: ParsedLine
    status: str
    product: object = None  # the product the line resolved to, if any
    fit: QuantityFit | None = None
    candidates: list = field(default_factory=list)  # ambiguous: choose one
    suggestions: list = field(default_factory=list)  # close numbers, analogues
    successor: object = None
    notes: list[str] = field(default_factory=list)
    orderable: bool = False  # the product may go to the basket as it is
    stock: dict = field(default_factory=dict, repr=False)  # product id → availability
    price: object = None  # the viewer's unit price at this quantity (Oscar price)

    @property
    def wanted(self) -> Decimal | None:
        return self.parsed.quantity

    @property
    def quantity(self) -> int | None:
        return self.fit.quantity if self.fit else None

    @property
    def options(self) -> list:
        """Products the buyer may pick for this line (the resolved one first)."""
        chosen = [self.product] if self.orderable else []
        extra = [p for p in self.candidates + self.suggestions if p not in chosen]
        if self.successor and self.successor not in extra:
            extra.insert(0, self.successor)
        return chosen + extra


def _lookups(lines: list[ParsedLine], company) -> list[tuple]:
    """(lookup result, parsed line) per valid line: two queries for all of them. The
    whole line is used when only it matched ("DIN 933" rather than "DIN" × 933)."""
    valid = [line for line in lines if not line.error]
    numbers = [line.article for line in valid]
    extra = [line.alternative for line in valid if line.alternative]
    found = lookup_numbers(numbers=numbers + extra, company=company)
    alternatives = iter(found[len(numbers) :])
    pairs = []
    for line, lookup in zip(valid, found[: len(numbers)], strict=True):
        alternative = next(alternatives) if line.alternative else None
        if (
            lookup.status == NOT_FOUND
            and alternative
            and alternative.status != NOT_FOUND
        ):
            line.article, line.key = line.alternative, alternative.normalized
            line.quantity, line.alternative = line.alternative_quantity, ""
            lookup = alternative
        pairs.append((lookup, line))
    return pairs


def _first_pass(pairs: list[tuple]) -> list[LineResult]:
    results = []
    for lookup, parsed in pairs:
        result = LineResult(parsed=parsed, status=FOUND)
        if lookup.status == NOT_FOUND:
            result.status = NOT_FOUND
        elif lookup.status == AMBIGUOUS:
            result.status = AMBIGUOUS
            result.candidates = list(lookup.products)
        else:
            result.product = lookup.products[0]
        results.append(result)
    # Close numbers for the first few numbers not found (a query each).
    missing = [r for r in results if r.status == NOT_FOUND][:SUGGEST_LIMIT]
    close = suggest_close_numbers_many(numbers=[r.parsed.article for r in missing])
    for result in missing:
        result.suggestions = close[result.parsed.article]
    return results


def quick_order_resolve(*, lines: list[ParsedLine], company, strategy=None) -> list:
    """One LineResult per parsed line, in order. Prices come from `strategy` (the
    viewer's), which is left prefetched for every product the results show."""
    results = _first_pass(_lookups(lines, company))
    products = {p.pk: p for r in results for p in [r.product, *r.candidates] if p}
    stock = availability_for_products(products=list(products.values()))
    # Successors and analogues only for what cannot be had as it is.
    replace = [
        p for p in products.values() if p.is_discontinued or not stock[p.pk].in_stock
    ]
    replacements = replacements_for(replace) if replace else {}
    shown = dict(products)
    for p in [p for r in results for p in r.suggestions] + [
        p for r in replacements.values() for p in [r.successor, *r.analogues] if p
    ]:
        shown.setdefault(p.pk, p)
    if strategy is not None:
        strategy.prefetch(list(shown.values()))
    extra = [p for pk, p in shown.items() if pk not in stock]
    if extra:
        stock.update(availability_for_products(products=extra))
    for result in results:
        result.stock = stock
        _judge(result, replacements, strategy)
    by_line = {result.parsed.line: result for result in results}
    return [by_line.get(line.line) or _error_result(line) for line in lines]


def _error_result(line: ParsedLine) -> LineResult:
    return LineResult(parsed=line, status=ERROR, notes=[line.error])


def _judge(result: LineResult, replacements, strategy) -> None:
    """Status, quantity and notes of a line whose number was found."""
    parsed = result.parsed
    if parsed.also_lines:
        result.notes.append(
            _("summed with line(s) %(lines)s")
            % {"lines": ", ".join(map(str, parsed.also_lines))}
        )
    product = result.product
    if product is None:
        return
    replacement = replacements.get(product.pk)
    result.fit = quantity_fit(product, parsed.quantity)
    result.notes.extend(result.fit.notes)
    if replacement is not None and product.is_discontinued:
        result.status = DISCONTINUED
        result.successor = replacement.successor
        result.suggestions = list(replacement.analogues)
        return
    if replacement is not None:
        result.status = OUT_OF_STOCK
        result.suggestions = list(replacement.analogues)
    promise = result.stock[product.pk].promise(result.fit.quantity)
    if promise.short:
        result.notes.append(promise.label)
    result.orderable = _orderable(result, strategy)


def _orderable(result: LineResult, strategy) -> bool:
    if strategy is None:
        return True
    info = strategy.fetch_for_product(result.product, quantity=result.quantity)
    if info.stockrecord is None:
        result.notes.append(_("on request only — ask your account manager"))
        return False
    if not info.price.exists:
        result.notes.append(_("no price for you yet — ask your account manager"))
        return False
    result.price = info.price
    return True
