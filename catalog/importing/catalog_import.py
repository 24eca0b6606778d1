"""Catalog import: validate the whole file first, then upsert by article in one
transaction with bulk operations. Re-importing the same file changes nothing.

`progress(stage, done, total)`, when given, hears "checking" (rows checked of all)
and then "saving" (steps of the upsert done, in rows); a background job shows it
(`catalog.importing.jobs`), the command draws a bar."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from catalog.analogues import analogue_groups_merge
from catalog.articles import ARTICLE_MAX_LENGTH, article_normalize
from catalog.importing.tables import Table
from catalog.models import (
    CrossReference,
    Manufacturer,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
    ProductClass,
    Unit,
)
from catalog.partner.models import Partner, StockRecord
from catalog.pricing.models import PriceList, PriceListItem
from catalog.signals import products_changed

REQUIRED = ("article", "name", "price")
KNOWN = (
    "article",
    "name",
    "price",
    "manufacturer",
    "manufacturer_article",
    "cross_references",
    "analogues",
    "category",
    "unit",
    "pack_size",
    "min_order_qty",
    "stock",
    "currency",
    "vat_rate",
    "description",
)
UNIT_ALIASES = {
    "шт": "pcs",
    "шт.": "pcs",
    "pc": "pcs",
    "м": "m",
    "кг": "kg",
    "л": "l",
    "компл": "set",
    "компл.": "set",
    "упак": "pack",
    "упак.": "pack",
    "пар": "pair",
    "пара": "pair",
    "рул": "roll",
    "рул.": "roll",
}
BATCH = 2000
PROGRESS_EVERY = 1000  # rows checked between two progress reports


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self):
        return _("line %(line)s, column %(column)s: %(reason)s") % {
            "line": self.line,
            "column": self.column or "—",
            "reason": self.reason,
        }


@dataclass
class ImportRow:
    line: int
    article: str
    normalized: str
    name: str
    price: Decimal
    manufacturer: str = ""
    manufacturer_article: str = ""
    cross_references: list[str] = field(default_factory=list)
    analogues: list[str] = field(default_factory=list)
    category: str = ""
    unit: str = Unit.PIECE
    pack_size: int = 1
    min_order_qty: int = 1
    stock: int | None = None
    vat_rate: Decimal | None = None
    description: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class CatalogImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} invalid rows")
        self.errors = errors


def _silent(stage: str, done: int, total: int) -> None:
    pass


def catalog_import(
    *, table: Table, dry_run: bool = False, skip_invalid: bool = False, progress=None
) -> ImportReport:
    """Validate everything; import only when there is no error (or skip_invalid)."""
    progress = progress or _silent
    report = ImportReport(dry_run=dry_run)
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), _("required column is missing"))
        )
        return report
    price_list = PriceList.objects.public_or_new()
    rows, errors = _parse(table, price_list.currency, progress)
    errors += _check_analogues(rows)
    report.errors = sorted(errors, key=lambda e: (e.line, e.column))
    bad_lines = {e.line for e in errors}
    good = [r for r in rows if r.line not in bad_lines]
    report.rows = len(table.rows)
    if report.errors and not skip_invalid:
        return report
    with transaction.atomic():
        _apply(good, price_list, report, progress)
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


# --- parsing -------------------------------------------------------------------


def _decimal(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise InvalidOperation(text)
    return Decimal(cleaned)


def _positive_int(text: str) -> int:
    value = _decimal(text)
    if value != value.to_integral_value() or value < 1:
        raise ValueError(text)
    return int(value)


def _check_article(article: str, line: int, first_line_of: dict, err) -> str:
    normalized = article_normalize(article)
    if not article:
        err("article", _("the article is empty"))
    elif len(article) > ARTICLE_MAX_LENGTH or not normalized:
        err("article", _("not a valid article number"))
    elif normalized in first_line_of:
        err(
            "article",
            _("duplicate of line %(line)s") % {"line": first_line_of[normalized]},
        )
    else:
        first_line_of[normalized] = line
    return normalized


def _check_price(text: str, err) -> Decimal:
    try:
        price = _decimal(text)
    except InvalidOperation:
        err("price", _("not a number: %(value)s") % {"value": text[:40]})
        return Decimal(0)
    if price <= 0:
        err("price", _("must be greater than zero"))
    elif price.as_tuple().exponent < -2:
        err("price", _("more than two decimal places"))
    return price


def _parse(
    table: Table, currency: str, progress
) -> tuple[list[ImportRow], list[RowError]]:
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    extra_columns = [h for h in table.headers if h not in KNOWN]
    total = len(table.rows)
    for checked, (line, values) in enumerate(table.rows):
        if checked % PROGRESS_EVERY == 0:
            progress("checking", checked, total)
        row_errors: list[RowError] = []

        def err(column, reason, line=line, row_errors=row_errors):
            row_errors.append(RowError(line, column, reason))

        if values.get("__extra__"):
            err("", _("more cells than columns in the header"))
        article = values.get("article", "").strip()
        normalized = _check_article(article, line, first_line_of, err)
        name = values.get("name", "").strip()
        if not name:
            err("name", _("the name is empty"))
        elif len(name) > 255:
            err("name", _("longer than 255 characters"))
        price = _check_price(values.get("price", ""), err)
        row = ImportRow(
            line=line, article=article, normalized=normalized, name=name, price=price
        )
        _optional(row, values, err, currency)
        row.attributes = {
            h: values[h] for h in extra_columns if values.get(h, "").strip()
        }
        if row_errors:
            errors.extend(row_errors)
        rows.append(row)
    progress("checking", total, total)
    return rows, errors


def _optional(row: ImportRow, values: dict, err, currency: str) -> None:  # noqa: C901
    row.manufacturer = values.get("manufacturer", "").strip()
    if len(row.manufacturer) > 128:
        err("manufacturer", _("longer than 128 characters"))
    row.manufacturer_article = values.get("manufacturer_article", "").strip()
    if len(row.manufacturer_article) > ARTICLE_MAX_LENGTH:
        err("manufacturer_article", _("longer than 64 characters"))
    row.cross_references = _split(values.get("cross_references", ""))
    if any(
        len(n) > ARTICLE_MAX_LENGTH or not article_normalize(n)
        for n in row.cross_references
    ):
        err("cross_references", _("a number is empty or longer than 64 characters"))
    row.analogues = _split(values.get("analogues", ""))
    row.category = " > ".join(
        p.strip() for p in values.get("category", "").split(">") if p.strip()
    )
    unit = values.get("unit", "").strip().lower()
    if unit:
        unit = UNIT_ALIASES.get(unit, unit)
        if unit not in Unit.values:
            err("unit", _("unknown unit %(unit)s") % {"unit": values["unit"][:20]})
        row.unit = unit
    for column in ("pack_size", "min_order_qty"):
        if values.get(column, "").strip():
            try:
                setattr(row, column, _positive_int(values[column]))
            except (ValueError, InvalidOperation):
                err(column, _("must be a whole number of 1 or more"))
    if values.get("stock", "").strip():
        try:
            stock = _decimal(values["stock"])
            if stock < 0:
                err("stock", _("cannot be negative"))
            elif stock != stock.to_integral_value():
                err("stock", _("must be a whole number"))
            else:
                row.stock = int(stock)
        except InvalidOperation:
            err("stock", _("not a number: %(value)s") % {"value": values["stock"][:40]})
    row_currency = values.get("currency", "").strip().upper()
    if row_currency and row_currency != currency:
        err(
            "currency",
            _("%(got)s differs from the list price currency %(want)s")
            % {"got": row_currency, "want": currency},
        )
    if values.get("vat_rate", "").strip():
        try:
            vat = _decimal(values["vat_rate"].replace("%", ""))
            if not 0 <= vat <= 100:
                err("vat_rate", _("must be between 0 and 100"))
            row.vat_rate = vat
        except InvalidOperation:
            err(
                "vat_rate",
                _("not a number: %(value)s") % {"value": values["vat_rate"][:40]},
            )
    if "description" in values:
        row.description = values["description"]


def _split(text: str) -> list[str]:
    seen, result = set(), []
    for part in text.split("|"):
        part = part.strip()
        if part and article_normalize(part) not in seen:
            seen.add(article_normalize(part))
            result.append(part)
    return result


def _check_analogues(rows: list[ImportRow]) -> list[RowError]:
    in_file = {r.normalized for r in rows if r.normalized}
    wanted = {article_normalize(a) for r in rows for a in r.analogues} - in_file
    existing = set(
        _in_chunks(
            lambda chunk: Product.objects.filter(
                article_normalized__in=chunk
            ).values_list("article_normalized", flat=True),
            list(wanted),
        )
    )
    errors = []
    for row in rows:
        for analogue in row.analogues:
            normalized = article_normalize(analogue)
            if normalized == row.normalized:
                errors.append(
                    RowError(
                        row.line, "analogues", _("a product cannot be its own analogue")
                    )
                )
            elif normalized not in in_file and normalized not in existing:
                errors.append(
                    RowError(
                        row.line,
                        "analogues",
                        _("unknown article %(article)s") % {"article": analogue},
                    )
                )
    return errors


def _in_chunks(fetch, values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield from fetch(values[start : start + size])


# --- applying --------------------------------------------------------------------


def _apply(
    rows: list[ImportRow], price_list: PriceList, report: ImportReport, progress
) -> None:
    if price_list.pk is None:
        price_list.save()
    product_class, _ = ProductClass.objects.get_or_create(
        name="Goods", defaults={"requires_shipping": True, "track_stock": True}
    )
    existing = {
        p.article_normalized: p
        for p in _in_chunks(
            lambda chunk: Product.objects.filter(article_normalized__in=chunk),
            [r.normalized for r in rows],
        )
    }
    manufacturers = _manufacturers({r.manufacturer for r in rows if r.manufacturer})
    changed: dict[int, bool] = {}
    products: dict[str, Product] = {}
    new, to_update = [], []
    for row in rows:
        product = existing.get(row.normalized)
        if product is None:
            product = Product(
                structure=Product.STANDALONE,
                is_public=True,
                product_class=product_class,
                slug=slugify(row.article)[:255] or "item",
            )
            _set_fields(product, row, manufacturers)
            new.append(product)
        elif _set_fields(product, row, manufacturers):
            to_update.append(product)
            changed[product.pk] = True
        products[row.normalized] = product
    steps = [
        lambda: _sync_prices(rows, products, price_list),
        lambda: _sync_stock(rows, products),
        lambda: _sync_categories(rows, products),
        lambda: _sync_cross_references(rows, products),
        lambda: _sync_attributes(rows, products, product_class),
        lambda: _sync_analogues(rows, products),
    ]
    total, done = len(rows) * (1 + len(steps)), 0  # the products, then each step
    progress("saving", done, total)
    for start in range(0, len(new), BATCH):
        Product.objects.bulk_create(new[start : start + BATCH])
        done += len(new[start : start + BATCH])
        progress("saving", done, total)
    fields = [
        "article",
        "article_normalized",
        "title",
        "manufacturer",
        "manufacturer_article",
        "manufacturer_article_normalized",
        "unit",
        "pack_size",
        "min_order_qty",
        "vat_rate",
        "description",
    ]
    for start in range(0, len(to_update), BATCH):
        Product.objects.bulk_update(to_update[start : start + BATCH], fields)
        done += len(to_update[start : start + BATCH])
        progress("saving", done, total)
    new_ids = {p.pk for p in new}
    done = len(rows)
    for step in steps:
        for pk in step():
            changed[pk] = True
        done += len(rows)
        progress("saving", done, total)
    products_changed.send(
        sender=catalog_import, product_ids=sorted(new_ids | set(changed))
    )
    _count(rows, products, new_ids, changed, report)


def _count(rows, products, new_ids, changed, report: ImportReport) -> None:
    for row in rows:
        pk = products[row.normalized].pk
        if pk in new_ids:
            report.created += 1
        elif changed.get(pk):
            report.updated += 1
        else:
            report.unchanged += 1


def _manufacturers(names: set[str]) -> dict[str, Manufacturer]:
    found = {m.name.lower(): m for m in Manufacturer.objects.filter(name__in=names)}
    for name in sorted(names):
        if name.lower() not in found:
            slug = slugify(name) or f"m-{abs(hash(name)) % 10**8}"
            while Manufacturer.objects.filter(slug=slug).exists():
                slug += "-1"
            found[name.lower()] = Manufacturer.objects.create(name=name, slug=slug)
    return {name: found[name.lower()] for name in names}


def _set_fields(product: Product, row: ImportRow, manufacturers) -> bool:
    values = {
        "article": row.article,
        "article_normalized": row.normalized,
        "title": row.name,
        "manufacturer_id": manufacturers[row.manufacturer].pk
        if row.manufacturer
        else None,
        "manufacturer_article": row.manufacturer_article,
        "manufacturer_article_normalized": article_normalize(row.manufacturer_article),
        "unit": row.unit,
        "pack_size": row.pack_size,
        "min_order_qty": row.min_order_qty,
    }
    if row.vat_rate is not None:
        values["vat_rate"] = row.vat_rate
    if row.description is not None:
        values["description"] = row.description
    dirty = False
    for name, value in values.items():
        if getattr(product, name) != value:
            setattr(product, name, value)
            dirty = True
    return dirty


def _sync_prices(rows, products, price_list) -> set[int]:
    ids = [products[r.normalized].pk for r in rows]
    current = {
        item.product_id: item
        for item in _in_chunks(
            lambda c: PriceListItem.objects.filter(
                price_list=price_list, min_quantity=1, product_id__in=c
            ),
            ids,
        )
    }
    create, update, touched = [], [], set()
    for row in rows:
        pk = products[row.normalized].pk
        item = current.get(pk)
        if item is None:
            create.append(
                PriceListItem(
                    price_list=price_list,
                    product_id=pk,
                    min_quantity=1,
                    price=row.price,
                )
            )
            touched.add(pk)
        elif item.price != row.price:
            item.price = row.price
            update.append(item)
            touched.add(pk)
    PriceListItem.objects.bulk_create(create, batch_size=BATCH)
    PriceListItem.objects.bulk_update(update, ["price"], batch_size=BATCH)
    return touched


def _default_warehouse() -> Partner:
    partner = Partner.objects.filter(is_default=True).first()
    if partner is None:
        partner = Partner.objects.create(
            name="Main warehouse", code="main", is_default=True
        )
    return partner


def _sync_stock(rows, products) -> set[int]:
    stocked = [r for r in rows if r.stock is not None]
    if not stocked:
        return set()
    warehouse = _default_warehouse()
    ids = [products[r.normalized].pk for r in stocked]
    current = {
        s.product_id: s
        for s in _in_chunks(
            lambda c: StockRecord.objects.filter(partner=warehouse, product_id__in=c),
            ids,
        )
    }
    create, update, touched = [], [], set()
    for row in stocked:
        product = products[row.normalized]
        record = current.get(product.pk)
        if record is None:
            create.append(
                StockRecord(
                    product=product,
                    partner=warehouse,
                    partner_sku=row.article,
                    num_in_stock=row.stock,
                    num_allocated=0,
                )
            )
            touched.add(product.pk)
        elif record.num_in_stock != row.stock:
            record.num_in_stock = row.stock
            update.append(record)
            touched.add(product.pk)
    StockRecord.objects.bulk_create(create, batch_size=BATCH)
    StockRecord.objects.bulk_update(update, ["num_in_stock"], batch_size=BATCH)
    return touched


def _sync_categories(rows, products) -> set[int]:
    with_category = [r for r in rows if r.category]
    if not with_category:
        return set()
    categories = {
        path: create_from_breadcrumbs(path)
        for path in {r.category for r in with_category}
    }
    ids = [products[r.normalized].pk for r in with_category]
    current: dict[int, set[int]] = defaultdict(set)
    for pc in _in_chunks(
        lambda c: ProductCategory.objects.filter(product_id__in=c), ids
    ):
        current[pc.product_id].add(pc.category_id)
    create, remove, touched = [], [], set()
    for row in with_category:
        pk = products[row.normalized].pk
        wanted = categories[row.category].pk
        if current[pk] != {wanted}:
            touched.add(pk)
            remove.append(pk)
            create.append(ProductCategory(product_id=pk, category_id=wanted))
    for start in range(0, len(remove), 500):
        ProductCategory.objects.filter(
            product_id__in=remove[start : start + 500]
        ).delete()
    ProductCategory.objects.bulk_create(create, batch_size=BATCH)
    return touched


def _sync_cross_references(rows, products) -> set[int]:
    ids = [products[r.normalized].pk for r in rows]
    current: dict[int, dict[str, CrossReference]] = defaultdict(dict)
    for ref in _in_chunks(
        lambda c: CrossReference.objects.filter(product_id__in=c), ids
    ):
        current[ref.product_id][ref.number_normalized] = ref
    create, delete, touched = [], [], set()
    for row in rows:
        pk = products[row.normalized].pk
        wanted = {article_normalize(n): n for n in row.cross_references}
        have = current[pk]
        for normalized, number in wanted.items():
            if normalized not in have:
                create.append(
                    CrossReference(
                        product_id=pk, number=number, number_normalized=normalized
                    )
                )
                touched.add(pk)
        for normalized, ref in have.items():
            if normalized not in wanted:
                delete.append(ref.pk)
                touched.add(pk)
    for start in range(0, len(delete), 500):
        CrossReference.objects.filter(pk__in=delete[start : start + 500]).delete()
    CrossReference.objects.bulk_create(create, batch_size=BATCH)
    return touched


def _sync_attributes(rows, products, product_class) -> set[int]:
    codes = sorted({code for r in rows for code in r.attributes})
    if not codes:
        return set()
    attributes = {}
    for code in codes:
        slug = slugify(code).replace("-", "_")[:128] or "attr"
        attributes[code], _ = ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code=slug,
            defaults={"name": code, "type": "text"},
        )
    ids = [products[r.normalized].pk for r in rows if r.attributes]
    current = {
        (v.product_id, v.attribute_id): v
        for v in _in_chunks(
            lambda c: ProductAttributeValue.objects.filter(
                product_id__in=c, attribute__in=attributes.values()
            ),
            ids,
        )
    }
    create, update, touched = [], [], set()
    for row in rows:
        pk = products[row.normalized].pk
        for code, text in row.attributes.items():
            attribute = attributes[code]
            value = current.get((pk, attribute.pk))
            if value is None:
                create.append(
                    ProductAttributeValue(
                        product_id=pk, attribute=attribute, value_text=text
                    )
                )
                touched.add(pk)
            elif value.value_text != text:
                value.value_text = text
                update.append(value)
                touched.add(pk)
    ProductAttributeValue.objects.bulk_create(create, batch_size=BATCH)
    ProductAttributeValue.objects.bulk_update(update, ["value_text"], batch_size=BATCH)
    return touched


def _sync_analogues(rows, products) -> set[int]:
    wanted = {article_normalize(a) for r in rows for a in r.analogues} - set(products)
    known = dict(products)
    for product in _in_chunks(
        lambda c: Product.objects.filter(article_normalized__in=c), sorted(wanted)
    ):
        known[product.article_normalized] = product
    pairs = []
    for row in rows:
        for analogue in row.analogues:
            other = known.get(article_normalize(analogue))
            if other is not None:  # rows skipped as invalid are simply not linked
                pairs.append((products[row.normalized], other))
    return analogue_groups_merge(pairs=pairs)
