"""Staff's "Invoicing" section of Oscar's dashboard: invoices, bank payments and
their allocation, refunds, credit notes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.dashboard_views import staff_permission_required, staff_required
from accounts.staff import staff_scope
from invoicing.exceptions import InvoicingError
from invoicing.forms import BankPaymentForm, InvoiceFilterForm, RefundForm
from invoicing.groups import ISSUE_CREDIT_NOTE, RECORD_PAYMENT, REFUND_PAYMENT
from invoicing.models import Invoice, Payment
from invoicing.services.invoices import credit_note_issue
from invoicing.services.payments import bank_payment_record, payment_refund

PAGE_SIZE = 25


@staff_required
def invoice_list(request):
    form = InvoiceFilterForm(request.GET or None)
    invoices = staff_scope(
        Invoice.objects.select_related("company", "order"), user=request.user
    )
    if form.is_valid():
        if query := form.cleaned_data["q"]:
            invoices = invoices.filter(
                Q(company__name__icontains=query) | Q(payer_tax_id=query)
            )
        if status := form.cleaned_data["status"]:
            invoices = invoices.filter(status=status)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "invoicing/dashboard/invoice_list.html",
        {"form": form, "page_obj": page},
    )


@staff_required
def invoice_detail(request, pk: int):
    invoice = get_object_or_404(
        staff_scope(
            Invoice.objects.select_related("company", "order", "corrects"),
            user=request.user,
        ),
        pk=pk,
    )
    form = BankPaymentForm(initial={"company": invoice.company_id})
    form.fields["company"].queryset = form.fields["company"].queryset.filter(
        pk=invoice.company_id
    )
    return render(
        request,
        "invoicing/dashboard/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "allocations": invoice.allocations.select_related("payment"),
            "payment_form": form,
            "refund_form": RefundForm(),
        },
    )


@staff_permission_required(RECORD_PAYMENT)
def payment_create(request):
    """Record a bank transfer; with `invoice` in the query it settles that invoice,
    otherwise the company's open invoices oldest due first."""
    invoice = None
    if invoice_pk := request.GET.get("invoice"):
        if not invoice_pk.isdigit():
            raise Http404("No such invoice.")
        invoice = get_object_or_404(
            staff_scope(Invoice.objects.all(), user=request.user), pk=invoice_pk
        )
    form = BankPaymentForm(request.POST or None)
    form.fields["company"].queryset = staff_scope(
        form.fields["company"].queryset, user=request.user, company_path=""
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = bank_payment_record(
                company=form.cleaned_data["company"],
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                reference=form.cleaned_data["reference"],
                recorded_by=request.user,
                invoice=invoice,
            )
        except InvoicingError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Payment of %(amount)s recorded.") % {"amount": payment.amount},
            )
            if invoice is not None:
                return redirect("dashboard-invoicing:invoice-detail", pk=invoice.pk)
            return redirect("dashboard-invoicing:invoice-list")
    return render(
        request,
        "invoicing/dashboard/payment_form.html",
        {"form": form, "invoice": invoice},
    )


@staff_permission_required(REFUND_PAYMENT)
@require_POST
def payment_refund_view(request, pk: int):
    payment = get_object_or_404(
        staff_scope(Payment.objects.all(), user=request.user), pk=pk
    )
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            payment_refund(
                payment=payment,
                amount=form.cleaned_data["amount"],
                refunded_by=request.user,
            )
        except InvoicingError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The refund is recorded."))
    else:
        messages.error(request, _("Enter a positive amount."))
    back = request.POST.get("invoice", "")
    if back.isdigit():
        return redirect("dashboard-invoicing:invoice-detail", pk=int(back))
    return redirect("dashboard-invoicing:invoice-list")


@staff_permission_required(ISSUE_CREDIT_NOTE)
@require_POST
def invoice_credit_note(request, pk: int):
    invoice = get_object_or_404(
        staff_scope(Invoice.objects.all(), user=request.user), pk=pk
    )
    try:
        note = credit_note_issue(invoice=invoice, issued_by=request.user)
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Credit note %(number)s is issued.") % {"number": note.display_number},
        )
    return redirect("dashboard-invoicing:invoice-detail", pk=pk)
