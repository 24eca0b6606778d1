"""Background tasks of invoicing (django-tasks)."""

from django.utils import timezone
from django_tasks import task

from invoicing.services.overdue import invoices_mark_overdue


@task()
def mark_overdue_invoices() -> int:
    return len(invoices_mark_overdue(today=timezone.localdate()))
