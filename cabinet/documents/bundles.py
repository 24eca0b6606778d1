"""Bundles of the document archive built by a worker: claimed once, written into a
private ZIP with every document rendered through its own service, expired."""

import tempfile
import zipfile

from django.core.files import File
from django.utils import timezone, translation

from cabinet.files import bundle_storage
from cabinet.models import DocumentBundle
from invoicing.archive import (
    archive_documents_by_refs,
    archive_entry_chunks,
    archive_zip_names,
)


def _bundle_claim(bundle_id: int) -> DocumentBundle | None:
    claimed = DocumentBundle.objects.filter(
        pk=bundle_id,
        status__in=(DocumentBundle.Status.QUEUED, DocumentBundle.Status.FAILED),
        expires_at__gt=timezone.now(),
    ).update(status=DocumentBundle.Status.RUNNING)
    if not claimed:
        return None
    return DocumentBundle.objects.select_related("company").get(pk=bundle_id)


def _bundle_write(bundle: DocumentBundle, archive: zipfile.ZipFile) -> None:
    # The company's own documents only: a ref that is no longer the company's
    # (it cannot become so, but the check is the selector's) fails the bundle.
    entries = archive_documents_by_refs(
        company=bundle.company, refs=bundle.refs, with_finance=bundle.with_finance
    )
    for entry, name in zip(entries, archive_zip_names(entries), strict=True):
        chunks = archive_entry_chunks(
            entry, company=bundle.company, language=bundle.language
        )
        with archive.open(name, "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk)


def document_bundle_build(*, bundle_id: int) -> bool:
    """Build the bundle's ZIP (rendering missing PDFs through the documents'
    services) into its private file; False when it was built already, is being
    built or expired. A failure marks it failed and raises (the task retries)."""
    bundle = _bundle_claim(bundle_id)
    if bundle is None:
        return False
    try:
        with (
            translation.override(bundle.language),
            tempfile.TemporaryFile() as handle,
        ):
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as zf:
                _bundle_write(bundle, zf)
            handle.seek(0)
            bundle.file.save(bundle.filename, File(handle), save=False)
    except Exception as exc:
        DocumentBundle.objects.filter(pk=bundle.pk).update(
            status=DocumentBundle.Status.FAILED, error=str(exc)[:255]
        )
        raise
    bundle.status = DocumentBundle.Status.READY
    bundle.size = bundle.file.size
    bundle.finished_at = timezone.now()
    bundle.error = ""
    bundle.save(update_fields=["file", "status", "size", "finished_at", "error"])
    return True


def document_bundles_expire(*, now=None) -> int:
    """Remove the files and rows of bundles past their time; the number removed."""
    now = now or timezone.now()
    expired = list(DocumentBundle.objects.filter(expires_at__lte=now))
    for bundle in expired:
        if bundle.file:
            bundle_storage.delete(bundle.file.name)
    DocumentBundle.objects.filter(pk__in=[b.pk for b in expired]).delete()
    return len(expired)
