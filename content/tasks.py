"""Background tasks of the content app (django-tasks)."""

from django.core.management import call_command

from core.tasks import background_task


@background_task()
def publish_scheduled_pages() -> None:
    """Wagtail's `publish_scheduled`: publish the revisions whose go-live time has
    come and unpublish pages past their expiry. Idempotent: what it did once it finds
    done the next time."""
    call_command("publish_scheduled", verbosity=0)
