"""Staff's "Companies" section of Oscar's dashboard: review, approve, reject, block."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import AccountManagerForm, CompanyFilterForm, CompanyReasonForm
from accounts.models import Company

PAGE_SIZE = 25


def staff_required(view):
    """Visitors go to the dashboard login; signed-in customers get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), reverse("dashboard:login")
            )
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def staff_permission_required(permission: str):
    """`staff_required`, and the staff member must hold `permission` (superusers
    hold every one): seeing an invoice is every staff member's, recording money on
    it is finance's (the "Finance" group, `invoicing.apps`)."""

    def decorate(view):
        @staff_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied(
                    _("Only finance staff may do this (permission %(perm)s).")
                    % {"perm": permission}
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@staff_required
def company_list(request):
    form = CompanyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    companies = selectors.companies_for_dashboard(
        status=filters.get("status", ""),
        industry=filters.get("industry", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/dashboard/company_list.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )


def _render_detail(request, pk: int, *, reason_form=None, manager_form=None):
    company = selectors.company_for_dashboard(pk=pk)
    context = {
        "company": company,
        "reason_form": reason_form or CompanyReasonForm(),
        "manager_form": manager_form
        or AccountManagerForm(initial={"manager": company.account_manager_id}),
        "statuses": Company.Status,
    }
    return render(request, "accounts/dashboard/company_detail.html", context)


@staff_required
def company_detail(request, pk: int):
    return _render_detail(request, pk)


@staff_required
@require_POST
def company_approve(request, pk: int):
    company = selectors.company_for_dashboard(pk=pk)
    services.company_approve(company=company, approved_by=request.user)
    messages.success(request, _("%(company)s is approved.") % {"company": company})
    return redirect("dashboard-companies:detail", pk=pk)


@staff_required
@require_POST
def company_reject(request, pk: int):
    form = CompanyReasonForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, reason_form=form)
    company = selectors.company_for_dashboard(pk=pk)
    services.company_reject(
        company=company, reason=form.cleaned_data["reason"], rejected_by=request.user
    )
    messages.success(
        request,
        _("%(company)s is rejected; its administrators were notified.")
        % {"company": company},
    )
    return redirect("dashboard-companies:detail", pk=pk)


@staff_required
@require_POST
def company_block(request, pk: int):
    form = CompanyReasonForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, reason_form=form)
    company = selectors.company_for_dashboard(pk=pk)
    services.company_block(
        company=company, reason=form.cleaned_data["reason"], blocked_by=request.user
    )
    messages.success(request, _("%(company)s is blocked.") % {"company": company})
    return redirect("dashboard-companies:detail", pk=pk)


@staff_required
@require_POST
def company_manager(request, pk: int):
    form = AccountManagerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, manager_form=form)
    company = selectors.company_for_dashboard(pk=pk)
    services.company_assign_manager(
        company=company, manager=form.cleaned_data["manager"]
    )
    messages.success(request, _("The account manager is saved."))
    return redirect("dashboard-companies:detail", pk=pk)
