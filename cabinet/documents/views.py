"""The document archive pages: the list with filters, a ZIP of the chosen documents
or of the whole filtered period (streamed, or a bundle built by the worker), a
bundle's page and file, a certificate's file, and a document sent by e-mail.
Everything is fetched scoped by the active company (another company's document is
a 404); statements need `view_finance`, as on the invoices page."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership, membership_require
from cabinet.documents.forms import ArchiveFilterForm, DocumentSendForm
from cabinet.documents.services import (
    ArchiveRefused,
    document_bundle_request,
    document_send,
    zip_plan,
    zip_stream,
)
from cabinet.models import DocumentBundle
from cabinet.refusals import refusal_shown
from core.files import private_file_response
from invoicing.archive import (
    archive_document,
    archive_documents,
    archive_documents_by_refs,
)

PAGE_SIZE = 25
FILTER_FIELDS = ("kind", "date_from", "date_to", "q", "order", "status")
FILTER_FIELDS += ("amount_from", "amount_to")


def member_view(view):
    """Signed in, acting for a company with `view_orders`; a refusal is a 403 page
    that says why."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_require(request.membership, "view_orders")
        return view(request, membership, *args, **kwargs)

    return refusal_shown(wrapper)


def _with_finance(membership) -> bool:
    return membership.can("view_finance")


def _back(request):
    """The archive page the form came from (its filters kept)."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        if url.startswith(reverse("cabinet:documents")):
            return redirect(url)
    return redirect("cabinet:documents")


def _member_addresses(company) -> list[str]:
    return list(
        Membership.objects.filter(company=company, is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


@member_view
@require_GET
def document_list(request, membership):
    with_finance = _with_finance(membership)
    form = ArchiveFilterForm(request.GET or None, with_finance=with_finance)
    entries = archive_documents(
        company=membership.company, filters=form.filters(), with_finance=with_finance
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    bundles = DocumentBundle.objects.filter(
        company=membership.company,
        requested_by=request.user,
        expires_at__gt=timezone.now(),
    )[:5]
    return render(
        request,
        "cabinet/documents/list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "filter_values": [
                (name, value)
                for name in FILTER_FIELDS
                if (value := request.GET.get(name, ""))
            ],
            "bundles": bundles,
            "addresses": _member_addresses(membership.company),
            "send_form": DocumentSendForm(addresses=[]),
            "here": request.get_full_path(),
        },
    )


def _zip_entries(request, membership):
    with_finance = _with_finance(membership)
    if request.POST.get("scope") == "all":
        form = ArchiveFilterForm(request.POST, with_finance=with_finance)
        if not form.is_valid():
            raise ArchiveRefused(
                " ".join(form.non_field_errors()) or _("Check the filters.")
            )
        return archive_documents(
            company=membership.company,
            filters=form.filters(),
            with_finance=with_finance,
        )
    return archive_documents_by_refs(
        company=membership.company,
        refs=request.POST.getlist("doc")[:10_000],
        with_finance=with_finance,
    )


@member_view
@require_POST
def documents_zip(request, membership):
    """The chosen documents (`doc` refs) or the filtered period (`scope=all`) as a
    ZIP: streamed now when small and stored, else a bundle for the worker."""
    try:
        plan = zip_plan(entries=_zip_entries(request, membership))
    except ArchiveRefused as exc:
        messages.error(request, exc.message)
        return _back(request)
    if not plan.inline:
        bundle = document_bundle_request(
            membership=membership, plan=plan, language=request.LANGUAGE_CODE
        )
        messages.info(
            request,
            _("The archive of %(count)d documents is being prepared.")
            % {"count": len(plan.entries)},
        )
        return redirect("cabinet:document-bundle", pk=bundle.pk)
    response = StreamingHttpResponse(
        zip_stream(
            plan=plan, company=membership.company, language=request.LANGUAGE_CODE
        ),
        content_type="application/zip",
    )
    filename = f"documents-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bundle_for(membership, pk: int) -> DocumentBundle:
    """A bundle of the member's company (statements inside: `view_finance`)."""
    bundle = get_object_or_404(
        DocumentBundle, company=membership.company, pk=pk, expires_at__gt=timezone.now()
    )
    if bundle.with_finance and not _with_finance(membership):
        raise Http404("No such bundle.")
    return bundle


@member_view
@require_GET
def bundle_detail(request, membership, pk: int):
    bundle = _bundle_for(membership, pk)
    return render(request, "cabinet/documents/bundle.html", {"bundle": bundle})


@member_view
@require_GET
def bundle_download(request, membership, pk: int):
    bundle = _bundle_for(membership, pk)
    if bundle.status != DocumentBundle.Status.READY:
        return redirect("cabinet:document-bundle", pk=bundle.pk)
    return private_file_response(
        file=bundle.file, filename=bundle.filename, content_type="application/zip"
    )


@member_view
@require_GET
def certificate_file(request, membership, pk: int):
    entry = archive_document(
        company=membership.company, ref=f"certificate:{pk}", with_finance=False
    )
    return private_file_response(
        file=entry.source.file,
        filename=entry.filename,
        content_type=entry.content_type,
    )


@member_view
@require_POST
def document_send_view(request, membership):
    """E-mail a document to a member of the company (a free address is refused)."""
    form = DocumentSendForm(
        request.POST, addresses=_member_addresses(membership.company)
    )
    ref = request.POST.get("document", "")[:64]
    entry = archive_document(
        company=membership.company, ref=ref, with_finance=_with_finance(membership)
    )  # another company's document: 404 before anything else
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("email", [_("Choose.")])))
        return _back(request)
    try:
        document_send(
            membership=membership,
            entry=entry,
            to=form.cleaned_data["email"],
            language=request.LANGUAGE_CODE,
        )
    except ArchiveRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(kind)s %(number)s is sent to %(email)s.")
            % {
                "kind": entry.kind_label,
                "number": entry.number,
                "email": form.cleaned_data["email"],
            },
        )
    return _back(request)
