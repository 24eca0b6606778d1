"""Daily: mark unpaid invoices past their due date overdue and notify."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from invoicing.services.overdue import invoices_mark_overdue


class Command(BaseCommand):
    help = "Mark unpaid invoices past their due date overdue and e-mail the buyers."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        invoices = invoices_mark_overdue(today=today or timezone.localdate())
        self.stdout.write(f"{len(invoices)} invoice(s) marked overdue")
