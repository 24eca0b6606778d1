"""Marking invoices overdue and telling the buyer's accountants and the account
manager (run daily by `manage.py mark_overdue_invoices`); the e-mails go through
`accounts.notifications` and are sent by background tasks."""

import hashlib
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from accounts.notifications import Kind, company_members, notify, notify_address
from invoicing.models import DocumentKind, Invoice, InvoiceStatus


def invoices_mark_overdue(*, today: date) -> list[Invoice]:
    """Unpaid invoices past their due date become overdue (once); the e-mails go
    after the commit."""
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(of=("self",))
            .filter(
                kind=DocumentKind.INVOICE,
                status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID),
                due_date__lt=today,
            )
            .order_by("company_id", "due_date")
        )
        for invoice in invoices:
            invoice.status = InvoiceStatus.OVERDUE
            invoice.save(update_fields=["status"])
        ids = [i.pk for i in invoices]
        transaction.on_commit(lambda: _notify_overdue(invoice_ids=ids))
    return invoices


def _notify_overdue(*, invoice_ids: list[int]) -> None:
    by_company = defaultdict(list)
    invoices = Invoice.objects.filter(pk__in=invoice_ids).select_related("company")
    for invoice in invoices.order_by("due_date", "pk"):
        by_company[invoice.company].append(invoice)
    overdue_filter = "?status=" + InvoiceStatus.OVERDUE
    for company, overdue in by_company.items():
        # An invoice becomes overdue once: the ids name the event.
        event = ",".join(str(pk) for pk in sorted(invoice.pk for invoice in overdue))
        digest = hashlib.sha256(event.encode()).hexdigest()[:24]
        key = f"invoicing.overdue:{company.pk}:{digest}"
        context = {"company": company, "invoices": overdue}
        accountants = company_members(company_id=company.pk, roles=[Role.ACCOUNTANT])
        if accountants.exists():
            notify(
                kind=Kind.INVOICE_OVERDUE,
                users=accountants,
                context=context,
                path=reverse("cabinet:invoice-list") + overdue_filter,
                key=key,
            )
        elif company.email:  # no accountant in the team: the company's own address
            notify_address(
                kind=Kind.INVOICE_OVERDUE,
                email=company.email,
                language=settings.LANGUAGE_CODE,
                context=context,
                path=reverse("cabinet:invoice-list") + overdue_filter,
                key=f"{key}:company",
            )
        notify(
            kind=Kind.INVOICE_OVERDUE,
            users=User.objects.filter(managed_companies=company, is_staff=True),
            context=context,
            path=reverse("dashboard-invoicing:invoice-list") + overdue_filter,
            key=f"{key}:manager",
        )
