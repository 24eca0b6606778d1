"""Document archive API (/api/v1/cabinet/documents/): the company's invoices, credit
notes, delivery notes, UPDs, statements and certificates as the archive page lists
them (its filters as query parameters, paginated), and one document's file by its
archive ref (`invoice:12`, `statement:2026-Q1`, ...). A token needs the `finance`
scope (documents are the company's financial papers); a session caller any member
who sees the archive page; statements only with `view_finance`, as on the page.
Another company's document is a 404."""

import itertools
import logging

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from accounts.models import ActionRefused, membership_require
from cabinet.documents.forms import ArchiveFilterForm
from core.api import ApiCaller, ApiError, api_error, api_page
from invoicing.archive import (
    archive_document,
    archive_documents,
    archive_entry_chunks,
)

PAGE_SIZE = 50
REF_MAX = 64
MAX_PK = 2**62
logger = logging.getLogger(__name__)
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["documents"])


class DocumentOut(Schema):
    ref: str
    kind: str
    kind_label: str
    number: str
    date: str
    order: str | None
    status: str
    status_label: str
    amount: str | None
    currency: str
    title: str
    file: str


class DocumentPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[DocumentOut]


def _membership(request):
    """(membership, error response)."""
    try:
        return membership_require(request.membership, "view_orders"), None
    except ActionRefused as exc:
        return None, api_error(exc.message, 403)


def _document_json(entry) -> dict:
    return {
        "ref": entry.ref,
        "kind": entry.kind,
        "kind_label": entry.kind_label,
        "number": entry.number,
        "date": entry.date.isoformat(),
        "order": entry.order_number or None,
        "status": entry.status,
        "status_label": entry.status_label,
        "amount": None if entry.amount is None else str(entry.amount),
        "currency": entry.currency,
        "title": entry.title,
        "file": f"/api/v1/cabinet/documents/{entry.ref}/file",
    }


@router.get(
    "",
    url_name="cabinet-documents",
    auth=ApiCaller(scope="finance"),
    response={200: DocumentPageOut, **ERRORS},
    summary="The company's documents, newest first (filters as on the archive page)",
)
def document_list(
    request,
    kind: str | None = None,
    date_from: str | None = Query(None, description="YYYY-MM-DD"),
    date_to: str | None = Query(None, description="YYYY-MM-DD"),
    q: str | None = Query(None, description="A document's number, or part of it"),
    order: str | None = Query(None, description="An order number, or part of it"),
    status: str | None = None,
    amount_from: str | None = None,
    amount_to: str | None = None,
    page: str | None = None,
):
    membership, error = _membership(request)
    if error:
        return error
    with_finance = membership.can("view_finance")
    form = ArchiveFilterForm(request.GET or None, with_finance=with_finance)
    if form.is_bound and not form.is_valid():
        return JsonResponse(
            {"detail": _("Invalid filters."), "errors": form.errors}, status=400
        )
    entries = archive_documents(
        company=membership.company, filters=form.filters(), with_finance=with_finance
    )
    return api_page(request, entries, size=PAGE_SIZE, render=_document_json)


@router.get(
    "{ref}/file",
    url_name="cabinet-document-file",
    auth=ApiCaller(scope="finance"),
    response={**ERRORS, 503: ApiError},
    summary="One document's file (PDF; a certificate as it was uploaded)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                # A PDF; a certificate as it was uploaded (PDF, JPEG or PNG).
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in ("application/pdf", "image/jpeg", "image/png")
                },
            }
        }
    },
)
def document_file(request, ref: str):
    membership, error = _membership(request)
    if error:
        return error
    try:
        key = ref.partition(":")[2]
        if len(ref) > REF_MAX or (key.isdigit() and int(key) > MAX_PK):
            raise Http404
        entry = archive_document(
            company=membership.company,
            ref=ref,
            with_finance=membership.can("view_finance"),
        )
    except Http404:
        return api_error(_("No such document."), 404)
    chunks = archive_entry_chunks(
        entry, company=membership.company, language=request.LANGUAGE_CODE
    )
    try:
        # The first chunk renders a PDF not stored yet: a failure is told here,
        # before the answer has started.
        first = next(chunks, b"")
    except FileNotFoundError:
        return api_error(_("No such document."), 404)
    except Exception:
        logger.exception("Document %s could not be prepared", entry.ref)
        response = api_error(
            _("The document is being prepared; try again shortly."), 503
        )
        response["Retry-After"] = "60"
        return response
    response = StreamingHttpResponse(
        itertools.chain([first], chunks), content_type=entry.content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, entry.filename)
    return response
