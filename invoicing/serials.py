"""Serial numbers and batches of delivered goods: staff's import (CSV/XLSX or pasted
table, the ERP's JSON), all or nothing, and the reads the buyer's cabinet exports.

Every row is checked before anything is written — the order (within the staff
member's scope), the line (by article or line id), the serial or batch, duplicates
in the file and in the database, the line's quantity — and every error is reported
with its line and column. Only a file without errors is written, in one transaction
that holds the orders' lines locked, so two imports for one line cannot together
exceed its quantity; the unique constraint catches a serial stored meanwhile.
Serials are normalised by `catalog.articles.article_normalize` (letters and digits,
lower case, Cyrillic look-alikes folded), the same as article numbers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.staff import staff_scope
from catalog.articles import article_normalize
from catalog.importing.tables import TableError, table_read
from invoicing.models import DeliveryNote, SerialNumber
from sales.order.models import Line, Order

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_LENGTH = 64
CANCELLED_STATUSES = ("Cancelled",)

# Accepted column names (lower case) → the field they fill.
COLUMNS = {
    "order": ("order", "order number", "order no", "заказ", "номер заказа"),
    "article": ("article", "артикул"),
    "line": ("line", "line id", "строка"),
    "serial": ("serial", "serial number", "serial no", "серийный номер", "серийный"),
    "batch": ("batch", "lot", "партия"),
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class SerialImport:
    """What an import did: `created` rows, or nothing and every error."""

    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    order: str
    article: str
    line: str
    serial: str
    batch: str
    columns: dict[str, str]  # field → column name as in the file
    resolved_line: Line | None = None


def serials_import(
    *, user, rows: list[dict[str, str]] | None = None, file=None, filename: str = ""
) -> SerialImport:
    """Import serials from `file` (bytes or an uploaded file; CSV or XLSX) or from
    `rows` (dicts by column name, numbered from line 2 as under a header row)."""
    _require_staff(user)
    if file is not None:
        data = file if isinstance(file, bytes) else _read_upload(file)
        if isinstance(data, SerialImport):
            return data
        if len(data) > MAX_FILE_BYTES:
            return SerialImport(errors=[RowError(0, "", _too_large())])
        try:
            table = table_read(
                data=data,
                filename=filename or getattr(file, "name", ""),
                max_bytes=MAX_FILE_BYTES,
                max_rows=MAX_ROWS,
            )
        except TableError as exc:
            return SerialImport(errors=[RowError(0, "", str(exc))])
        numbered = table.rows
        headers = table.headers
    else:
        numbered = list(enumerate(rows or [], start=2))
        headers = sorted({key.lower() for _, row in numbered for key in row})
        numbered = [
            (n, {k.lower(): str(v or "") for k, v in row.items()})
            for n, row in numbered
        ]
    return _import(user=user, headers=headers, numbered=numbered)


def serials_add(*, user, order: str, lines: list[dict]) -> SerialImport:
    """The form's and the API's path: one order and its lines (`article` or `line`,
    `serial`, `batch`), numbered from 1, through the same checks as a file."""
    _require_staff(user)
    numbered = []
    for number, item in enumerate(lines, start=1):
        values = {"order": str(order or "")}
        if not isinstance(item, dict):
            values["__invalid__"] = "1"
        else:
            for key in ("article", "line", "serial", "batch"):
                value = item.get(key)
                values[key] = "" if value is None else str(value).strip()
        numbered.append((number, values))
    if not numbered:
        return SerialImport(errors=[RowError(0, "lines", _("Give at least one line."))])
    return _import(
        user=user,
        headers=["order", "article", "line", "serial", "batch"],
        numbered=numbered,
    )


def _require_staff(user) -> None:
    if user is None or not (user.is_active and user.is_staff):
        raise PermissionDenied(_("Only staff may enter serial numbers."))


def _read_upload(file) -> bytes | SerialImport:
    if getattr(file, "size", 0) > MAX_FILE_BYTES:
        return SerialImport(errors=[RowError(0, "", _too_large())])
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return SerialImport(errors=[RowError(0, "", _too_large())])
    return data


def _too_large() -> str:
    return _("The file is larger than %(mb)s MB; split it into parts.") % {
        "mb": MAX_FILE_BYTES // (1024 * 1024)
    }


def _columns(headers: list[str]) -> tuple[dict[str, str], list[RowError]]:
    found: dict[str, str] = {}
    for name, aliases in COLUMNS.items():
        for header in headers:
            if header in aliases:
                found.setdefault(name, header)
    errors = []
    if "order" not in found:
        errors.append(RowError(1, "order", _("The file has no column “order”.")))
    if "article" not in found and "line" not in found:
        errors.append(
            RowError(1, "article", _("The file needs a column “article” or “line”."))
        )
    if "serial" not in found and "batch" not in found:
        errors.append(
            RowError(1, "serial", _("The file needs a column “serial” or “batch”."))
        )
    return found, errors


def _import(*, user, headers, numbered) -> SerialImport:
    data_bytes = sum(len(v) for _, row in numbered for v in row.values())
    if len(numbered) > MAX_ROWS or data_bytes > MAX_FILE_BYTES:
        return SerialImport(
            rows=len(numbered),
            errors=[
                RowError(
                    0,
                    "",
                    _("More than %(n)s rows or %(mb)s MB; split them into parts.")
                    % {"n": MAX_ROWS, "mb": MAX_FILE_BYTES // (1024 * 1024)},
                )
            ],
        )
    columns, errors = _columns(headers)
    if errors:
        return SerialImport(rows=len(numbered), errors=errors)
    rows = [_row(number, values, columns) for number, values in numbered]
    try:
        with transaction.atomic():
            report = _check_and_write(user=user, rows=rows)
            if report.errors:
                transaction.set_rollback(True)
            return report
    except IntegrityError:
        return SerialImport(
            rows=len(rows),
            errors=[
                RowError(
                    0,
                    "serial",
                    _(
                        "A serial number was stored meanwhile by someone else; "
                        "nothing was imported, try again."
                    ),
                )  # fmt: skip
            ],
        )


def _row(number: int, values: dict[str, str], columns: dict[str, str]) -> _Row:
    def cell(name):
        return (values.get(columns[name], "") if name in columns else "").strip()

    return _Row(
        number=number,
        order=cell("order"),
        article=cell("article"),
        line=cell("line"),
        serial=cell("serial"),
        batch=cell("batch"),
        columns={name: columns.get(name, name) for name in COLUMNS},
    )


def _check_and_write(*, user, rows: list[_Row]) -> SerialImport:
    report = SerialImport(rows=len(rows))
    orders = _orders(user=user, numbers={r.order for r in rows if r.order})
    lines = _lines_locked(orders.values())
    for row in rows:
        report.errors.extend(_check_row(row, orders=orders, lines=lines))
    report.errors.extend(_check_duplicates(rows))
    wrong = {e.line for e in report.errors}
    report.errors.extend(_check_quantities([r for r in rows if r.number not in wrong]))
    if report.errors:
        report.errors.sort(key=lambda e: (e.line, e.column))
        return report
    notes = dict(
        DeliveryNote.objects.filter(order__in=orders.values()).values_list(
            "order_id", "pk"
        )
    )
    SerialNumber.objects.bulk_create(
        [
            SerialNumber(
                company_id=row.resolved_line.order.company_id,
                order_id=row.resolved_line.order_id,
                line=row.resolved_line,
                delivery_note_id=notes.get(row.resolved_line.order_id),
                product_id=row.resolved_line.product_id,
                serial=row.serial,
                serial_normalized=article_normalize(row.serial),
                batch=row.batch,
                created_by=user,
            )
            for row in rows
        ]
    )
    report.created = len(rows)
    report.orders = sorted({row.resolved_line.order.number for row in rows})
    return report


def _orders(*, user, numbers: set[str]) -> dict[str, Order]:
    """The orders named, as far as the staff member may see them."""
    scoped = staff_scope(Order.objects.all(), user=user)
    return {o.number: o for o in scoped.filter(number__in=numbers)}


def _lines_locked(orders) -> dict[int, list[Line]]:
    """Every line of the orders, locked for the transaction, by order id."""
    ids = [o.pk for o in orders]
    by_order: dict[int, list[Line]] = defaultdict(list)
    if not ids:
        return by_order
    locked = (
        Line.objects.select_for_update(of=("self",))
        .filter(order_id__in=ids)
        .order_by("pk")
    )
    counts = dict(
        SerialNumber.objects.filter(line__order_id__in=ids)
        .values("line_id")
        .annotate(n=Count("pk"))
        .values_list("line_id", "n")
    )
    order_of = {o.pk: o for o in orders}
    for line in locked.select_related("product"):
        line.order = order_of[line.order_id]
        line.stored_serials = counts.get(line.pk, 0)
        by_order[line.order_id].append(line)
    return by_order


def _check_row(row: _Row, *, orders, lines) -> list[RowError]:
    nul = [
        RowError(row.number, row.columns[name], _("Contains a NUL byte."))
        for name in ("order", "article", "line", "serial", "batch")
        if "\x00" in getattr(row, name)
    ]
    if nul:
        return nul
    errors = _check_cells(row)
    order_error = _check_order(row, orders.get(row.order))
    if order_error:
        errors.append(order_error)
    else:
        line_error = _resolve_line(row, lines.get(orders[row.order].pk, []))
        if line_error:
            errors.append(line_error)
    return errors


def _check_cells(row: _Row) -> list[RowError]:
    col = row.columns
    errors = [
        RowError(
            row.number,
            col[name],
            _("Longer than %(n)s characters.") % {"n": MAX_LENGTH},
        )
        for name in ("serial", "batch")
        if len(getattr(row, name)) > MAX_LENGTH
    ]
    if not row.serial and not row.batch:
        errors.append(
            RowError(row.number, col["serial"], _("Give a serial number or a batch."))
        )
    elif row.serial and not article_normalize(row.serial):
        errors.append(
            RowError(
                row.number, col["serial"], _("A serial number needs letters or digits.")
            )
        )
    return errors


def _check_order(row: _Row, order: Order | None) -> RowError | None:
    column = row.columns["order"]
    if not row.order:
        return RowError(row.number, column, _("Give the order number."))
    if order is None:
        return RowError(
            row.number,
            column,
            _("Order %(number)s is not found.") % {"number": row.order},
        )
    if order.status in CANCELLED_STATUSES:
        return RowError(
            row.number,
            column,
            _("Order %(number)s is cancelled.") % {"number": row.order},
        )
    return None


def _resolve_line(row: _Row, lines: list[Line]) -> RowError | None:
    col = row.columns
    if row.line:
        match = [line for line in lines if str(line.pk) == row.line]
        if not match:
            return RowError(
                row.number,
                col["line"],
                _("Order %(order)s has no line %(line)s.")
                % {"order": row.order, "line": row.line},
            )
    elif row.article:
        key = article_normalize(row.article)
        match = [
            line
            for line in lines
            if key
            and key
            in {
                article_normalize(line.product.article if line.product else ""),
                article_normalize(line.partner_sku),
            }
        ]
        if not match:
            return RowError(
                row.number,
                col["article"],
                _("Article %(article)s is not on order %(order)s.")
                % {"article": row.article, "order": row.order},
            )
        if len(match) > 1:
            return RowError(
                row.number,
                col["article"],
                _("Article %(article)s is on several lines; give the line id.")
                % {"article": row.article},
            )
    else:
        return RowError(
            row.number, col["article"], _("Give the article or the line id.")
        )
    line = match[0]
    if line.product_id is None:
        return RowError(
            row.number,
            col["line"] if row.line else col["article"],
            _("The product of this line no longer exists."),
        )
    row.resolved_line = line
    return None


def _check_duplicates(rows: list[_Row]) -> list[RowError]:
    """A serial twice for one product in the file, or already stored; a batch
    twice without serials on one line."""
    errors = []
    seen: dict[tuple, int] = {}
    wanted: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        line = row.resolved_line
        if line is None:
            continue
        if row.serial:
            key = (line.product_id, article_normalize(row.serial))
            wanted[line.product_id].add(key[1])
        else:
            key = ("batch", line.pk, row.batch)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    row.columns["serial" if row.serial else "batch"],
                    _("Repeats line %(line)s of this file.") % {"line": seen[key]},
                )
            )
        else:
            seen[key] = row.number
    stored = _stored_serials(wanted)
    stored_batches = _stored_batches(
        {row.resolved_line.pk for row in rows if row.resolved_line and not row.serial}
    )
    for row in rows:
        line = row.resolved_line
        if line is None:
            continue
        if row.serial:
            other = stored.get((line.product_id, article_normalize(row.serial)))
            if other is not None:
                errors.append(
                    RowError(
                        row.number,
                        row.columns["serial"],
                        _(
                            "Serial number %(serial)s of this product is already "
                            "recorded (order %(order)s)."
                        )
                        % {"serial": row.serial, "order": other},
                    )  # fmt: skip
                )
        elif (line.pk, row.batch) in stored_batches:
            errors.append(
                RowError(
                    row.number,
                    row.columns["batch"],
                    _("Batch %(batch)s is already recorded for this line.")
                    % {"batch": row.batch},
                )
            )
    return errors


def _stored_serials(wanted: dict[int, set[str]]) -> dict[tuple[int, str], str]:
    found = {}
    for product_id, keys in wanted.items():
        keys = sorted(keys)
        for start in range(0, len(keys), 1000):
            stored = SerialNumber.objects.filter(
                product_id=product_id, serial_normalized__in=keys[start : start + 1000]
            ).values_list("serial_normalized", "order__number")
            for key, order_number in stored:
                found[(product_id, key)] = order_number
    return found


def _stored_batches(line_ids: set[int]) -> set[tuple[int, str]]:
    if not line_ids:
        return set()
    return set(
        SerialNumber.objects.filter(line_id__in=line_ids, serial="").values_list(
            "line_id", "batch"
        )
    )


def _check_quantities(rows: list[_Row]) -> list[RowError]:
    """A line carries no more serial rows than its quantity: the rows stored
    plus the file's (those without other errors), reported on each row over it."""
    errors = []
    taken: dict[int, int] = {}
    for row in rows:
        line = row.resolved_line
        if line is None:
            continue
        taken[line.pk] = taken.get(line.pk, line.stored_serials) + 1
        if taken[line.pk] > line.quantity:
            errors.append(
                RowError(
                    row.number,
                    row.columns["line"] if row.line else row.columns["article"],
                    _(
                        "More serial numbers than the line's quantity (%(qty)s, "
                        "%(stored)s already recorded)."
                    )
                    % {"qty": line.quantity, "stored": line.stored_serials},
                )  # fmt: skip
            )
    return errors


