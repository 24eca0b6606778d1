"""Where the company documents live: the `private` storage (`STORAGES["private"]`,
`SHOP_PRIVATE_ROOT`, outside MEDIA_ROOT, no URL), under random names that tell
nothing about the document (`invoices/2026/<uuid4 hex>.pdf`). The human file name
(`invoice-2026-00001.pdf`) is given only by the download view's
Content-Disposition; the file itself is reached only through the company-scoped
views (`core.files.private_file_response`)."""

import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils import timezone
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up when first used and again after the setting
    changes (a field keeps its storage object for the life of the process)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_documents = PrivateStorage()


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_documents._wrapped = empty


setting_changed.connect(_storages_changed)


def private_storage() -> PrivateStorage:
    """The storage of every private file field (a callable: migrations name no path)."""
    return private_documents


def private_file_name(kind: str, suffix: str = ".pdf") -> str:
    """`<kind>/<yyyy>/<uuid4 hex><suffix>`: unguessable, nothing of the document."""
    return f"{kind}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


def invoice_pdf_name(instance, filename: str) -> str:
    return private_file_name("invoices")


def delivery_note_pdf_name(instance, filename: str) -> str:
    return private_file_name("delivery-notes")


# Legacy documents: MEDIA_ROOT/invoicing/<kind>/<yyyy>/<human name>.pdf before
# migration invoicing 0005 (`documents_move_to_private`).
LEGACY_PREFIX = "invoicing/"


def documents_move_to_private(*, model, kind: str, source=None, target=None) -> int:
    """Move the PDFs of `model` (Invoice or DeliveryNote, historical models too)
    still named under MEDIA_ROOT into the private storage under new random names,
    and point the rows at them. Idempotent: a row already in the private storage
    is left alone. A file gone missing empties the row's PDF (and its hash): the
    document services render it again on the next download. Returns the count of
    files moved."""
    source = source or storages["default"]
    target = target or private_storage()
    moved = 0
    rows = model.objects.exclude(pdf="").filter(pdf__startswith=LEGACY_PREFIX)
    for pk, name in rows.values_list("pk", "pdf").iterator():
        if not source.exists(name):
            model.objects.filter(pk=pk).update(pdf="", pdf_sha256="")
            continue
        with source.open(name, "rb") as handle:
            new_name = target.save(private_file_name(kind), handle)
        model.objects.filter(pk=pk, pdf=name).update(pdf=new_name)
        source.delete(name)
        moved += 1
    return moved
