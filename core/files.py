"""Private files served by a view that has already checked who asks: one response
helper for invoices, delivery notes, document bundles and job files.

Without `SHOP_SENDFILE_HEADER` the file is streamed by Django (`FileResponse`).
With `X-Accel-Redirect` (nginx) or `X-Sendfile` (Apache mod_xsendfile, lighttpd)
the answer carries only that header and the web server sends the file: nginx from
an `internal` location (`SHOP_SENDFILE_PREFIX`, aliased to `SHOP_PRIVATE_ROOT`;
see docs/DEPLOY.md), the others from the absolute path. Either way the download
keeps the human file name (`invoice-2026-00001.pdf`) in Content-Disposition,
whatever random name the file is stored under."""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

ACCEL = "x-accel-redirect"


class PrivateFileSystemStorage(FileSystemStorage):
    """`STORAGES["private"]`: files on the local disk with no URL at all (Django's
    own would fall back to MEDIA_URL); the views that check who asks serve them."""

    def url(self, name):
        raise ValueError("Private files have no URL; a scoped view serves them.")


def private_file_response(
    *, file, filename: str, content_type: str = "application/octet-stream"
) -> HttpResponse:
    """The download of `file` (a `FieldFile`) as `filename`; 404 when it is gone."""
    header = getattr(settings, "SHOP_SENDFILE_HEADER", "")
    target = _sendfile_target(header, file) if header else None
    if target is not None:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response[header] = target
        return response
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is gone.") from None
    return FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=filename
    )


def _sendfile_target(header: str, file) -> str | None:
    """What the web server is told to send; None: Django streams the file (a file
    not on the local disk, or not under SHOP_PRIVATE_ROOT for nginx)."""
    try:
        path = Path(file.path).resolve()
    except (NotImplementedError, ValueError):
        return None
    if not path.is_file():
        raise Http404("The file is gone.")
    if header.lower() != ACCEL:
        return str(path)
    try:
        relative = path.relative_to(Path(settings.SHOP_PRIVATE_ROOT).resolve())
    except ValueError:
        return None
    prefix = settings.SHOP_SENDFILE_PREFIX.rstrip("/")
    return f"{prefix}/{quote(relative.as_posix())}"
