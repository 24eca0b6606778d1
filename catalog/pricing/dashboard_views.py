"""Staff pages: price lists with their breaks and import, company terms, contracts,
discount rules, and "why this price"."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Company
from catalog.importing.jobs import import_job_start
from catalog.importing.models import CatalogJob
from catalog.importing.selectors import job_errors
from catalog.pricing import selectors, services
from catalog.pricing.forms import (
    BreakForm,
    ContractForm,
    DiscountRuleForm,
    ExplainForm,
    PriceImportForm,
    PriceListForm,
    TermsForm,
)
from catalog.pricing.models import Contract, PriceList

staff = staff_member_required(login_url="dashboard:login")


def _apply(request, form, action) -> bool:
    """Run a service with a valid form's data; a refusal becomes a form error."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    messages.success(request, _("Saved."))
    return True


def _posted_id(request) -> int:
    value = request.POST.get("item", "")
    return int(value) if value.isdigit() else 0


def _page(request, items, per_page=50):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# -- price lists ------------------------------------------------------------------


@staff
def price_list_list(request):
    return render(
        request,
        "pricing/dashboard/price_lists.html",
        {"price_lists": selectors.price_lists()},
    )


@staff
@require_http_methods(["GET", "POST"])
def price_list_create(request):
    form = PriceListForm(request.POST or None)
    created = {}
    if request.method == "POST" and _apply(
        request, form, lambda d: created.update(obj=services.price_list_create(**d))
    ):
        return redirect("dashboard-pricing:list-detail", pk=created["obj"].pk)
    return render(request, "pricing/dashboard/price_list.html", {"form": form})


@staff
@require_http_methods(["GET", "POST"])
def price_list_detail(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "form": PriceListForm(
            request.POST if action == "header" else None,
            instance=PriceList.objects.get(pk=pk),  # the form edits a copy
        ),
        "break_form": BreakForm(request.POST if action == "break" else None),
        "import_form": PriceImportForm(
            request.POST if action == "import" else None,
            request.FILES if action == "import" else None,
        ),
    }
    job = None
    done = False
    if action == "header":
        done = _apply(
            request,
            forms["form"],
            lambda d: services.price_list_update(price_list=price_list, **d),
        )
    elif action == "break":
        done = _apply(
            request,
            forms["break_form"],
            lambda d: services.price_list_item_set(
                price_list=price_list,
                product=forms["break_form"].product,
                min_quantity=d["min_quantity"],
                price=d["price"],
            ),
        )
    elif action == "delete_break":
        services.price_list_item_delete(
            price_list=price_list, item_id=_posted_id(request)
        )
        done = True
    elif action == "import":
        job = _import(request, forms["import_form"], price_list)
        if job is not None and not job.finished:  # a large file: its page follows it
            return redirect("dashboard-catalog:job", pk=job.pk)
    if done:
        return redirect("dashboard-pricing:list-detail", pk=pk)
    article = request.GET.get("article", "")
    items = selectors.price_list_items(price_list=price_list, article=article)
    return render(
        request,
        "pricing/dashboard/price_list.html",
        {
            **forms,
            "price_list": price_list,
            "page": _page(request, items),
            "article": article,
            "job": job,
            "errors": job_errors(job) if job else [],
        },
    )


def _import(request, form, price_list) -> CatalogJob | None:
    """A job for the upload (`catalog.importing.jobs`): a small file is imported at
    once and its result shown here; a large one is queued."""
    if not form.is_valid():
        return None
    try:
        return import_job_start(
            kind=CatalogJob.Kind.PRICE_IMPORT,
            upload=form.cleaned_data["file"],
            created_by=request.user,
            price_list=price_list,
            dry_run=form.cleaned_data["dry_run"],
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return None


# -- companies ----------------------------------------------------------------------


@staff
def company_list(request):
    query = request.GET.get("q", "").strip()
    companies = selectors.companies_with_terms(query=query)
    return render(
        request,
        "pricing/dashboard/companies.html",
        {"page": _page(request, companies), "q": query},
    )


def _company_actions(company, forms):
    return {
        "terms": (
            forms["terms_form"],
            lambda d: services.company_terms_assign(company=company, **d),
        ),
        "contract": (
            forms["contract_form"],
            lambda d: services.contract_create(company=company, **d),
        ),
        "rule": (
            forms["rule_form"],
            lambda d: services.discount_rule_create(company=company, **d),
        ),
    }


@staff
@require_http_methods(["GET", "POST"])
def company_detail(request, pk):
    company = get_object_or_404(Company, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    data = {name: request.POST if action == name else None for name in _FORMS}
    forms = {f"{name}_form": cls(data[name]) for name, cls in _FORMS.items()}
    target = _posted_id(request)
    if action == "delete_terms":
        services.company_terms_delete(company=company, terms_id=target)
        return redirect("dashboard-pricing:company", pk=pk)
    if action == "delete_rule":
        services.discount_rule_delete(company=company, rule_id=target)
        return redirect("dashboard-pricing:company", pk=pk)
    handler = _company_actions(company, forms).get(action)
    if handler and _apply(request, *handler):
        return redirect("dashboard-pricing:company", pk=pk)
    return render(
        request,
        "pricing/dashboard/company.html",
        {
            **forms,
            "company": company,
            "setup": selectors.company_price_setup(company=company),
        },
    )


_FORMS = {"terms": TermsForm, "contract": ContractForm, "rule": DiscountRuleForm}


@staff
@require_http_methods(["GET", "POST"])
def contract_detail(request, pk):
    contract = get_object_or_404(Contract.objects.select_related("company"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {
        name: getattr(contract, name) for name in services.CONTRACT_FIELDS
    }  # the form edits values, the service checks them against the stored contract
    form = ContractForm(request.POST if action == "header" else None, initial=initial)
    break_form = BreakForm(request.POST if action == "break" else None)
    done = False
    if action == "header":
        done = _apply(
            request, form, lambda d: services.contract_update(contract=contract, **d)
        )
    elif action == "break":
        done = _apply(
            request,
            break_form,
            lambda d: services.contract_item_set(
                contract=contract,
                product=break_form.product,
                min_quantity=d["min_quantity"],
                price=d["price"],
            ),
        )
    elif action == "delete_break":
        services.contract_item_delete(contract=contract, item_id=_posted_id(request))
        done = True
    if done:
        return redirect("dashboard-pricing:contract", pk=pk)
    items = selectors.contract_items(contract=contract)
    return render(
        request,
        "pricing/dashboard/contract.html",
        {
            "contract": contract,
            "form": form,
            "break_form": break_form,
            "page": _page(request, items),
        },
    )


# -- why this price -------------------------------------------------------------------


@staff
def price_explain(request):
    form = ExplainForm(request.GET or None)
    explanation = None
    if request.GET and form.is_valid():
        explanation = selectors.price_explain(
            company=form.cleaned_data["company"],
            product=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
        )
    return render(
        request,
        "pricing/dashboard/explain.html",
        {"form": form, "explanation": explanation},
    )
