"""Where product certificates' files live and what may be uploaded. The files live
under `VAR_DIR/private/certificates/`, never under the public MEDIA_ROOT; buyers get them through the cabinet's document archive, which
checks that their company has bought the product."""

import secrets
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

CERTIFICATE_MAX_BYTES = 20 * 1024 * 1024
# What the content says it is (never the name or the browser's type) → stored suffix.
CERTIFICATE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


class CertificateFileStorage(FileSystemStorage):
    """`VAR_DIR/private/certificates`, read from the settings each time (tests move
    VAR_DIR); files 0600, folders 0700; no URL."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return Path(settings.VAR_DIR) / "private" / "certificates"

    @property
    def location(self):
        return str(self.base_location.resolve())

    def url(self, name):
        raise ValueError("Certificates have no URL; the cabinet serves them.")


certificate_storage = CertificateFileStorage()


def certificate_files() -> CertificateFileStorage:
    """The storage of `ProductCertificate.file` (a callable: migrations name no
    path)."""
    return certificate_storage


def certificate_file_name(instance, filename: str) -> str:
    """`<product id>/<random><suffix>`: the suffix is the checked type's."""
    suffix = Path(filename).suffix.lower()
    if suffix not in CERTIFICATE_TYPES.values():
        suffix = ".pdf"
    return f"{instance.product_id}/{secrets.token_urlsafe(18)}{suffix}"


def certificate_file_check(upload) -> str:
    """The upload's content type (PDF, JPEG or PNG by its first bytes) or a
    ValidationError saying why it is refused."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.")
            % {"limit": CERTIFICATE_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CERTIFICATE_TYPES:
        raise ValidationError(_("Only PDF, JPEG or PNG files can be attached."))
    return kind.mime
