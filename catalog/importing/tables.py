"""Tabular files as buyers and staff have them: CSV (UTF-8 with or without BOM, or
Windows-1251; comma, semicolon or tab) and XLSX (first sheet). Shared by every import."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
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
    return _table(enumerate(reader, start=1))


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The file looks like XLSX but cannot be read.")) from exc
    sheet = workbook.worksheets[0]

    def rows():
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else _cell_text(v) for v in row]

    try:
        return _table(rows())
    finally:
        workbook.close()


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
