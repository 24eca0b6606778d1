"""Hostile uploads through the one bounded reader (`catalog.importing.tables`):
each bomb of `tests.security.bombs` with a buyer's limits (quick order: 5 MB, 5,000
lines) and staff's (catalogue: 50 MB, 500,000 rows). Prints the time to refusal
and the peak of Python memory (tracemalloc, a second run) for each; the target is
under 2 s and a few MB each (issue 21: 74 s, 186 s and 13 s before).

    python -m bench bench_upload_bombs

Needs no database.
"""

import resource
import time
import tracemalloc

from catalog.importing.tables import MAX_ROWS, TableError, table_read
from tests.security import bombs

PROFILES = {
    "buyer": {"max_bytes": 5 * 1024 * 1024, "max_rows": 5000},
    "staff": {"max_rows": MAX_ROWS},
}


def _cases():
    return [
        ("xlsx 1.5 KB A1:XFD1048576", "b.xlsx", bombs.xlsx_dimension_bomb()),
        (
            "xlsx one cell in A1048576",
            "b.xlsx",
            bombs.xlsx_dimension_bomb(last="A1048576"),
        ),
        ("xlsx rows padded to XFD", "b.xlsx", bombs.xlsx_wide_rows(rows=20_000)),
        ("xlsx zip bomb 40 MB", "b.xlsx", bombs.xlsx_zip_bomb(unpacked_mb=40)),
        ("xlsx zip bomb 400 MB", "b.xlsx", bombs.xlsx_zip_bomb(unpacked_mb=400)),
        ("xlsx lying zip header", "b.xlsx", bombs.xlsx_lying_zip(unpacked_mb=64)),
        ("xlsx billion laughs", "b.xlsx", bombs.xlsx_entity_bomb()),
        ("xlsx 20,000 zip members", "b.xlsx", bombs.xlsx_many_members()),
        ("csv 20,000 columns", "b.csv", bombs.csv_wide()),
        ("csv 20,000 same columns", "b.csv", bombs.csv_wide_duplicates()),
        ("csv 5 MB of blank lines", "b.csv", bombs.csv_blank_lines(megabytes=5)),
        ("csv 1 MB quoted field", "b.csv", bombs.csv_long_field(kilobytes=1100)),
        ("csv NUL byte", "b.csv", bombs.csv_nul()),
    ]


def _read(data: bytes, filename: str, limits: dict) -> str:
    try:
        table = table_read(data=data, filename=filename, **limits)
    except TableError as exc:
        return f"refused: {exc}"
    return f"ACCEPTED ({len(table.rows)} rows)"


def run(argv: list[str]) -> None:
    _read(bombs.xlsx_package("<worksheet/>"), "warm.xlsx", {})  # imports openpyxl
    print(f"{'file':28} {'size':>9} {'limits':6} {'time':>8} {'peak':>8}  outcome")
    for label, filename, data in _cases():
        for profile, limits in PROFILES.items():
            if len(data) > limits.get("max_bytes", 50 * 1024 * 1024):
                continue
            start = time.perf_counter()
            outcome = _read(data, filename, limits)
            elapsed = time.perf_counter() - start
            tracemalloc.start()
            _read(data, filename, limits)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(
                f"{label:28} {len(data):>9,} {profile:6} {elapsed:7.3f}s "
                f"{peak / 2**20:6.1f}MB  {outcome[:70]}"
            )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (all cases, incl. building the bombs): {maxrss:.0f} MB")
