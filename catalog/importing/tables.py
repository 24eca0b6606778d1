"""Tabular files as buyers and staff have them: CSV (UTF-8 with or without BOM, or
Windows-1251; comma, semicolon or tab) and XLSX (first sheet). Shared by every import.

Every upload goes through `table_read`, which is bounded before and while it reads
(issue 21): the file's bytes; for an XLSX the zip members (their count, the sizes
they declare *and* the bytes they really inflate to, the compression ratio), then
the sheet is streamed cell by cell — openpyxl's `<dimension>` and its padding of
missing rows and columns are never trusted — and reading stops at the first cell
beyond the column limit or the row limit; for a CSV the line length, NUL bytes and
the header's width before any per-column work. XML entities and DTDs are refused
(defusedxml). A refusal is a `TableError` with a message for the person uploading."""

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
# An XLSX is a zip: what it unpacks to is bounded too (a few KB can declare
# gigabytes): at most this many times the caller's file limit (50 MB → 500 MB)...
XLSX_UNPACK_FACTOR = 10
MAX_XLSX_UNPACKED_BYTES = MAX_FILE_BYTES * XLSX_UNPACK_FACTOR
# ...and no member inflates more than this (real sheets: 10–40 : 1; bombs: 1000 : 1).
MAX_XLSX_RATIO = 200
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # tiny members may have any ratio
MAX_XLSX_MEMBERS = 1000  # a workbook has a dozen; the zip directory is read first
MAX_CELL_PARTS = 64  # elements inside one cell (rich-text runs)
MAX_LINE_CHARS = 1024 * 1024  # one physical CSV line
MAX_COLUMNS = 256
MAX_ROWS = 500_000  # data rows; more is split into parts (the rows are held in memory)
# A spreadsheet reads these as the start of a formula; one that drops a leading tab
# or carriage return would read the formula behind it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read (not a table, empty, too large...)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]  # lower-cased, stripped
    rows: list[
        tuple[int, dict[str, str]]
    ]  # (line number in the file, values by header)


@dataclass(frozen=True)
class _Limits:
    max_bytes: int
    max_rows: int

    @property
    def max_unpacked(self) -> int:
        return min(MAX_XLSX_UNPACKED_BYTES, self.max_bytes * XLSX_UNPACK_FACTOR)


def table_read(
    *,
    data: bytes,
    filename: str = "",
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """The table in `data`, or `TableError`. `max_bytes` and `max_rows` are the
    caller's limits (a quick order takes fewer lines than a catalogue); reading
    stops as soon as one is passed, whatever the file declares."""
    if not data:
        raise TableError(_("The file is empty."))
    limits = _Limits(max_bytes=max_bytes, max_rows=max_rows)
    if len(data) > max_bytes:
        raise TableError(_too_large(max_bytes))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, limits)
    return _read_csv(data, limits)


def _too_large(max_bytes: int) -> str:
    return _("The file is larger than %(mb)s MB; split it into parts.") % {
        "mb": max_bytes // (1024 * 1024)
    }


def _too_many_rows(limits: _Limits) -> TableError:
    return TableError(
        _("The file has more than %(n)s rows; split it into parts.")
        % {"n": number_format(limits.max_rows, force_grouping=True)}
    )


def _too_many_columns() -> TableError:
    return TableError(_("The table has more than %(n)s columns.") % {"n": MAX_COLUMNS})


def _unreadable_xlsx() -> TableError:
    return TableError(_("The file looks like XLSX but cannot be read."))


# --- CSV ----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data:  # UTF-16 or a binary file; and PostgreSQL refuses NUL
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


def _read_csv(data: bytes, limits: _Limits) -> Table:
    text = _decode(data)
    newline = text.find("\n", 0, MAX_LINE_CHARS)
    first_line = text[: newline if newline >= 0 else MAX_LINE_CHARS]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    lines = _bounded_lines(io.StringIO(text, newline=""), limits)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return _table(((n, row) for n, row in enumerate(reader, 1) if row), limits)
    except csv.Error as exc:  # a cell over the csv module's field limit (128 KB)
        raise TableError(
            _(
                "The file cannot be read as a table: a cell is longer than 128 KB "
                "or its quotes are broken."
            )
        ) from exc


