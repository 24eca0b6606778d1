"""Writes of the document archive: ZIPs of documents (streamed in the request when
small and stored, built by a worker into a private bundle otherwise), expiry of
bundles, and a document sent again by e-mail to a member of the company.

Bounds: a ZIP holds at most `ZIP_MAX_DOCUMENTS` documents and `ZIP_MAX_BYTES` (the
stored sizes, statements estimated); the request streams at most
`ZIP_INLINE_MAX_DOCUMENTS` documents whose files are all stored; anything else goes
to the worker (`document_bundle_build_task`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from zipstream import ZIP_STORED, ZipStream

from accounts.models import ActionRefused, Membership
from cabinet.documents.tasks import document_bundle_build_task
from cabinet.models import DocumentBundle
from core.mail import ATTACHMENTS_MAX_BYTES, mail_attachment, mail_enqueue
from core.tasks import enqueue_on_commit
from invoicing.archive import (
    ArchiveEntry,
    ArchiveKind,
    archive_entry_bytes,
    archive_entry_chunks,
    archive_entry_size,
    archive_zip_names,
)

ZIP_MAX_DOCUMENTS = 500
ZIP_MAX_BYTES = 200 * 1024 * 1024
ZIP_INLINE_MAX_DOCUMENTS = 50
BUNDLE_LIFETIME = timedelta(days=3)


class ArchiveRefused(ActionRefused):
    """A ZIP or a mail that is not made; the message says why (a 4xx page)."""


@dataclass(frozen=True)
class ZipPlan:
    entries: list[ArchiveEntry]
    size: int

    @property
    def inline(self) -> bool:
        """Small enough and stored: stream it now."""
        return len(self.entries) <= ZIP_INLINE_MAX_DOCUMENTS and all(
            entry.ready for entry in self.entries
        )


def zip_plan(*, entries: list[ArchiveEntry]) -> ZipPlan:
    """Check the bounds before any byte is read; `ArchiveRefused` beyond them."""
    if not entries:
        raise ArchiveRefused(_("Choose at least one document."))
    if len(entries) > ZIP_MAX_DOCUMENTS:
        raise ArchiveRefused(
            _(
                "A ZIP holds at most %(limit)d documents (%(count)d chosen): "
                "narrow the period or the filters."
            )
            % {"limit": ZIP_MAX_DOCUMENTS, "count": len(entries)}
        )
    size = sum(archive_entry_size(entry) for entry in entries)
    if size > ZIP_MAX_BYTES:
        raise ArchiveRefused(
            _(
                "These documents take more than %(limit)d MB: narrow the period or "
                "the filters."
            )
            % {"limit": ZIP_MAX_BYTES // (1024 * 1024)}
        )
    return ZipPlan(entries=entries, size=size)


def zip_stream(*, plan: ZipPlan, company, language: str) -> Iterator[bytes]:
    """The ZIP of stored documents, produced while it is sent (zipstream-ng: no
    temporary file, memory bounded by one chunk). Only stored documents come here
    (`ZipPlan.inline`); what is rendered on request goes to a bundle."""
    stream = ZipStream(compress_type=ZIP_STORED)  # PDFs and images are compressed
    for entry, name in zip(plan.entries, archive_zip_names(plan.entries), strict=True):
        stream.add(
            archive_entry_chunks(entry, company=company, language=language), name
        )
    return iter(stream)


def document_bundle_request(
    *, membership: Membership, plan: ZipPlan, language: str
) -> DocumentBundle:
    """Record a bundle and let the worker build it after the commit."""
    now = timezone.now()
    bundle = DocumentBundle.objects.create(
        company=membership.company,
        requested_by=membership.user,
        refs=[entry.ref for entry in plan.entries],
        with_finance=any(e.kind in ArchiveKind.FINANCE for e in plan.entries),
        language=language,
        document_count=len(plan.entries),
        created_at=now,
        expires_at=now + BUNDLE_LIFETIME,
    )
    enqueue_on_commit(document_bundle_build_task, bundle_id=bundle.pk)
    return bundle


def document_send(
    *, membership: Membership, entry: ArchiveEntry, to: str, language: str
) -> str:
    """E-mail one document (attached) to an active member of the company: the
    address must be one of theirs; the mail goes through `core.mail` as a task."""
    addresses = set(
        Membership.objects.filter(company=membership.company, is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )
    if to not in addresses:
        raise ArchiveRefused(_("Documents are sent only to members of your company."))
    if archive_entry_size(entry) > ATTACHMENTS_MAX_BYTES:
        raise ArchiveRefused(
            _("This document is too large for e-mail: download it instead.")
        )
    content = archive_entry_bytes(entry, company=membership.company, language=language)
    sender = membership.user.get_full_name() or membership.user.email
    subject = _("%(kind)s %(number)s") % {
        "kind": entry.kind_label,
        "number": entry.number,
    }
    body = _(
        "%(sender)s sent you %(kind)s %(number)s of %(company)s; it is attached.\n\n"
        "Every document of the company is in the cabinet's document archive."
    ) % {
        "sender": sender,
        "kind": entry.kind_label,
        "number": entry.number,
        "company": membership.company.name,
    }
    with transaction.atomic():
        return mail_enqueue(
            key=None,  # a person's action: each click is a mail of its own
            subject=subject,
            body=body,
            to=[to],
            reply_to=[membership.user.email],
            attachments=[
                mail_attachment(
                    filename=entry.filename,
                    content=content,
                    mimetype=entry.content_type,
                )
            ],
        )
