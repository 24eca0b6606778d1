"""Where the ZIP bundles of the document archive (`cabinet.documents`) live: `VAR_DIR/private/
document-bundles/`, never under the public MEDIA_ROOT, with random names, readable by
the shop's own user only; downloaded through the bundle's page, which checks that
the one asking is a member of the bundle's company. Web processes and workers share
the folder (a volume), as they share MEDIA_ROOT."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class BundleFileStorage(FileSystemStorage):
    """Read from the settings each time (tests move VAR_DIR); 0600/0700; no URL."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return Path(settings.VAR_DIR) / "private" / "document-bundles"

    @property
    def location(self):
        return str(self.base_location.resolve())

    def url(self, name):
        raise ValueError("Bundles have no URL; the bundle's page serves them.")


bundle_storage = BundleFileStorage()


def bundle_files() -> BundleFileStorage:
    """The storage of `DocumentBundle.file` (a callable: migrations name no path)."""
    return bundle_storage


def bundle_file_name(instance, filename: str) -> str:
    return f"{instance.company_id}/{secrets.token_urlsafe(18)}.zip"
