"""Price list import (columns article, price, min_qty[, currency]): every row is checked
first, then the breaks are upserted in one transaction; any invalid row, nothing saved."""

import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.articles import article_normalize
from catalog.cache import catalog_cache_bump
from catalog.importing.catalog_import import ImportReport, RowError
from catalog.importing.tables import Table
from catalog.models import Product
from catalog.pricing.models import PriceList, PriceListItem

REQUIRED = ("article", "price")
KNOWN = ("article", "price", "min_qty", "currency")
MAX_PRICE = Decimal("1e12")
BATCH = 2000
NUMBER = re.compile(r"\d+([.,]\d+)?")
PROGRESS_EVERY = 1000  # rows checked between two progress reports


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _number(text: str) -> Decimal | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if not NUMBER.fullmatch(cleaned):
        return None
    return Decimal(cleaned.replace(",", "."))


def _price(text: str) -> tuple[Decimal | None, str]:
    if not text:
        return None, _("a price is required")
    if text.lstrip().startswith("-"):
        return None, _("the price must be greater than zero")
    value = _number(text)
    if value is None:
        return None, _("'%(value)s' is not a number") % {"value": text}
    if value <= 0:
        return None, _("the price must be greater than zero")
    if value.as_tuple().exponent < -2 or value >= MAX_PRICE:
        return None, _("the price must have at most 2 decimal places")
    return value, ""


def _min_qty(text: str) -> tuple[int | None, str]:
    if not text:
        return 1, ""
    value = _number(text)
    if value is None or value != value.to_integral_value() or value < 1:
        return None, _("the break quantity must be a whole number of 1 or more")
    return int(value), ""


def _header_errors(table: Table) -> list[RowError]:
    missing = [
        RowError(1, column, _("the required column is missing"))
        for column in REQUIRED
        if column not in table.headers
    ]
    expected = ", ".join(KNOWN)
    unknown = [
        RowError(
            1, column, _("unknown column (expected: %(known)s)") % {"known": expected}
        )
        for column in table.headers
        if column not in KNOWN
    ]
    return missing + unknown


def _parse(table: Table, price_list: PriceList, progress):
    """Rows as {(article_normalized, min_qty): (line, price)} and the errors found."""
    rows: dict[tuple[str, int], tuple[int, str, Decimal]] = {}
    errors: list[RowError] = []
    total = len(table.rows)
    for checked, (line, values) in enumerate(table.rows):
        if checked % PROGRESS_EVERY == 0:
            progress("checking", checked, total)
        if values.get("__extra__"):
            errors.append(RowError(line, "", _("more cells than header columns")))
            continue
        article = values.get("article", "")
        normalized = article_normalize(article)
        if not normalized:
            errors.append(RowError(line, "article", _("an article is required")))
        price, problem = _price(values.get("price", ""))
        if problem:
            errors.append(RowError(line, "price", problem))
        qty, problem = _min_qty(values.get("min_qty", ""))
        if problem:
            errors.append(RowError(line, "min_qty", problem))
        currency = values.get("currency", "").upper()
        if currency and currency != price_list.currency:
            errors.append(
                RowError(
                    line,
                    "currency",
                    _("%(currency)s differs from the price list's %(list)s")
                    % {"currency": currency, "list": price_list.currency},
                )
            )
        if not normalized or price is None or qty is None:
            continue
        first = rows.get((normalized, qty))
        if first is not None:
            errors.append(
                RowError(
                    line,
                    "article",
                    _("%(article)s from %(qty)s is already on line %(line)s")
                    % {"article": article, "qty": qty, "line": first[0]},
                )
            )
            continue
        rows[(normalized, qty)] = (line, article, price)
    progress("checking", total, total)
    return rows, errors


def prices_import(
    *, price_list: PriceList, table: Table, dry_run: bool = False, progress=None
) -> ImportReport:
    """Upsert the file's quantity breaks into `price_list`. All or nothing.
    `progress(stage, done, total)` hears "checking" and "saving", in rows."""
    progress = progress or _silent
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    report.errors = _header_errors(table)
    if report.errors:
        return report
    rows, report.errors = _parse(table, price_list, progress)
    products = _products({key[0] for key in rows})
    for (normalized, _qty), (line, article, _price) in rows.items():
        if normalized not in products:
            report.errors.append(
                RowError(
                    line,
                    "article",
                    _("no product with article %(article)s") % {"article": article},
                )
            )
    if report.errors:
        report.errors.sort(key=lambda e: (e.line, e.column))
        return report
    with transaction.atomic():
        progress("saving", 0, len(rows))
        _apply(price_list, rows, products, report)
        progress("saving", len(rows), len(rows))
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


def _products(normalized: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    values = sorted(normalized)
    for start in range(0, len(values), 500):
        found.update(
            Product.objects.filter(
                article_normalized__in=values[start : start + 500]
            ).values_list("article_normalized", "pk")
        )
    return found


def _apply(price_list, rows, products, report) -> None:
    wanted = {
        (products[normalized], qty): price
        for (normalized, qty), (_l, _a, price) in rows.items()
    }
    existing: dict[tuple[int, int], PriceListItem] = {}
    ids = sorted({pid for pid, _qty in wanted})
    for start in range(0, len(ids), 500):
        for item in PriceListItem.objects.filter(
            price_list=price_list, product_id__in=ids[start : start + 500]
        ):
            existing[(item.product_id, item.min_quantity)] = item
    create, update = [], []
    for (pid, qty), price in wanted.items():
        item = existing.get((pid, qty))
        if item is None:
            create.append(
                PriceListItem(
                    price_list=price_list, product_id=pid, min_quantity=qty, price=price
                )
            )
        elif item.price != price:
            item.price = price
            update.append(item)
    report.created, report.updated = len(create), len(update)
    report.unchanged = len(wanted) - len(create) - len(update)
    PriceListItem.objects.bulk_create(create, batch_size=BATCH)
    PriceListItem.objects.bulk_update(update, ["price"], batch_size=BATCH)
    catalog_cache_bump()  # bulk writes send no model signals
