"""`manage.py import_catalog FILE [--dry-run] [--skip-invalid]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import TableError, table_read
from core.progress import Progress


class Command(BaseCommand):
    help = "Import products from CSV or XLSX (upsert by article)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--skip-invalid", action="store_true")

    def handle(self, *args, file, dry_run, skip_invalid, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            table = table_read(data=path.read_bytes(), filename=path.name)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        progress = Progress("products", len(table.rows), self.stdout)
        report = catalog_import(
            table=table,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=progress.advance,
        )
        progress.finish()
        for error in report.errors:
            self.stderr.write(str(error))
        summary = (
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} invalid"
        )
        if report.errors and not skip_invalid:
            raise CommandError(f"Nothing imported. {summary}")
        self.stdout.write(("Dry run, nothing saved. " if dry_run else "") + summary)
