"""The files 1C uploads during an exchange: one private folder per exchange under
`VAR_DIR/private/commerceml/` (never under MEDIA_ROOT), emptied by `init`; names
are checked (a plain file name, or one under 1C's `import_files/` folder of
images); a file grows by the chunks 1C posts, at most `COMMERCEML_FILE_LIMIT`
bytes in all."""

import re
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from integrations.commerceml.parsing import CommerceMLError

DEFAULT_FILE_LIMIT = 10 * 1024 * 1024
READ_BLOCK = 64 * 1024
STALE_SECONDS = 24 * 3600  # an exchange folder older than this is removed
_PART = re.compile(r"[\w][\w.\- ]{0,127}")
IMAGES_FOLDER = "import_files"


class FileTooLarge(CommerceMLError):
    """More than the exchange's file limit: answered 413."""


def file_limit() -> int:
    return int(getattr(settings, "COMMERCEML_FILE_LIMIT", DEFAULT_FILE_LIMIT))


def exchange_dir(token: str) -> Path:
    return Path(settings.VAR_DIR) / "private" / "commerceml" / token


def exchange_reset(token: str) -> Path:
    """An empty folder for a new exchange; this session's earlier files and the
    folders of exchanges untouched for a day are removed."""
    folder = exchange_dir(token)
    shutil.rmtree(folder, ignore_errors=True)
    root = folder.parent
    if root.is_dir():
        stale = time.time() - STALE_SECONDS
        for old in root.iterdir():
            if old.is_dir() and old.stat().st_mtime < stale:
                shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    return folder


def filename_check(name: str) -> str:
    """The name as given if it is safe: `import.xml`, `offers0_1.xml`, or
    `import_files/ab/abcd.jpg`; `CommerceMLError` otherwise."""
    parts = (name or "").split("/")
    safe = (
        bool(name)
        and len(name) <= 255
        and "\\" not in name
        and all(_PART.fullmatch(p) and p.strip(".") for p in parts)
        and (len(parts) == 1 or parts[0] == IMAGES_FOLDER)
    )
    if not safe:
        raise CommerceMLError(
            _(
                "The file name %(name)s is not allowed: a plain name, or one under "
                "import_files/, is."
            )
            % {"name": repr(name[:100])}
        )
    return name


def _path(token: str, name: str) -> Path:
    folder = exchange_dir(token).resolve()
    path = (folder / filename_check(name)).resolve()
    if folder not in path.parents:
        raise CommerceMLError(
            _("The file name %(name)s is not allowed.") % {"name": repr(name[:100])}
        )
    return path


def chunk_append(*, token: str, name: str, stream, length: int | None) -> int:
    """Append the request body to the file; its size in all. Over the limit the
    file is removed and `FileTooLarge` raised."""
    path = _path(token, name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    limit = file_limit()
    size = path.stat().st_size if path.exists() else 0
    too_large = FileTooLarge(
        _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit}
    )
    if length is not None and size + length > limit:
        path.unlink(missing_ok=True)
        raise too_large
    with path.open("ab") as out:
        while block := stream.read(READ_BLOCK):
            size += len(block)
            if size > limit:
                break
            out.write(block)
    if size > limit:
        path.unlink(missing_ok=True)
        raise too_large
    path.chmod(0o600)
    return size


def file_read(*, token: str, name: str) -> bytes:
    """The uploaded file; `CommerceMLError` when it was not uploaded."""
    path = _path(token, name)
    if not path.is_file():
        raise CommerceMLError(
            _("The file %(name)s was not uploaded in this exchange.") % {"name": name}
        )
    if path.stat().st_size > file_limit():
        raise FileTooLarge(_("The file is larger than the limit."))
    return path.read_bytes()
