"""Import and export jobs: starting one from a staff upload, running it (in a worker,
or at once for a small file) and reporting its live progress; what staff see of them
is `catalog.importing.selectors`.

A job runs the same all-or-nothing import as the commands (`catalog_import`,
`prices_import`) or the same export (`catalog_export_rows`). Its row says where it
stands — queued, running, done, failed — each change committed on its own before
and after the import's one transaction; the rows checked and saved while that
transaction is open go to the cache (Redis in production, shared by the web
processes and the workers), which a transaction does not hide, so the job's page
shows them as they move on both database engines.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.importing.catalog_export import catalog_export_rows
from catalog.importing.catalog_import import ImportReport, catalog_import
from catalog.importing.models import CatalogJob
from catalog.importing.selectors import progress_key
from catalog.importing.tables import (
    MAX_FILE_BYTES,
    TableError,
    csv_write,
    table_read,
    xlsx_write,
)
from catalog.pricing.importing import prices_import
from core.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)

Kind, Status = CatalogJob.Kind, CatalogJob.Status
# Files up to this size are imported in the request that uploads them: the answer
# comes at once instead of after the worker's next poll (a few seconds for a few
# thousand rows); larger ones are queued. `CATALOG_IMPORT_INLINE_BYTES` changes it.
INLINE_BYTES = 64 * 1024
MAX_STORED_ERRORS = 1000  # line errors kept on the job; the count is the whole count
PROGRESS_SECONDS = 0.5  # the live progress is written at most this often
PROGRESS_TIMEOUT = 24 * 3600
STALE_RUNNING = timedelta(hours=6)  # a job "running" this long lost its worker
JOB_FILES_DAYS = 14  # uploads and exports are removed this long after the job ends
EXPORT_CHUNK = 5000
# --- starting ---------------------------------------------------------------------


def _inline_bytes() -> int:
    return getattr(settings, "CATALOG_IMPORT_INLINE_BYTES", INLINE_BYTES)


def _check_upload(upload) -> None:
    """What can be told before storing the file; the rest (an XLSX that cannot be
    read, a missing column) is the job's own clear failure."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into parts.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))


