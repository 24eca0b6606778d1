"""Reads about users, companies and memberships."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Company, Membership, User


def memberships_for_user(*, user: User):
    return (
        Membership.objects.active()
        .filter(user=user)
        .exclude(company__status=Company.Status.BLOCKED)
        .select_related("company")
        .order_by("company__name")
    )


def membership_for_user(*, user: User, company_id: int | None) -> Membership | None:
    """The user's membership in the given company, else their last or first one."""
    memberships = list(memberships_for_user(user=user))
    if not memberships:
        return None
    by_company = {m.company_id: m for m in memberships}
    for candidate in (company_id, user.last_company_id):
        if candidate in by_company:
            return by_company[candidate]
    return memberships[0]


def companies_pending():
    return Company.objects.filter(status=Company.Status.PENDING).order_by("created_at")


def companies_for_dashboard(
    *, status: str = "", industry: str = "", query: str = ""
) -> QuerySet[Company]:
    """Companies for staff, filtered; newest registrations first."""
    companies = (
        Company.objects.select_related("account_manager")
        .annotate(member_count=Count("memberships"))
        .order_by("-created_at", "pk")
    )
    if status:
        companies = companies.filter(status=status)
    if industry:
        companies = companies.filter(industry=industry)
    query = query.strip()
    if query:
        companies = companies.filter(
            Q(name__icontains=query)
            | Q(legal_name__icontains=query)
            | Q(tax_id__startswith=query.replace(" ", ""))
        )
    return companies


def company_for_dashboard(*, pk: int) -> Company:
    return get_object_or_404(
        Company.objects.select_related("account_manager").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__email"
                ),
            ),
            "legal_entities",
            "addresses",
        ),
        pk=pk,
    )