def _bounded_lines(source: io.StringIO, limits: _Limits) -> Iterator[str]:
    """The file's physical lines; one longer than `MAX_LINE_CHARS` stops the read
    before the csv module splits it into thousands of cells, and so do more lines
    than twice the row limit (blank lines and cells of several lines allowed)."""
    max_lines = 2 * limits.max_rows + 100
    for number, line in enumerate(
        iter(lambda: source.readline(MAX_LINE_CHARS + 1), "")
    ):
        if number == max_lines:
            raise _too_many_rows(limits)
        if len(line) > MAX_LINE_CHARS:
            raise TableError(
                _("A line of the file is longer than %(kb)s KB.")
                % {"kb": MAX_LINE_CHARS // 1024}
            )
        yield line


# --- XLSX ---------------------------------------------------------------------------


def _read_xlsx(data: bytes, limits: _Limits) -> Table:
    from openpyxl import load_workbook

    _check_zip(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError) as exc:
        raise _unreadable_xlsx() from exc  # DefusedXmlException is a ValueError
    try:
        return _table(_xlsx_rows(workbook, sheet, limits), limits)
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, KeyError) as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def _check_zip(data: bytes, limits: _Limits) -> None:
    """Refuse a zip bomb before openpyxl opens it: too many members (counted from
    the end-of-directory record, before the directory is parsed), the declared
    sizes, then the bytes really inflated, member by member (a header may lie)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise _unreadable_xlsx()
    if int.from_bytes(data[end + 10 : end + 12], "little") > MAX_XLSX_MEMBERS:
        raise _unreadable_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limits.max_unpacked:
                raise _unpacks_too_large(limits)
            inflated = 0
            for member in members:
                inflated = _inflate_counted(archive, member, inflated, limits)
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError) as exc:
        if isinstance(exc, TableError):
            raise
        raise _unreadable_xlsx() from exc


def _inflate_counted(archive, member, inflated: int, limits: _Limits) -> int:
    size = 0
    ratio_limit = MAX_XLSX_RATIO * max(member.compress_size, 1)
    with archive.open(member) as stream:
        while chunk := stream.read(256 * 1024):
            size += len(chunk)
            if inflated + size > limits.max_unpacked:
                raise _unpacks_too_large(limits)
            if size > XLSX_RATIO_FROM_BYTES and size > ratio_limit:
                raise TableError(
                    _(
                        "The XLSX file is compressed more than %(n)s times, which "
                        "a spreadsheet never is; save it again or use CSV."
                    )
                    % {"n": MAX_XLSX_RATIO}
                )
    return inflated + size


def _unpacks_too_large(limits: _Limits) -> TableError:
    return TableError(
        _("The XLSX file unpacks to more than %(mb)s MB; split it into parts.")
        % {"mb": limits.max_unpacked // (1024 * 1024)}
    )


def _xlsx_rows(workbook, sheet, limits: _Limits) -> Iterator[tuple[int, list[str]]]:
    """The sheet's non-empty rows as (row number, cell texts), streamed: each cell
    is parsed by openpyxl's own cell parser (types, shared strings, dates) and
    dropped at once, so memory does not grow with a row's or the sheet's size;
    nothing is padded. A value beyond `MAX_COLUMNS` or below the row limit (the
    header and `max_rows` rows) stops the read."""
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser

    # openpyxl 3.1's read-only sheet keeps its part's path and the shared strings
    # here; the version is pinned and the tests read real files through this.
    source = workbook._archive.open(sheet._worksheet_path)
    parser = WorkSheetParser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    last_row = limits.max_rows + 1
    stack, cells = [], {}
    inside = _CellDepth()
    with source:
        for event, element in iterparse(source, ("start", "end"), forbid_dtd=True):
            if event == "start":
                stack.append(element)
                if not inside.enter(element) and element.tag == ROW_TAG:
                    parser.row_counter = _row_number(element, parser.row_counter)
                    parser.col_counter, cells = 0, {}
                continue
            stack.pop()
            if element.tag == CELL_TAG:
                _cell_take(parser, element, cells, last_row)
            elif inside.parts >= 0:
                continue  # the cell's value, kept until the cell ends
            elif element.tag == ROW_TAG and cells:
                yield parser.row_counter, _row_texts(cells)
            inside.leave()
            if stack:
                stack[-1].remove(element)  # its only child: the tree stays one path


class _CellDepth:
    """Counts the elements inside the cell being read (-1: outside any cell): a
    cell's value is a few elements, never thousands."""

    def __init__(self):
        self.parts = -1

    def enter(self, element) -> bool:
        from openpyxl.worksheet._reader import CELL_TAG

        if element.tag == CELL_TAG:
            self.parts = 0
        elif self.parts >= 0:
            self.parts += 1
            if self.parts > MAX_CELL_PARTS:
                raise _unreadable_xlsx()
        return self.parts >= 0

    def leave(self) -> None:
        self.parts = -1


def _row_number(element, previous: int) -> int:
    try:
        return int(element.get("r") or previous + 1)
    except ValueError as exc:
        raise _unreadable_xlsx() from exc


def _cell_take(parser, element, cells: dict[int, str], last_row: int) -> None:
    cell = parser.parse_cell(element)
    value = cell["value"]
    if value is None or value == "":
        return
    if cell["column"] > MAX_COLUMNS:
        raise _too_many_columns()
    if parser.row_counter > last_row:
        raise TableError(
            _("The sheet has data below row %(row)s; split it into parts.")
            % {"row": number_format(last_row, force_grouping=True)}
        )
    cells[cell["column"]] = _cell_text(value)


def _row_texts(cells: dict[int, str]) -> list[str]:
    row = [""] * max(cells)
    for column, text in cells.items():
        row[column - 1] = text
    return row


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the table ----------------------------------------------------------------------


def _table(numbered_rows: Iterator[tuple[int, list[str]]], limits: _Limits) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in numbered_rows:
        if len(raw) > MAX_COLUMNS and any(raw[MAX_COLUMNS:]):
            raise _too_many_columns()  # before any work per column
        cells = [c.strip() for c in raw[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if headers is None:
            headers = _headers(cells)
            continue
        if len(rows) == limits.max_rows:
            raise _too_many_rows(limits)
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


def _headers(cells: list[str]) -> list[str]:
    headers = [c.lower() for c in cells]
    if any(not h for h in headers):
        raise TableError(_("The header row has an empty column name."))
    duplicates = [h for h, count in Counter(headers).items() if count > 1]
    if duplicates:
        raise TableError(
            _("The header row repeats columns: %(cols)s")
            % {"cols": ", ".join(sorted(duplicates)[:10])}
        )
    return headers


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
