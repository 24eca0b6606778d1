"""`manage.py export_catalog FILE` (.csv or .xlsx): the import's format."""

from pathlib import Path

from django.core.management.base import BaseCommand

from catalog.importing.catalog_export import catalog_export_rows
from catalog.importing.tables import csv_write, xlsx_write


class Command(BaseCommand):
    help = "Export the catalog to CSV or XLSX in the import format."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        headers, rows = catalog_export_rows()
        writer = xlsx_write if file.lower().endswith(".xlsx") else csv_write
        Path(file).write_bytes(writer(headers=headers, rows=rows))
        self.stdout.write(f"Exported {len(rows)} products to {file}")
