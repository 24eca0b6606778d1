"""Background tasks of the document archive: building a bundle (retried by
`core.tasks`; a bundle is claimed once, so a second run does nothing) and the daily
removal of expired bundles."""

from cabinet.documents.bundles import document_bundle_build, document_bundles_expire
from core.tasks import background_task


@background_task()
def document_bundle_build_task(*, bundle_id: int) -> bool:
    return document_bundle_build(bundle_id=bundle_id)


@background_task()
def document_bundles_expire_task() -> int:
    return document_bundles_expire()