def import_job_start(
    *,
    kind: str,
    upload,
    created_by,
    price_list=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> CatalogJob:
    """Store the upload, record the job, and run it: at once when the file is small
    (the job is finished when this returns), otherwise by a worker after the commit.
    A file too large or empty is a `ValidationError` and records nothing."""
    if kind == Kind.PRICE_IMPORT and price_list is None:
        raise ValueError("a price import needs its price list")
    _check_upload(upload)
    job = CatalogJob(
        kind=kind,
        created_by=created_by,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        price_list=price_list,
        dry_run=dry_run,
        skip_invalid=skip_invalid and kind == Kind.CATALOG_IMPORT,
        file_name=upload.name[:255],
        file_size=upload.size,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    if upload.size <= _inline_bytes():
        try:
            job_run(job_id=job.pk)
        except Exception:  # logged, and the job says it failed: not a 500
            pass
        job.refresh_from_db()
    else:
        enqueue_on_commit(catalog_job_run, job_id=job.pk)
    return job


def export_job_start(*, created_by, file_format: str) -> CatalogJob:
    """Record a catalogue export and queue it; the file is the job's when done."""
    job = CatalogJob.objects.create(
        kind=Kind.CATALOG_EXPORT,
        created_by=created_by,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        file_format=file_format,
        file_name=f"catalog.{file_format}",
    )
    enqueue_on_commit(catalog_job_run, job_id=job.pk)
    return job


# --- running ----------------------------------------------------------------------


class JobProgress:
    """`progress(stage, done, total)` for the import and export code: the live
    figures in the cache, written at most every `PROGRESS_SECONDS` (and always at a
    stage's start and end), so a 100,000-row import costs a few hundred writes."""

    def __init__(self, job_id: int):
        self.key = progress_key(job_id)
        self.stage, self.last = None, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if stage == self.stage and done < total and now - self.last < PROGRESS_SECONDS:
            return
        self.stage, self.last = stage, now
        figures = {"stage": stage, "done": done, "total": total}
        cache.set(self.key, figures, timeout=PROGRESS_TIMEOUT)


@background_task(attempts=3, priority=-10)
def catalog_job_run(*, job_id: int) -> str:
    """The worker's task (below e-mails and PDFs in the queue's order): `job_run`.
    A failure (the database gone, say) is retried; the import is all or nothing,
    so a retry starts from a clean slate."""
    return job_run(job_id=job_id)


def job_run(*, job_id: int) -> str:
    """Run the job if it is queued, or failed before and is being retried; a job done
    or running elsewhere is left alone (a task run twice does nothing twice). Its
    messages are in the language of the person who started it."""
    claimed = CatalogJob.objects.filter(
        pk=job_id, status__in=[Status.QUEUED, Status.FAILED]
    ).update(status=Status.RUNNING, started_at=timezone.now(), message="")
    if not claimed:
        return "skipped"
    job = CatalogJob.objects.select_related("price_list").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: CatalogJob) -> str:
    progress = JobProgress(job.pk)
    try:
        outcome = (
            _export(job, progress) if not job.is_import else _import(job, progress)
        )
    except Exception:
        logger.exception("catalogue job %s stopped with an error", job.pk)
        _finish(
            job,
            Status.FAILED,
            message=_("The job stopped with an error; nothing was saved."),
        )
        raise  # the task is retried with backoff (`core.tasks`)
    finally:
        cache.delete(progress.key)
    return outcome


def _import(job: CatalogJob, progress) -> str:
    progress("reading", 0, 0)
    try:
        with job.file.open("rb") as stored:
            table = table_read(
                data=stored.read(MAX_FILE_BYTES + 1), filename=job.file_name
            )
    except TableError as exc:
        return _finish(job, Status.FAILED, message=str(exc))
    except FileNotFoundError:
        return _finish(job, Status.FAILED, message=_("The uploaded file is gone."))
    CatalogJob.objects.filter(pk=job.pk).update(rows_total=len(table.rows))
    job.rows_total = len(table.rows)
    if job.kind == Kind.PRICE_IMPORT:
        if job.price_list is None:
            return _finish(job, Status.FAILED, message=_("The price list is gone."))
        report = prices_import(
            price_list=job.price_list,
            table=table,
            dry_run=job.dry_run,
            progress=progress,
        )
    else:
        report = catalog_import(
            table=table,
            dry_run=job.dry_run,
            skip_invalid=job.skip_invalid,
            progress=progress,
        )
    return _finish_import(job, report)


def _finish_import(job: CatalogJob, report: ImportReport) -> str:
    passed = report.applied or (report.dry_run and not report.errors)
    return _finish(
        job,
        Status.DONE if passed else Status.FAILED,
        rows_done=job.rows_total if passed else 0,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        applied=report.applied,
        error_count=len(report.errors),
        errors=[[e.line, e.column, e.reason] for e in report.errors][
            :MAX_STORED_ERRORS
        ],
    )


def _export(job: CatalogJob, progress) -> str:
    progress("collecting", 0, 0)
    headers, rows = catalog_export_rows()
    total = len(rows)
    CatalogJob.objects.filter(pk=job.pk).update(rows_total=total)
    progress("writing", 0, total)
    writer = xlsx_write if job.file_format == CatalogJob.Format.XLSX else csv_write
    content = writer(headers=headers, rows=_counted(rows, progress))
    name = f"catalog-{timezone.localtime():%Y%m%d-%H%M}.{job.file_format}"
    job.file.save(name, ContentFile(content), save=False)
    CatalogJob.objects.filter(pk=job.pk).update(file=job.file.name)
    return _finish(
        job,
        Status.DONE,
        rows_total=total,
        rows_done=total,
        file_name=name,
        file_size=len(content),
    )


def _counted(rows: list, progress):
    """The rows, telling the progress as the writer takes them."""
    for start in range(0, len(rows), EXPORT_CHUNK):
        progress("writing", start, len(rows))
        yield from rows[start : start + EXPORT_CHUNK]


def _finish(job: CatalogJob, status: str, **figures) -> str:
    CatalogJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), **figures
    )
    return status


# --- housekeeping -----------------------------------------------------------------


def catalog_jobs_clean() -> dict:
    """Daily (`shop.schedule`): remove the files of jobs finished more than
    `JOB_FILES_DAYS` ago (the job's record stays), and mark failed the jobs still
    "running" after `STALE_RUNNING` — their worker died; nothing was saved, and a
    staff retry of the task runs them again."""
    now = timezone.now()
    stuck = CatalogJob.objects.filter(
        status=Status.RUNNING, started_at__lt=now - STALE_RUNNING
    )
    stuck_count = 0
    for job in stuck.only("pk", "language"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The worker running this job stopped; nothing was saved.")
        stuck_count += stuck.filter(pk=job.pk).update(
            status=Status.FAILED, finished_at=now, message=message
        )
    old = CatalogJob.objects.filter(
        Q(finished_at__lt=now - timedelta(days=JOB_FILES_DAYS)), ~Q(file="")
    )
    removed = 0
    for job in old.only("pk", "file"):
        job.file.delete(save=False)
        CatalogJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return {"files_removed": removed, "stuck_failed": stuck_count}


@background_task()
def catalog_jobs_clean_task() -> dict:
    """Scheduled daily (`shop.schedule`): `catalog_jobs_clean`."""
    return catalog_jobs_clean()
