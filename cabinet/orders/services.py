"""Reorder: put an old order's lines into the basket at today's prices, and report
each line that could not go in as it was, with what to take instead."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalog.selectors import Replacement, replacements_for
from sales.basket.services import (
    AddedLine,
    AddReport,
    basket_lines_add,
    quantity_fit,
)
from sales.order.models import Order


@dataclass(frozen=True)
class ReorderProblem:
    """A line of the old order that was not put into the basket as it was, and what
    to take instead."""

    title: str
    article: str
    quantity: int
    reason: str
    replacement: Replacement | None = None


@dataclass
class ReorderReport:
    added: AddReport = field(default_factory=AddReport)
    problems: list[ReorderProblem] = field(default_factory=list)
    adjusted: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    out_of_stock: list[Replacement] = field(default_factory=list)
    # Added lines of which not everything ships now: (line, replacement).
    short: list[tuple[AddedLine, Replacement | None]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.problems or self.adjusted or self.out_of_stock or self.short)


def order_reorder(
    *, order: Order, basket, membership, line_ids: list[int] | None = None
):
    """Put the order's lines (or the chosen ones) into the basket at today's prices.

    Discontinued products and products no longer sold are not added; they are
    reported with their successor and in-stock analogues. Out-of-stock products are
    added when they can be ordered to lead time, and reported with in-stock analogues.
    Quantities are fitted to today's minimum order quantity and order step."""
    lines = [line for line in order.lines.all() if not line_ids or line.pk in line_ids]
    report = ReorderReport()
    products = [line.product for line in lines if line.product is not None]
    replacements = replacements_for(products)
    items = []
    for line in lines:
        product = line.product
        if product is None or not product.is_public:
            report.problems.append(
                ReorderProblem(
                    line.title, line.partner_sku, line.quantity, _("no longer sold")
                )
            )
            continue
        replacement = replacements[product.pk]
        if product.is_discontinued:
            report.problems.append(
                ReorderProblem(
                    line.title,
                    product.article,
                    line.quantity,
                    _("discontinued"),
                    replacement,
                )
            )
            continue
        fit = quantity_fit(product, line.quantity)
        if fit.adjusted:
            report.adjusted.append((product.article, fit.notes))
        if not replacement.in_stock:
            report.out_of_stock.append(replacement)
        items.append((product, fit.quantity))
    report.added = basket_lines_add(basket=basket, membership=membership, items=items)
    refused = {refusal.product.pk for refusal in report.added.refused}
    report.out_of_stock = [
        r for r in report.out_of_stock if r.product.pk not in refused
    ]
    report.short = [
        (line, replacements.get(line.product.pk)) for line in report.added.short
    ]
    for refusal in report.added.refused:
        report.problems.append(
            ReorderProblem(
                refusal.product.get_title(),
                refusal.product.article,
                refusal.quantity,
                refusal.reason,
                replacements.get(refusal.product.pk),
            )
        )
    return report
