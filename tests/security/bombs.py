"""Hostile spreadsheets, made small and in memory: what a probe uploaded to exhaust
the server (issue 21 item 1). Shared by `tests/security/test_upload_bombs.py` and
`bench/bench_upload_bombs.py`, which times them."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>article</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>quantity</t></is></c></row>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_package(sheet_xml: str | bytes, *, prolog: str = "") -> bytes:
    """A minimal valid XLSX (one sheet) around `sheet_xml`, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def xlsx_dimension_bomb(*, last: str = "XFD1048576") -> bytes:
    """~1.5 KB: a sheet declaring `A1:XFD1048576`, a header row and one cell in the
    last row. openpyxl's read-only mode trusts the `<dimension>` and pads every row
    in between to 16,384 cells."""
    row = "".join(ch for ch in last if ch.isdigit())
    sheet = (
        SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + HEADER_ROW
        + f'<row r="{row}">{_cell(last, "6205-2RS")}</row>'
        + "</sheetData></worksheet>"
    )  # fmt: skip
    return xlsx_package(sheet)


def xlsx_zip_bomb(*, unpacked_mb: int = 200) -> bytes:
    """A valid XLSX whose sheet inflates to `unpacked_mb` MB of empty rows (a few
    hundred KB on the wire): every row is empty, so no row limit is ever reached."""
    row = b"<row><c/></row>"
    count = unpacked_mb * 1024 * 1024 // len(row)
    sheet = (
        SHEET_HEAD.encode() + b"<sheetData>" + HEADER_ROW.encode()
        + row * count + b"</sheetData></worksheet>"
    )  # fmt: skip
    return xlsx_package(sheet)


def xlsx_lying_zip(*, unpacked_mb: int = 64) -> bytes:
    """An XLSX whose central directory understates the sheet's size (16 bytes): a
    check of the declared sizes alone lets it through."""
    data = bytearray(xlsx_zip_bomb(unpacked_mb=unpacked_mb))
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(name) - 30  # the local header: uncompressed size at +22
    data[local + 22 : local + 26] = (16).to_bytes(4, "little")
    central = data.rfind(name) - 46  # the central directory entry: at +24
    data[central + 24 : central + 28] = (16).to_bytes(4, "little")
    return bytes(data)


def xlsx_entity_bomb() -> bytes:
    """Billion laughs in the sheet's XML: entities expanding to gigabytes."""
    entities = '<!ENTITY a0 "laughlaughlaugh">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE worksheet [{entities}]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + HEADER_ROW
        + f'<row r="2">{_cell("A2", "&a9;")}</row></sheetData></worksheet>'
    )  # fmt: skip
    return xlsx_package(sheet)


def xlsx_wide_rows(*, rows: int = 2000) -> bytes:
    """Every row has one cell in column XFD: each row padded to 16,384 cells."""
    body = "".join(
        f'<row r="{n}">{_cell(f"XFD{n}", "x")}</row>' for n in range(2, rows)
    )
    sheet = SHEET_HEAD + "<sheetData>" + HEADER_ROW + body + "</sheetData></worksheet>"
    return xlsx_package(sheet)


def xlsx_many_members(*, members: int = 20_000) -> bytes:
    """A valid XLSX with thousands of extra (empty) zip members."""
    buffer = io.BytesIO(xlsx_package(SHEET_HEAD + "<sheetData/></worksheet>"))
    with zipfile.ZipFile(buffer, "a") as z:
        for number in range(members):
            z.writestr(f"x/{number}", b"")
    return buffer.getvalue()


def csv_wide(*, columns: int = 20_000) -> bytes:
    """A header row of 20,000 distinct columns and one data row."""
    header = ";".join(f"c{n}" for n in range(columns))
    return (header + "\r\n" + ";".join("1" for _ in range(columns)) + "\r\n").encode()


def csv_wide_duplicates(*, columns: int = 20_000) -> bytes:
    """20,000 header cells, all the same: a quadratic duplicate check's worst case."""
    return (";".join("article" for _ in range(columns)) + "\r\n").encode()


def csv_blank_lines(*, megabytes: int = 5) -> bytes:
    """A header, then megabytes of empty lines (no row limit is ever reached)."""
    return b"article;quantity\r\n" + b"\n" * (megabytes * 1024 * 1024 - 20)


def csv_long_field(*, kilobytes: int = 1024) -> bytes:
    """One quoted field of a megabyte."""
    return b'article;quantity\r\n"' + b"x" * (kilobytes * 1024) + b'";1\r\n'


def csv_nul(*, offset: int = 10_000) -> bytes:
    """A NUL byte past the first 4 KB (where a sniffer looks)."""
    line = b"6205-2RS;1\r\n"
    return b"article;quantity\r\n" + line * (offset // len(line)) + b"62\x0005;1\r\n"
