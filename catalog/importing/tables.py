"""Tabular files as buyers and staff have them: CSV (UTF-8 with or without BOM, or
Windows-1251; comma, semicolon or tab) and XLSX (first sheet). Shared by every import."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
# An XLSX is a zip: what it unpacks to is bounded too (a few KB can declare gigabytes).
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_COLUMNS = 256
MAX_ROWS = 500_000  # data rows; more is split into parts (the rows are held in memory)
FORMULA_PREFIXES = ("=", "+", "-", "@")


class TableError(ValueError):
    """The file as a whole cannot be read (not a table, empty, too large...)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]  # lower-cased, stripped
    rows: list[
        tuple[int, dict[str, str]]
    ]  # (line number in the file, values by header)


def table_read(*, data: bytes, filename: str = "") -> Table:
    if not data:
        raise TableError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise TableError(
            _("The file is larger than %(mb)s MB; split it into parts.") % {"mb": 50}
        )
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TableError(_("This is not a CSV or XLSX file (it contains binary data)."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
        if control > 8:
            break
        return text
    raise TableError(_("This is not a CSV or XLSX file (it contains binary data)."))


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table(enumerate(reader, start=1))
    except csv.Error as exc:  # a cell over the csv module's field limit (128 KB)
        raise TableError(
            _(
                "The file cannot be read as a table: a cell is longer than 128 KB "
                "or its quotes are broken."
            )
        ) from exc


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The file looks like XLSX but cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    # The sheet's declared size is not trusted: openpyxl would pad every row to it
    # (a tiny file declaring A1:XFD1048576 gives 16,384 cells a row).
    sheet.reset_dimensions()

    def rows():
        # One column more than allowed: a wider row is refused, not read in full.
        cells = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for number, row in enumerate(cells, start=1):
            values = list(row)
            while values and values[-1] is None:  # the padding up to max_col
                values.pop()
            yield number, ["" if v is None else _cell_text(v) for v in values]

    try:
        return _table(rows())
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(_("The file looks like XLSX but cannot be read.")) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TableError(
            _("The XLSX file unpacks to more than %(mb)s MB; split it into parts.")
            % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(numbered_rows: Iterator[tuple[int, list[str]]]) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in numbered_rows:
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if headers is None:
            headers = [c.lower() for c in cells]
            if len(headers) > MAX_COLUMNS:
                raise TableError(
                    _("The header row has more than %(n)s columns.")
                    % {"n": MAX_COLUMNS}
                )
            if any(not h for h in headers):
                raise TableError(_("The header row has an empty column name."))
            duplicates = {h for h in headers if headers.count(h) > 1}
            if duplicates:
                raise TableError(
                    _("The header row repeats columns: %(cols)s")
                    % {"cols": ", ".join(sorted(duplicates))}
                )
            continue
        values = {
            h: cell_unescape(cells[i]) if i < len(cells) else ""
            for i, h in enumerate(headers)
        }
        if len(cells) > len(headers) and any(cells[len(headers) :]):
            values["__extra__"] = "1"
        if len(rows) == MAX_ROWS:
            raise TableError(
                _("The file has more than %(n)s rows; split it into parts.")
                % {"n": number_format(MAX_ROWS, force_grouping=True)}
            )
        rows.append((number, values))
    if headers is None:
        raise TableError(_("The file is empty."))
    return Table(headers=headers, rows=rows)


def cell_escape(value: str) -> str:
    """Neutralise spreadsheet formulas in exported cells (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell_unescape(value: str) -> str:
    """Undo `cell_escape` so that export → import is a no-op."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def csv_write(*, headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[cell_escape(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_write(*, headers: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        # Written as text cells, escaped: a cell never becomes a formula.
        sheet.append([cell_escape(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
