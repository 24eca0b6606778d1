"""Quick order pages: paste or upload lines, see each line resolved, add them all."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import membership_require
from cabinet.quickorder.forms import QuickOrderForm
from cabinet.quickorder.parsing import (
    MAX_LINES,
    QuickOrderRefused,
)
from cabinet.quickorder.selectors import (
    AMBIGUOUS,
    DISCONTINUED,
    ERROR,
    FOUND,
    NOT_FOUND,
    OUT_OF_STOCK,
    quick_order_resolve,
)
from catalog.models import Product
from core.sql import values_param
from sales.basket.feedback import short_stock_messages
from sales.basket.services import MAX_QUANTITY, basket_lines_add, quantity_fit

# Each radio group is a POST field; Django refuses more than 1,000 fields.
MAX_CHOICE_ROWS = 500
MAX_LIST_ROWS = 450  # the purchase-list form posts two fields per line
MAX_MESSAGES = 20


STATUS_LABELS = {
    FOUND: (gettext_lazy("Found"), "badge-success"),
    AMBIGUOUS: (gettext_lazy("Choose one"), "badge-info"),
    NOT_FOUND: (gettext_lazy("Not found"), "badge-warning"),
    OUT_OF_STOCK: (gettext_lazy("Out of stock"), "badge-secondary"),
    DISCONTINUED: (gettext_lazy("Discontinued"), "badge-dark"),
    ERROR: (gettext_lazy("Error"), "badge-danger"),
}


@dataclass
class Option:
    product: Product
    quantity: int
    notes: tuple[str, ...]
    availability: object = None


@dataclass
class Row:
    result: object
    options: list[Option] = field(default_factory=list)
    choose: bool = False  # render the options as radio buttons
    availability: object = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.result.status][0]

    @property
    def badge(self) -> str:
        return STATUS_LABELS[self.result.status][1]


def _rows(results) -> list[Row]:
    rows, choice_rows = [], 0
    for result in results:
        row = Row(result=result)
        if result.product is not None:
            row.availability = result.stock.get(result.product.pk)
        if result.wanted is not None:
            row.options = [
                Option(p, fit.quantity, fit.notes, result.stock.get(p.pk))
                for p in result.options
                for fit in [quantity_fit(p, result.wanted)]
            ]
        has_alternatives = len(row.options) > (1 if result.orderable else 0)
        if has_alternatives and choice_rows < MAX_CHOICE_ROWS:
            row.choose = True
            choice_rows += 1
        rows.append(row)
    return rows


def _plan(results) -> str:
    """ "line:product:quantity" for every line the add view may use; product 0 when
    the buyer has to choose one."""
    entries = []
    for result in results:
        if result.wanted is None:
            continue
        product_id = result.product.pk if result.orderable else 0
        entries.append(f"{result.parsed.line}:{product_id}:{result.wanted}")
    return " ".join(entries)


def _context(request, **extra) -> dict:
    membership = request.membership
    return {
        "can_order": bool(membership and membership.can_order),
        "max_lines": MAX_LINES,
        **extra,
    }


@login_required
def quick_order(request):
    if request.company is None:
        return render(request, "cabinet/quickorder/no_company.html")
    if request.method != "POST":
        form = QuickOrderForm()
        return render(
            request, "cabinet/quickorder/form.html", _context(request, form=form)
        )
    form = QuickOrderForm(request.POST, request.FILES)
    lines = None
    if form.is_valid():
        try:
            lines = form.parsed_lines()
        except QuickOrderRefused as exc:
            form.add_error(None, str(exc))
    if lines is None:
        return render(
            request, "cabinet/quickorder/form.html", _context(request, form=form)
        )
    results = quick_order_resolve(
        lines=lines, company=request.company, strategy=request.strategy
    )
    list_items = [r for r in results if r.orderable]
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    context = _context(
        request,
        form=QuickOrderForm(),
        rows=_rows(results),
        plan=_plan(results),
        counts=counts,
        orderable=sum(1 for r in results if r.orderable),
        list_items=list_items,
        list_fits=len(list_items) <= MAX_LIST_ROWS,
    )
    return render(request, "cabinet/quickorder/results.html", context)


def _parse_plan(text: str) -> list[tuple[int, int, Decimal]]:
    plan = []
    for entry in text.split()[:MAX_LINES]:
        try:
            line, product_id, quantity = entry.split(":")
            item = (int(line), int(product_id), Decimal(quantity))
        except (ValueError, InvalidOperation):
            continue
        # NaN and infinity are Decimals too (and NaN refuses to be compared).
        if item[2].is_finite() and 0 < item[2] <= MAX_QUANTITY and item[1] >= 0:
            plan.append(item)
    return plan


def _picks(post) -> tuple[list[tuple[int, int, Decimal]], list[int]]:
    """(line, chosen product id, wanted quantity) per line to add; lines left to
    choose."""
    skipped = set(post.getlist("skip"))
    picks, unchosen = [], []
    for line, product_id, quantity in _parse_plan(post.get("plan", "")):
        if str(line) in skipped:
            continue
        chosen = post.get(f"choice-{line}", "")
        if chosen.isdigit():
            product_id = int(chosen)
        if product_id:
            picks.append((line, product_id, quantity))
        else:
            unchosen.append(line)
    return picks, unchosen


@login_required
@require_POST
def quick_order_add(request):
    membership = request.membership
    membership_require(membership, "order")
    picks, unchosen = _picks(request.POST)
    ids = sorted({pick[1] for pick in picks})
    products = (
        {p.pk: p for p in Product.objects.browsable().filter(pk__in=values_param(ids))}
        if ids
        else {}
    )
    items, unavailable = [], []
    for line, product_id, wanted in picks:
        product = products.get(product_id)
        if product is None:
            unavailable.append(line)
            continue
        items.append((product, wanted))
    report = basket_lines_add(basket=request.basket, membership=membership, items=items)
    _report(request, report, unchosen, unavailable)
    return redirect("basket:summary")


def _report(request, report, unchosen, unavailable) -> None:
    added = len(report.added)
    if added:
        messages.success(
            request,
            ngettext(
                "%(n)s line added to the basket.",
                "%(n)s lines added to the basket.",
                added,
            )
            % {"n": added},
        )
    elif not report.refused:
        messages.warning(request, _("Nothing was added to the basket."))
    short_stock_messages(request, report, limit=MAX_MESSAGES)
    for refusal in report.refused[:MAX_MESSAGES]:
        messages.warning(
            request,
            _("Not added: %(article)s — %(reason)s")
            % {"article": refusal.product.article, "reason": refusal.reason},
        )
    if len(report.refused) > MAX_MESSAGES:
        messages.warning(
            request,
            _("%(n)s more lines were not added.")
            % {"n": len(report.refused) - MAX_MESSAGES},
        )
    for lines, text in (
        (unchosen, _("No product chosen, not added: line(s) %(lines)s.")),
        (unavailable, _("Not available, not added: line(s) %(lines)s.")),
    ):
        if lines:
            shown = ", ".join(map(str, lines[:50])) + ("…" if len(lines) > 50 else "")
            messages.warning(request, text % {"lines": shown})