def serials_attach_delivery_note(*, note: DeliveryNote) -> int:
    """Serials entered before the order shipped join its delivery note."""
    return SerialNumber.objects.filter(
        order_id=note.order_id, delivery_note=None
    ).update(delivery_note=note)


# -- reads for the buyer -------------------------------------------------------


def serials_for_company(
    *,
    company,
    order: Order | None = None,
    delivery_note: DeliveryNote | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[SerialNumber]:
    """The company's serials, filtered by order, shipment or period (the delivery
    note's date: a period holds only what has shipped)."""
    serials = SerialNumber.objects.filter(company=company).select_related(
        "order", "line", "product", "delivery_note"
    )
    if order is not None:
        serials = serials.filter(order=order)
    if delivery_note is not None:
        serials = serials.filter(delivery_note=delivery_note)
    if date_from is not None:
        serials = serials.filter(delivery_note__issued_at__date__gte=date_from)
    if date_to is not None:
        serials = serials.filter(delivery_note__issued_at__date__lte=date_to)
    return serials.order_by("order__date_placed", "order_id", "line_id", "pk")


def serial_orders_for_company(*, company) -> QuerySet[Order]:
    """The company's orders that carry serials, with their count and delivery
    note, newest first."""
    return (
        Order.objects.filter(company=company, serial_numbers__isnull=False)
        .annotate(serial_count=Count("serial_numbers"))
        .select_related("delivery_note")
        .order_by("-date_placed", "-pk")
    )


def serial_find(*, company, serial: str) -> list[SerialNumber]:
    """The company's units with this serial number (exact after normalising; one
    per product at most, so a handful)."""
    key = article_normalize(serial)
    if not key:
        return []
    return list(
        SerialNumber.objects.filter(company=company, serial_normalized=key)
        .select_related("order", "line", "product", "delivery_note")
        .order_by("pk")[:50]
    )


def serial_export_rows(serials) -> tuple[list[str], list[list[str]]]:
    headers = [
        str(_("Order")),
        str(_("Your PO number")),
        str(_("Delivery note")),
        str(_("Shipped on")),
        str(_("Article")),
        str(_("Product")),
        str(_("Serial number")),
        str(_("Batch")),
    ]
    rows = []
    for s in serials:
        note = s.delivery_note
        rows.append(
            [
                s.order.number,
                s.order.po_number,
                note.display_number if note else "",
                timezone.localdate(note.issued_at).isoformat() if note else "",
                s.product.article if s.product else s.line.partner_sku,
                s.line.title,
                s.serial,
                s.batch,
            ]
        )
    return headers, rows
