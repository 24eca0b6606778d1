"""Reading import and export jobs: those a staff member may see, where one stands
(its live progress in the cache while it runs, its row otherwise), its line errors
as the import words them."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from catalog.importing.models import CatalogJob

Kind, Status = CatalogJob.Kind, CatalogJob.Status
# The share of the bar each stage fills, by kind (reading the file, checking and
# saving rows; collecting and writing an export).
STAGES = {
    Kind.CATALOG_IMPORT: {"reading": (0, 5), "checking": (5, 30), "saving": (30, 100)},
    Kind.PRICE_IMPORT: {"reading": (0, 5), "checking": (5, 60), "saving": (60, 100)},
    Kind.CATALOG_EXPORT: {"collecting": (0, 50), "writing": (50, 100)},
}


COUNTED_STAGES = ("checking", "writing")  # counted in rows of the file


def stage_labels() -> dict[str, str]:
    return {
        "queued": _("Waiting for a worker"),
        "reading": _("Reading the file"),
        "checking": _("Checking rows"),
        "saving": _("Saving"),
        "collecting": _("Collecting the catalogue"),
        "writing": _("Writing the file"),
    }


def progress_key(job_id: int) -> str:
    """The cache key of a running job's live figures (`jobs.JobProgress`)."""
    return f"importing:job:{job_id}:progress"


def catalog_jobs_for(*, user):
    """The jobs a staff member may see: their own; a superuser sees everyone's."""
    jobs = CatalogJob.objects.select_related("created_by", "price_list")
    if not user.is_staff:
        return jobs.none()
    return jobs if user.is_superuser else jobs.filter(created_by=user)


def catalog_job_for(*, user, pk: int) -> CatalogJob:
    """One of those jobs; any other id is a 404 (never a 403 that says it exists)."""
    job = catalog_jobs_for(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    return job


@dataclass(frozen=True)
class Progress:
    stage: str
    label: str
    done: int
    total: int
    percent: int

    @property
    def text(self) -> str:
        """Like "Checking rows: 12,000 of 20,000", in the reader's language; a stage
        counted in other units than the file's rows (saving: rows × steps) shows
        its name, and the bar its share."""
        if not self.total or self.stage not in COUNTED_STAGES:
            return self.label
        return _("%(stage)s: %(done)s of %(total)s") % {
            "stage": self.label,
            "done": number_format(self.done, force_grouping=True),
            "total": number_format(self.total, force_grouping=True),
        }


def job_progress(job: CatalogJob) -> Progress:
    """Where a job stands: the live figures while it runs, the row's otherwise."""
    labels = stage_labels()
    if job.finished:
        return Progress("finished", job.get_status_display(), job.rows_done, 0, 100)
    live = cache.get(progress_key(job.pk)) if job.status == Status.RUNNING else None
    if not live:
        stage = "queued" if job.status == Status.QUEUED else "reading"
        return Progress(stage, labels[stage], 0, job.rows_total, 0)
    stage, done, total = live["stage"], live["done"], live["total"]
    start, end = STAGES[job.kind].get(stage, (0, 100))
    share = done / total if total else 0
    percent = int(start + (end - start) * min(share, 1))
    return Progress(stage, labels.get(stage, stage), done, total, percent)


def job_errors(job: CatalogJob) -> list[str]:
    """The stored line errors as the import words them."""
    return [
        _("line %(line)s, column %(column)s: %(reason)s")
        % {"line": line, "column": column or "—", "reason": reason}
        for line, column, reason in job.errors
    ]
