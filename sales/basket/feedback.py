"""What a buyer is told after the basket changed: one message per kind, per line for
adjusted quantities, stock that is short, and refusals (at most `limit` each)."""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sales.basket.services import AddReport

LIMIT = 20


def report_messages(request, report: AddReport, *, limit: int = LIMIT) -> None:
    """Flash the outcome of `basket_lines_add` / `basket_lines_update`."""
    added = len(report.lines)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d product added to your basket.",
                "%(count)d products added to your basket.",
                added,
            )
            % {"count": added},
        )
    adjusted = [line for line in report.lines if line.notes]
    for line in adjusted[:limit]:
        messages.info(
            request,
            _("%(article)s: %(quantity)s — %(notes)s")
            % {
                "article": line.product.article,
                "quantity": line.total,
                "notes": "; ".join(str(n) for n in line.notes),
            },
        )
    short_stock_messages(request, report, limit=limit)
    for refusal in report.refused[:limit]:
        messages.error(
            request,
            _("Not added: %(article)s — %(reason)s")
            % {"article": refusal.product.article, "reason": refusal.reason},
        )
    hidden = sum(
        max(len(group) - limit, 0) for group in (adjusted, report.short, report.refused)
    )
    if hidden:
        messages.info(request, _("%(n)s more notes: see the basket.") % {"n": hidden})


def short_stock_messages(request, report: AddReport, *, limit: int = LIMIT) -> None:
    """One warning per line of which not everything is in stock now."""
    for line in report.short[:limit]:
        messages.warning(request, f"{line.product.article}: {line.promise.label}")
