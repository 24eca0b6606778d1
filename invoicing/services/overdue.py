"""Marking invoices overdue and telling the buyer's accountants and the account
manager (run daily by `manage.py mark_overdue_invoices`); the e-mails are background
tasks (`core.mail`)."""

import hashlib
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import Membership, Role
from core.mail import mail_enqueue
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


def _recipients(company) -> list[tuple[str, str]]:
    """(e-mail, language) of the company's accountants (its own e-mail when it has
    none) and of its account manager."""
    accountants = Membership.objects.active().filter(
        company=company, role=Role.ACCOUNTANT
    )
    people = [
        (m.user.email, m.user.language) for m in accountants.select_related("user")
    ]
    if not people and company.email:
        people.append((company.email, settings.LANGUAGE_CODE))
    if company.account_manager and company.account_manager.email:
        people.append((company.account_manager.email, settings.LANGUAGE_CODE))
    return people


def _notify_overdue(*, invoice_ids: list[int]) -> None:
    by_company = defaultdict(list)
    invoices = Invoice.objects.filter(pk__in=invoice_ids).select_related(
        "company", "company__account_manager"
    )
    for invoice in invoices:
        by_company[invoice.company].append(invoice)
    for company, overdue in by_company.items():
        # An invoice becomes overdue once: its id names the event.
        event = ",".join(str(pk) for pk in sorted(invoice.pk for invoice in overdue))
        digest = hashlib.sha256(event.encode()).hexdigest()[:24]
        for email, language in _recipients(company):
            with translation.override(language):
                context = {"company": company, "invoices": overdue}
                mail_enqueue(
                    key=f"invoicing.overdue:{company.pk}:{digest}:{email}",
                    subject=render_to_string(
                        "invoicing/email/overdue_subject.txt", context
                    ).strip(),
                    body=render_to_string("invoicing/email/overdue.txt", context),
                    to=[email],
                )
