"""Quick order parsing: read the "article qty" lines buyers paste or upload.

Parsing (`quick_order_parse_text`, `quick_order_parse_table`, `quick_order_parse_items`)
is pure: no queries.
"""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from catalog.articles import ARTICLE_MAX_LENGTH, article_normalize
from catalog.importing.tables import Table
from sales.basket.services import MAX_QUANTITY

MAX_LINES = 5000
MAX_TEXT_CHARS = 1_000_000
MAX_INPUT_CHARS = 80

FORMULA_PREFIXES = ("=", "+", "@")
ARTICLE_HEADERS = {
    article_normalize(word)
    for word in (
        "article",
        "articles",
        "art",
        "sku",
        "part number",
        "part no",
        "pn",
        "number",
        "code",
        "item",
        "артикул",
        "код",
        "номер",
        "каталожный номер",
    )
}
QUANTITY_HEADERS = {
    article_normalize(word)
    for word in ("qty", "quantity", "count", "amount", "кол-во", "количество", "кол")
}
_QUANTITY = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_UNIT = re.compile(r"(?<=\d)\s*(?:pcs|pc|ea|шт|штук)\.?$", re.IGNORECASE)
_LINE_UNIT = re.compile(
    r"(\s[+-]?\d+(?:[.,]\d+)?)\s*(?:pcs|pc|ea|шт|штук)\.?$", re.IGNORECASE
)
_TAIL = re.compile(r"^(?P<article>.*?\S)[\s,]+(?P<qty>[+-]?\d+(?:[.,]\d+)?)$")
_WORDS = re.compile(r"[\t;,\s]+")


class QuickOrderRefused(ValueError):
    """The input as a whole is refused (too many lines, too large, unreadable)."""


@dataclass
class ParsedLine:
    line: int
    input: str
    article: str = ""
    key: str = ""
    quantity: Decimal | None = None
    error: str = ""
    also_lines: list[int] = field(default_factory=list)
    # "DIN 933": the whole line is tried as a number too, in case the last word
    # belongs to it rather than being a quantity.
    alternative: str = ""
    alternative_quantity: Decimal = Decimal(1)


# -- parsing ------------------------------------------------------------------------


def too_many_lines() -> QuickOrderRefused:
    return QuickOrderRefused(
        _("More than %(max)s lines: split the list into parts.") % {"max": MAX_LINES}
    )


def quantity_parse(text: str | None) -> tuple[Decimal | None, str]:
    """("2,5") → (Decimal("2.5"), ""); an empty cell means 1; errors as text."""
    text = _UNIT.sub("", (text or "").strip()).replace(" ", "")
    if not text:
        return Decimal(1), ""
    if not _QUANTITY.match(text):
        return None, _("the quantity “%(qty)s” is not a number") % {"qty": text[:20]}
    try:
        quantity = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already checked
        return None, _("the quantity is not a number")
    if quantity <= 0:
        return None, _("the quantity must be positive")
    if quantity > MAX_QUANTITY:
        return None, _("the quantity is too large")
    return quantity, ""


def _article_error(article: str, key: str) -> str:
    if article.startswith(FORMULA_PREFIXES):
        return _("a formula, not a part number")
    if len(article) > ARTICLE_MAX_LENGTH:
        return _("the number is longer than %(n)s characters") % {
            "n": ARTICLE_MAX_LENGTH
        }
    if not key:
        return _("not a part number")
    return ""


def line_from_cells(
    number: int, raw: str, article: str, qty: str | None, alternative: str = ""
) -> ParsedLine:
    article = (article or "").strip()
    line = ParsedLine(line=number, input=raw.strip()[:MAX_INPUT_CHARS])
    line.article = article[:MAX_INPUT_CHARS]
    line.key = article_normalize(article)
    line.error = _article_error(article, line.key)
    if not line.error:
        line.quantity, line.error = quantity_parse(qty)
    if not line.error and alternative and article_normalize(alternative) != line.key:
        line.alternative = alternative[:ARTICLE_MAX_LENGTH]
    return line


