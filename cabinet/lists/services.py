"""Writing purchase lists: create, rename, delete, add items, change quantities,
remove lines, import a file, put lines into the basket."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company
from cabinet.models import PurchaseList, PurchaseListLine
from catalog.importing.tables import TableError, table_read
from catalog.models import Product
from sales.basket.services import AddReport, basket_lines_add, quantity_fit
from search.lookup import AMBIGUOUS, NOT_FOUND, lookup_numbers

MAX_LINES = 2000  # per list: a list is a working document, not a catalogue
MAX_QUANTITY = 1_000_000
NOTE_MAX_LENGTH = 255
NAME_MAX_LENGTH = 120


class PurchaseListError(ValidationError):
    """A write that cannot be done as asked (the message says why)."""


# -- writes --------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PurchaseListError(_("Give the list a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise PurchaseListError(
            _("The name is longer than %(n)s characters.") % {"n": NAME_MAX_LENGTH}
        )
    return name


def _check_name_free(*, company: Company | int, name: str, exclude_pk=None) -> None:
    taken = PurchaseList.objects.annotate(lower=Lower("name")).filter(
        company=company, lower=name.lower()
    )
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise PurchaseListError(
            _("A list named “%(name)s” already exists.") % {"name": name}
        )


def purchase_list_create(*, company: Company, name: str, created_by) -> PurchaseList:
    name = _clean_name(name)
    _check_name_free(company=company, name=name)
    try:
        with transaction.atomic():
            return PurchaseList.objects.create(
                company=company, name=name, created_by=created_by
            )
    except IntegrityError as exc:  # created by a colleague a moment ago
        raise PurchaseListError(
            _("A list named “%(name)s” already exists.") % {"name": name}
        ) from exc


def purchase_list_rename(*, purchase_list: PurchaseList, name: str) -> PurchaseList:
    name = _clean_name(name)
    _check_name_free(
        company=purchase_list.company_id,
        name=name,
        exclude_pk=purchase_list.pk,
    )
    purchase_list.name = name
    try:
        with transaction.atomic():
            purchase_list.save(update_fields=["name", "updated_at"])
    except IntegrityError as exc:
        raise PurchaseListError(
            _("A list named “%(name)s” already exists.") % {"name": name}
        ) from exc
    return purchase_list


def purchase_list_delete(*, purchase_list: PurchaseList) -> None:
    purchase_list.delete()


@dataclass(frozen=True)
class ListItem:
    product: Product
    quantity: int
    note: str = ""


def _touch(purchase_list: PurchaseList) -> None:
    now = timezone.now()
    PurchaseList.objects.filter(pk=purchase_list.pk).update(updated_at=now)
    purchase_list.updated_at = now


def purchase_list_add_items(
    *, purchase_list: PurchaseList, items: list[ListItem]
) -> tuple[int, int]:
    """Add products to the list: a product already on it (or twice in `items`) gets
    its quantities summed; new products go to the end in the given order. The list
    row is locked so that colleagues adding at the same time do not collide.
    Returns (lines added, lines increased)."""
    wanted: dict[int, ListItem] = {}
    for item in items:
        if item.quantity < 1:
            raise PurchaseListError(_("Quantities must be positive."))
        previous = wanted.get(item.product.pk)
        if previous is not None:
            item = ListItem(
                product=item.product,
                quantity=previous.quantity + item.quantity,
                note=previous.note or item.note,
            )
        wanted[item.product.pk] = item
    if not wanted:
        return 0, 0
    with transaction.atomic():
        PurchaseList.objects.select_for_update().filter(pk=purchase_list.pk).get()
        existing = {
            line.product_id: line
            for line in purchase_list.lines.filter(product_id__in=list(wanted))
        }
        count = purchase_list.lines.count()
        if count + len(wanted) - len(existing) > MAX_LINES:
            raise PurchaseListError(
                _("A list holds at most %(n)s lines.") % {"n": MAX_LINES}
            )
        position = (purchase_list.lines.aggregate(m=Max("position"))["m"] or 0) + 1
        new_lines, changed = [], []
        for pk, item in wanted.items():
            line = existing.get(pk)
            if line is None:
                new_lines.append(
                    PurchaseListLine(
                        purchase_list=purchase_list,
                        product=item.product,
                        quantity=min(item.quantity, MAX_QUANTITY),
                        note=item.note[:NOTE_MAX_LENGTH],
                        position=position,
                    )
                )
                position += 1
            else:
                line.quantity = min(line.quantity + item.quantity, MAX_QUANTITY)
                line.note = line.note or item.note[:NOTE_MAX_LENGTH]
                changed.append(line)
        PurchaseListLine.objects.bulk_create(new_lines, batch_size=1000)
        PurchaseListLine.objects.bulk_update(
            changed, ["quantity", "note"], batch_size=1000
        )
        _touch(purchase_list)
    return len(new_lines), len(changed)


def purchase_list_set_quantities(
    *, purchase_list: PurchaseList, quantities: dict[int, int]
) -> int:
    """Set line quantities (line id → quantity ≥ 1); ids not on the list are
    ignored. Returns the number of lines changed."""
    if any(q < 1 or q > MAX_QUANTITY for q in quantities.values()):
        raise PurchaseListError(_("Quantities must be positive."))
    with transaction.atomic():
        lines = list(
            purchase_list.lines.select_for_update().filter(pk__in=list(quantities))
        )
        changed = [line for line in lines if line.quantity != quantities[line.pk]]
        for line in changed:
            line.quantity = quantities[line.pk]
        PurchaseListLine.objects.bulk_update(changed, ["quantity"], batch_size=1000)
        if changed:
            _touch(purchase_list)
    return len(changed)


def purchase_list_remove_lines(*, purchase_list: PurchaseList, line_ids) -> int:
    deleted, _details = purchase_list.lines.filter(pk__in=list(line_ids)).delete()
    if deleted:
        _touch(purchase_list)
    return deleted


# -- import --------------------------------------------------------------------

MAX_IMPORT_ROWS = MAX_LINES
MAX_IMPORT_BYTES = 5 * 1024 * 1024  # 2,000 lines are a few hundred KB


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    added: int = 0
    increased: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_quantity(text: str) -> int | None:
    """A positive whole quantity from a cell ("12", "12.0", "12,0"), else None."""
    try:
        value = Decimal((text or "").strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value() or value < 1:
        return None
    if value > MAX_QUANTITY:
        return None
    return int(value)


def _import_rows(table, report: ImportReport) -> list[tuple[int, str, int, str]]:
    rows = []
    for line, values in table.rows:
        article = values.get("article", "").strip()
        quantity = parse_quantity(values.get("quantity", ""))
        note = values.get("note", "").strip()
        if not article:
            report.errors.append(RowError(line, "article", _("the article is empty")))
        if quantity is None:
            report.errors.append(
                RowError(
                    line,
                    "quantity",
                    _("“%(value)s” is not a positive whole number")
                    % {"value": values.get("quantity", "")[:40]},
                )
            )
        if len(note) > NOTE_MAX_LENGTH:
            report.errors.append(
                RowError(
                    line,
                    "note",
                    _("longer than %(n)s characters") % {"n": NOTE_MAX_LENGTH},
                )
            )
        if article and quantity is not None:
            rows.append((line, article, quantity, note))
    return rows


def _resolve_articles(rows, *, company, report: ImportReport) -> list[ListItem]:
    results = lookup_numbers(numbers=[row[1] for row in rows], company=company)
    items = []
    for (line, article, quantity, note), result in zip(rows, results, strict=True):
        if result.status == NOT_FOUND:
            report.errors.append(
                RowError(
                    line,
                    "article",
                    _("“%(article)s” is not in the catalogue") % {"article": article},
                )
            )
        elif result.status == AMBIGUOUS:
            report.errors.append(
                RowError(
                    line,
                    "article",
                    _("“%(article)s” matches several products: %(found)s")
                    % {
                        "article": article,
                        "found": ", ".join(p.article or "" for p in result.products),
                    },
                )
            )
        else:
            items.append(ListItem(result.products[0], quantity, note))
    return items


def purchase_list_import(
    *, purchase_list: PurchaseList, data: bytes, filename: str = ""
) -> ImportReport:
    """Add the lines of a CSV/XLSX file (columns `article`, `quantity`, optional
    `note`) to the list. All or nothing: any bad row and nothing is written; every
    error names its line, column and reason."""
    report = ImportReport()
    try:
        table = table_read(
            data=data,
            filename=filename,
            max_bytes=MAX_IMPORT_BYTES,
            max_rows=MAX_IMPORT_ROWS,
        )
    except TableError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    missing = [c for c in ("article", "quantity") if c not in table.headers]
    if missing:
        report.errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("the column is missing (needed: article, quantity; optional: note)"),
            )
        )
        return report
    if not table.rows:
        report.errors.append(RowError(0, "", _("The file has no lines.")))
        return report
    if len(table.rows) > MAX_IMPORT_ROWS:
        report.errors.append(
            RowError(0, "", _("At most %(n)s lines per file.") % {"n": MAX_IMPORT_ROWS})
        )
        return report
    rows = _import_rows(table, report)
    items = _resolve_articles(rows, company=purchase_list.company, report=report)
    if report.errors:
        report.errors.sort(key=lambda e: (e.line, e.column))
        return report
    try:
        report.added, report.increased = purchase_list_add_items(
            purchase_list=purchase_list, items=items
        )
    except PurchaseListError as exc:
        report.errors.append(RowError(0, "", " ".join(exc.messages)))
    return report


# -- ordering ------------------------------------------------------------------


@dataclass
class OrderResult:
    report: AddReport
    adjustments: list[tuple[Product, tuple[str, ...]]]


def purchase_list_order(
    *,
    basket,
    membership,
    lines: list[PurchaseListLine],
    quantities: dict[int, int] | None = None,
) -> OrderResult:
    """Put lines into the basket at today's prices: each quantity (the list's, or
    `quantities[line id]` when given) is fitted to the product's MOQ and order step,
    and every change is reported; products that cannot be bought are refused."""
    quantities = quantities or {}
    items, adjustments = [], []
    for line in lines:
        fit = quantity_fit(line.product, quantities.get(line.pk, line.quantity))
        if fit.adjusted:
            adjustments.append((line.product, fit.notes))
        items.append((line.product, fit.quantity))
    report = basket_lines_add(basket=basket, membership=membership, items=items)
    return OrderResult(report=report, adjustments=adjustments)
