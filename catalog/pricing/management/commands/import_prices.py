"""`manage.py import_prices LIST FILE [--dry-run]`: quantity breaks into a price list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing.tables import TableError, table_read
from catalog.pricing.importing import prices_import
from catalog.pricing.models import PriceList


class Command(BaseCommand):
    help = "Import prices (columns article, price, min_qty) into a price list by code."

    def add_arguments(self, parser):
        parser.add_argument("price_list", help="the price list's code, e.g. wholesale")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, price_list, file, dry_run, **options):
        target = PriceList.objects.filter(code=price_list).first()
        if target is None:
            codes = ", ".join(PriceList.objects.values_list("code", flat=True))
            raise CommandError(
                f"No price list with code {price_list!r} (have: {codes})"
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            table = table_read(data=path.read_bytes(), filename=path.name)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        report = prices_import(price_list=target, table=table, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        summary = (
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} errors"
        )
        if report.errors:
            raise CommandError(f"Nothing imported. {summary}")
        self.stdout.write(("Dry run, nothing saved. " if dry_run else "") + summary)
