"""Catalog import of N rows (default 100,000) into an empty catalog, then a re-import
(the no-op path). Prints rows/s. Target: 100,000 rows in under 3 minutes on PostgreSQL.

    DATABASE_URL=postgres://... python -m bench bench_import [--rows N]

on an empty, migrated database (the imported rows stay).
"""

import argparse
import time
from random import Random

from django.db import connection

from catalog.importing.catalog_export import COLUMNS
from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import csv_write, table_read
from catalog.models import Product
from shop.demo.catalog import choose_specs


def _file(rows: int) -> bytes:
    specs = choose_specs(rng=Random(1), count=rows)
    keys: dict[tuple, str] = {}
    body = []
    for spec in specs:
        analogue = keys.setdefault(spec.key, spec.article)
        body.append(
            [
                spec.article,
                spec.title,
                str(spec.base_price),
                spec.brand,
                spec.mpn,
                "|".join(number for _, number, _ in spec.crossrefs),
                analogue if analogue != spec.article else "",
                spec.category,
                spec.unit,
                str(spec.pack_size),
                str(spec.min_order_qty),
                str(len(spec.article) * 7),
                "20",
                "",
            ]
        )
    # The export's columns, less the currency (the import defaults it).
    headers = [column for column in COLUMNS if column != "currency"]
    return csv_write(headers=headers, rows=body)


def run(argv):
    parser = argparse.ArgumentParser(prog="bench_import")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    if Product.objects.exists():
        print("The catalog is not empty: run on a fresh database (migrate first).")
        return
    data = _file(args.rows)
    print(
        f"database: {connection.vendor}, file: {len(data) / 1e6:.1f} MB, rows: {args.rows}"
    )
    for label in ("first import", "re-import (no-op)"):
        started = time.perf_counter()
        table = table_read(data=data, filename="bench.csv")
        report = catalog_import(table=table)
        took = time.perf_counter() - started
        print(
            f"{label:18} {took:7.1f} s  {args.rows / took:8.0f} rows/s  "
            f"created={report.created} updated={report.updated} "
            f"unchanged={report.unchanged} errors={len(report.errors)}"
        )
