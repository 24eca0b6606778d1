"""Where the files of import and export jobs live: a private folder under VAR_DIR,
never under MEDIA_ROOT (whatever is there may be served to anyone), with random
names, readable by the shop's own user only. Staff download an export through the
job's page (`catalog.importing.views`), which checks who asks.

The web processes that store an upload and the workers that read it must share the
folder (a volume), as they share MEDIA_ROOT."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "xlsm": ".xlsm"}


class JobFileStorage(FileSystemStorage):
    """`VAR_DIR/private/catalog-jobs`, read from the settings each time (tests move
    VAR_DIR); files 0600, folders 0700; no URL."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return Path(settings.VAR_DIR) / "private" / "catalog-jobs"

    @property
    def location(self):
        return str(self.base_location.resolve())

    def url(self, name):
        raise ValueError("Job files have no URL; they are served by the job's page.")


job_storage = JobFileStorage()


def job_files() -> JobFileStorage:
    """The storage of `CatalogJob.file` (a callable, so migrations name no path)."""
    return job_storage


def job_file_name(instance, filename: str) -> str:
    """`<kind>/<random>.<csv|xlsx>`: the name tells nothing and cannot be guessed;
    the name as uploaded is kept on the job for display only."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    return f"{instance.kind}/{secrets.token_urlsafe(18)}{SUFFIXES.get(suffix, '.csv')}"
