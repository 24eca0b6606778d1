"""`manage.py import_catalog FILE [--dry-run] [--skip-invalid]`: the import in this
process, at once (the staff page queues large files for a worker)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import TableError, table_read
from core.progress import Progress


class StageBars:
    """The import's `progress(stage, done, total)` drawn as one bar per stage."""

    def __init__(self, stream):
        self.stream, self.stage, self.bar = stream, None, None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.finish()
            self.stage, self.bar = stage, Progress(stage, total, self.stream)
        self.bar.advance(done - self.bar.done)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.finish()


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
        progress = StageBars(self.stdout)
        report = catalog_import(
            table=table, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
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
