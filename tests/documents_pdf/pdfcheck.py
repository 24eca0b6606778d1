"""Reading document PDFs back: text as laid out (`pdftotext -layout`), words with
their boxes and the table cells drawn on each page (pdfplumber), PNG of page 1."""

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# A word may touch its cell's border line (half the 0.5 pt rule) but not cross it.
TOLERANCE = 0.6


def layout_text(data: bytes) -> str:
    """The PDF's text as `pdftotext -layout` lays it out, pages split by \\f."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def flat(text: str) -> str:
    """Whitespace of any kind (no-break spaces included) as one plain space."""
    return " ".join(text.split())


def png_page_one(data: bytes, name: str) -> Path:
    """Page 1 at 60 dpi into tests/artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-",
            str(target),
        ],
        input=data,
        check=True,
    )
    return target.with_suffix(".png")


@dataclass(frozen=True)
class Overflow:
    page: int
    word: str
    word_box: tuple
    cell_box: tuple


def _cells(page):
    """The cell rectangles of every table drawn on the page (ruled tables)."""
    cells = []
    for table in page.find_tables({"snap_tolerance": 2, "join_tolerance": 2}):
        cells.extend(cell for cell in table.cells if cell)
    return cells


def _containing(cells, x, y):
    """The smallest cell containing the point (merged cells overlap others)."""
    inside = [c for c in cells if c[0] <= x <= c[2] and c[1] <= y <= c[3]]
    return min(inside, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]), default=None)


def cell_overflows(data: bytes) -> tuple[list[Overflow], int]:
    """Words inside a table cell that reach past that cell's edges, and how many
    words were checked. A word belongs to the cell holding its first character."""
    overflows, checked = [], 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            cells = _cells(page)
            for word in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                x, y = word["x0"] + 0.5, (word["top"] + word["bottom"]) / 2
                cell = _containing(cells, x, y)
                if cell is None:
                    continue
                checked += 1
                if (
                    word["x1"] > cell[2] + TOLERANCE
                    or word["x0"] < cell[0] - TOLERANCE
                    or word["bottom"] > cell[3] + TOLERANCE
                ):
                    overflows.append(
                        Overflow(
                            number,
                            word["text"],
                            (word["x0"], word["top"], word["x1"], word["bottom"]),
                            cell,
                        )
                    )
    return overflows, checked


def words_by_page(data: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def page_cells(data: bytes) -> list[list[tuple]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [_cells(page) for page in pdf.pages]


def cell_text(data: bytes, starts_with: str, joiner: str = "") -> str:
    """The words of the first table cell whose text starts with `starts_with`,
    joined in reading order (by default without spaces: a wrapped article read
    back whole; a header's words with `joiner=" "`)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            cells = _cells(page)
            words = page.extract_words()
            for word in words:
                if not word["text"].startswith(starts_with):
                    continue
                cell = _containing(cells, word["x0"] + 0.5, word["top"] + 1)
                inside = [
                    w
                    for w in words
                    if cell[0] <= w["x0"] + 0.5 <= cell[2]
                    and cell[1] <= w["top"] + 1 <= cell[3]
                ]
                inside.sort(key=lambda w: (round(w["top"]), w["x0"]))
                return joiner.join(w["text"] for w in inside)
    return ""


def cell_texts(data: bytes, page: int = 0) -> set[str]:
    """The text of every table cell on a page, its words joined by one space."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pdf_page = pdf.pages[page]
        cells = _cells(pdf_page)
        words = pdf_page.extract_words()
    texts = {}
    for word in words:
        cell = _containing(cells, word["x0"] + 0.5, word["top"] + 1)
        if cell is not None:
            texts.setdefault(cell, []).append(word)
    return {
        " ".join(
            w["text"] for w in sorted(ws, key=lambda w: (round(w["top"]), w["x0"]))
        )
        for ws in texts.values()
    }


def table_rows(data: bytes) -> list[list[str]]:
    """Every row of every ruled table, cells as flat text ("" for an empty one)."""
    rows = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables({"snap_tolerance": 2, "join_tolerance": 2}):
                for row in table.extract():
                    rows.append([flat(cell or "") for cell in row])
    return rows


def row_with(rows: list[list[str]], *cells: str) -> list[str]:
    """The first row holding these cells one after the other."""
    n = len(cells)
    for row in rows:
        for start in range(len(row) - n + 1):
            if tuple(row[start : start + n]) == cells:
                return row
    raise AssertionError(f"no row with {cells}")
