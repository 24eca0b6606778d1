"""Staff pages of the catalogue's import and export jobs (/dashboard/catalog/): the
upload and export forms, the jobs list, a job's progress and result (the page polls
`job-progress` while it runs), and an export's download. A job is read through
`catalog_job_for`: another staff member's job is a 404."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.importing import jobs, selectors
from catalog.importing.forms import ExportForm, ImportForm
from catalog.importing.models import CatalogJob
from core.files import private_file_response

staff = staff_member_required(login_url="dashboard:login")
CONTENT_TYPES = {
    CatalogJob.Format.CSV: "text/csv; charset=utf-8",
    CatalogJob.Format.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


@staff
@require_http_methods(["GET", "POST"])
def catalog_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_start(
                kind=CatalogJob.Kind.CATALOG_IMPORT,
                upload=form.cleaned_data["file"],
                created_by=request.user,
                dry_run=form.cleaned_data["dry_run"],
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("dashboard-catalog:job", pk=job.pk)
    return render(
        request,
        "importing/dashboard/import.html",
        {
            "form": form,
            "export_form": ExportForm(),
            "recent": selectors.catalog_jobs_for(user=request.user)[:5],
        },
    )


@staff
@require_POST
def catalog_export_view(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        return redirect("dashboard-catalog:import")
    job = jobs.export_job_start(
        created_by=request.user, file_format=form.cleaned_data["file_format"]
    )
    return redirect("dashboard-catalog:job", pk=job.pk)


@staff
@require_GET
def job_list(request):
    page = Paginator(selectors.catalog_jobs_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "importing/dashboard/jobs.html", {"page_obj": page})


@staff
@require_GET
@never_cache
def job_detail(request, pk):
    job = selectors.catalog_job_for(user=request.user, pk=pk)
    return render(
        request,
        "importing/dashboard/job.html",
        {
            "job": job,
            "progress": selectors.job_progress(job),
            "errors": selectors.job_errors(job),
        },
    )


@staff
@require_GET
@never_cache
def job_progress(request, pk):
    """What the job's page polls while the job is queued or running."""
    job = selectors.catalog_job_for(user=request.user, pk=pk)
    progress = selectors.job_progress(job)
    return JsonResponse(
        {
            "status": job.status,
            "finished": job.finished,
            "label": progress.label,
            "text": progress.text,
            "done": progress.done,
            "total": progress.total,
            "percent": progress.percent,
        }
    )


@staff
@require_GET
def job_download(request, pk):
    """A finished export's file, to its owner (or a superuser) only."""
    job = selectors.catalog_job_for(user=request.user, pk=pk)
    if job.is_import or job.status != CatalogJob.Status.DONE or not job.file:
        raise Http404("No file to download.")
    return private_file_response(
        file=job.file,
        filename=job.file_name,
        content_type=CONTENT_TYPES[job.file_format],
    )
