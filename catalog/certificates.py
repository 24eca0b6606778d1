"""Product certificates (conformity declarations, test reports) attached by staff:
the one way to attach one (its file checked by content, `catalog.certificate_files`)
and to remove one."""

from datetime import date

from django.db import transaction

from catalog.certificate_files import (
    CERTIFICATE_TYPES,
    certificate_file_check,
    certificate_storage,
)
from catalog.models import ProductCertificate


def product_certificate_add(
    *,
    product,
    title: str,
    number: str,
    valid_until: date | None,
    file,
    uploaded_by,
):
    """Check the file by its content and attach it to the product."""
    mime = certificate_file_check(file)
    certificate = ProductCertificate(
        product=product,
        title=title.strip(),
        number=number.strip(),
        valid_until=valid_until,
        uploaded_by=uploaded_by,
        content_type=mime,
    )
    with transaction.atomic():
        certificate.file.save(f"certificate{CERTIFICATE_TYPES[mime]}", file, save=False)
        certificate.save()
    return certificate


def product_certificate_delete(*, certificate) -> None:
    """Remove the certificate and its file (after the commit)."""
    name = certificate.file.name
    certificate.delete()
    transaction.on_commit(lambda: certificate_storage.delete(name))
