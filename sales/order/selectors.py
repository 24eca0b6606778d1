"""Reads about how an order is served: which lines ship now and what is
back-ordered, by when."""

from dataclasses import dataclass
from datetime import date

from sales.order.models import LineAllocation


@dataclass(frozen=True)
class BackorderRow:
    article: str
    title: str
    quantity: int
    now: int
    later: int
    expected_date: date


def order_backorders(*, order) -> list[BackorderRow]:
    """The order's lines that do not all ship now, with the units from stock, the
    back-ordered units and the latest expected date (one query)."""
    rows: dict[int, dict] = {}
    parts = (
        LineAllocation.objects.filter(line__order=order)
        .select_related("line", "line__product")
        .order_by("line_id", "pk")
    )
    for part in parts:
        line = part.line
        row = rows.setdefault(
            line.pk,
            {"line": line, "now": 0, "later": 0, "expected": None},
        )
        if part.is_backorder:
            row["later"] += part.quantity
            row["expected"] = max(filter(None, [row["expected"], part.expected_date]))
        else:
            row["now"] += part.quantity
    return [
        BackorderRow(
            article=(r["line"].product.article if r["line"].product else "")
            or r["line"].partner_sku,
            title=r["line"].title,
            quantity=r["line"].quantity,
            now=r["now"],
            later=r["later"],
            expected_date=r["expected"],
        )
        for r in rows.values()
        if r["later"]
    ]
