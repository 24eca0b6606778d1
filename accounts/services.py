"""Writes about users and companies: registration, approval, switching."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.middleware import SESSION_KEY
from accounts.models import Company, Membership, Role, User
from core.mail import mail_enqueue


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str
    company_name: str
    legal_name: str
    country: str
    tax_id: str
    kpp: str = ""
    industry: str = ""
    region: str = ""
    language: str = "ru"


@transaction.atomic
def company_register(*, registration: Registration) -> Membership:
    """Create the person, their company (pending) and make them its administrator.

    The caller has validated the data (forms do, with the same validators); the
    database constraints guard the rest, and the transaction makes it all or nothing.
    """
    r = registration
    user = User.objects.create_user(
        email=r.email,
        password=r.password,
        first_name=r.first_name,
        last_name=r.last_name,
        phone=r.phone,
        language=r.language,
    )
    company = Company(
        name=r.company_name or r.legal_name,
        legal_name=r.legal_name,
        country=r.country,
        tax_id=r.tax_id,
        kpp=r.kpp,
        industry=r.industry or Company._meta.get_field("industry").default,
        region=r.region,
        phone=r.phone,
        email=r.email,
    )
    company.full_clean()
    company.save()
    membership = Membership.objects.create(user=user, company=company, role=Role.ADMIN)
    user.last_company = company
    user.save(update_fields=["last_company"])
    _notify_staff_of_registration(company)
    return membership


def _notify_staff_of_registration(company: Company) -> None:
    recipients = list(
        User.objects.filter(is_staff=True, is_active=True).values_list(
            "email", flat=True
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        mail_enqueue(
            key=f"accounts.company-registered:{company.pk}",
            subject=str(
                _("New business customer: %(name)s (%(tax_id)s)")
                % {"name": company.legal_name, "tax_id": company.tax_id}
            ),
            body=render_to_string(
                "accounts/email/staff_new_company.txt", {"company": company}
            ),
            to=recipients,
        )


def _mail_company_admins(
    company: Company, template: str, subject: str, event: str | None
) -> None:
    """Each active administrator in their language; `event` names the change (None:
    every call is a new one)."""
    admins = company.memberships.filter(role=Role.ADMIN, is_active=True).select_related(
        "user"
    )
    for membership in admins:
        user = membership.user
        with translation.override(user.language):
            mail_enqueue(
                key=f"{event}:{user.pk}" if event else None,
                subject=str(subject),
                body=render_to_string(template, {"company": company, "user": user}),
                to=[user.email],
            )


@transaction.atomic
def company_approve(*, company: Company, approved_by: User) -> Company:
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.APPROVED:
        return company
    company.status = Company.Status.APPROVED
    company.status_reason = ""
    company.approved_at = timezone.now()
    if company.account_manager_id is None and approved_by.is_staff:
        company.account_manager = approved_by
    company.save(
        update_fields=["status", "status_reason", "approved_at", "account_manager"]
    )
    _mail_company_admins(
        company,
        "accounts/email/company_approved.txt",
        _("Your company is approved"),
        event=f"accounts.company-approved:{company.pk}:{company.approved_at.isoformat()}",
    )
    return company


@transaction.atomic
def company_reject(*, company: Company, reason: str, rejected_by: User) -> Company:
    """Decline a registration (or withdraw an approval) and tell the company why."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    company.status = Company.Status.REJECTED
    company.status_reason = reason
    company.approved_at = None
    company.save(update_fields=["status", "status_reason", "approved_at"])
    _mail_company_admins(
        company,
        "accounts/email/company_rejected.txt",
        _("Your company registration was declined"),
        event=None,
    )
    return company


@transaction.atomic
def company_block(*, company: Company, reason: str, blocked_by: User) -> Company:
    """Stop a company from working with the shop: its members lose it as their
    active company (and with it prices and ordering) on their next request."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    company.status = Company.Status.BLOCKED
    company.status_reason = reason
    company.save(update_fields=["status", "status_reason"])
    return company


def company_assign_manager(*, company: Company, manager: User | None) -> Company:
    """Make a staff member the company's account manager (None: nobody)."""
    if manager is not None and not manager.is_staff:
        raise ValueError("An account manager must be a staff member.")
    company.account_manager = manager
    company.save(update_fields=["account_manager"])
    return company


def company_switch(*, request, company_id: int) -> Membership | None:
    """Make `company_id` the active company of the signed-in user, if they belong to it."""
    membership = (
        Membership.objects.active()
        .filter(user=request.user, company_id=company_id)
        .exclude(company__status=Company.Status.BLOCKED)
        .select_related("company")
        .first()
    )
    if membership is None:
        return None
    request.session[SESSION_KEY] = membership.company_id
    User.objects.filter(pk=request.user.pk).update(last_company=membership.company)
    request.membership = membership
    request.company = membership.company
    return membership