def _split(raw: str) -> tuple[str, str | None, str]:
    """A pasted line → (article, quantity text or None, alternative number)."""
    text = raw.strip()
    if text.startswith(FORMULA_PREFIXES):
        return text, None, ""
    for separator in ("\t", ";"):
        if separator in text:
            cells = [c.strip() for c in text.split(separator) if c.strip()]
            rest = cells[1:]
            numeric = [c for c in rest if _QUANTITY.match(_UNIT.sub("", c))]
            qty = numeric[-1] if numeric else (rest[0] if rest else None)
            return (cells[0] if cells else ""), qty, ""
    tail = _TAIL.match(_LINE_UNIT.sub(r"\1", text))
    if tail:
        article = tail["article"].rstrip(" ,")
        # "DIN 933", "ГОСТ 8338": a number that starts with a word of letters only
        # may end in what looks like a quantity.
        alternative = "" if any(ch.isdigit() for ch in article) else text
        return article, tail["qty"], alternative
    return text.rstrip(" ,"), None, ""


def _is_header(raw: str) -> bool:
    """ "Article<TAB>Qty", "артикул кол-во": a first line of column names."""
    if any(ch.isdigit() for ch in raw):
        return False
    words = {article_normalize(word) for word in _WORDS.split(raw)}
    return bool(words & (ARTICLE_HEADERS | QUANTITY_HEADERS))


def quick_order_parse_text(text: str) -> list[ParsedLine]:
    """Pasted lines (tab, `;`, `,` or spaces between article and quantity) → lines,
    the same article summed. Refuses more than MAX_LINES lines or MAX_TEXT_CHARS."""
    if len(text) > MAX_TEXT_CHARS:
        raise QuickOrderRefused(
            _("The text is longer than %(n)s characters: split it into parts.")
            % {"n": f"{MAX_TEXT_CHARS:,}"}
        )
    lines: list[ParsedLine] = []
    for number, raw in enumerate(io.StringIO(text, newline=None), start=1):
        if not raw.strip():
            continue
        if len(lines) >= MAX_LINES:
            raise too_many_lines()
        if not lines and _is_header(raw):
            continue
        lines.append(line_from_cells(number, raw, *_split(raw)))
    return lines_merge(lines)


def quick_order_parse_table(table: Table) -> list[ParsedLine]:
    """Rows of an uploaded CSV/XLSX (columns article and qty/quantity; without such
    a header the first two columns, the first row included)."""
    headers = table.headers
    article_col = next(
        (h for h in headers if article_normalize(h) in ARTICLE_HEADERS), None
    )
    qty_col = next(
        (h for h in headers if article_normalize(h) in QUANTITY_HEADERS), None
    )
    rows = [(n, values) for n, values in table.rows]
    if article_col is None:
        article_col, qty_col = headers[0], headers[1] if len(headers) > 1 else None
        rows.insert(0, (1, dict(zip(headers, headers, strict=True))))
    if len(rows) > MAX_LINES:
        raise too_many_lines()
    lines = []
    for number, values in rows:
        article = values.get(article_col, "")
        qty = values.get(qty_col, "") if qty_col else ""
        lines.append(line_from_cells(number, f"{article}\t{qty}".strip(), article, qty))
    return lines_merge(lines)


def quick_order_parse_items(
    items: Iterable[tuple[str, str | None]],
) -> list[ParsedLine]:
    """(article, quantity) pairs, as the API receives them."""
    lines = []
    for number, (article, qty) in enumerate(items, start=1):
        if number > MAX_LINES:
            raise too_many_lines()
        lines.append(line_from_cells(number, f"{article} {qty or ''}", article, qty))
    return lines_merge(lines)


def lines_merge(lines: list[ParsedLine]) -> list[ParsedLine]:
    """The same number twice is one line with the quantities summed."""
    merged: list[ParsedLine] = []
    first: dict[tuple[str, str], ParsedLine] = {}
    for line in lines:
        if line.error:
            merged.append(line)
            continue
        key = (line.key, article_normalize(line.alternative))
        if key not in first:
            first[key] = line
            merged.append(line)
            continue
        kept = first[key]
        kept.quantity += line.quantity
        kept.alternative_quantity += line.alternative_quantity
        kept.also_lines.append(line.line)
    return merged
