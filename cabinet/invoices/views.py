"""Cabinet invoices: list, PDFs (invoices, delivery notes, УПД, the basket's quote),
e-invoices (Factur-X PDF/A-3, UBL XML), issue from the basket or an order, pay by
card, statement of account. Everything is fetched scoped by the active company; who
may do what is asked of `membership_require`, and a refusal is a 403 page that says
why."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import membership_require
from cabinet.invoices.forms import StatementForm, StatusFilterForm
from cabinet.refusals import refusal_shown
from content.models import Event
from content.tracking import event_record_quietly
from core.files import private_file_response
from invoicing import selectors
from invoicing.einvoice.facturx import facturx_pdf_bytes
from invoicing.einvoice.ubl import ubl_xml
from invoicing.exceptions import InvoicingError
from invoicing.models import PaymentStatus
from invoicing.services.documents import (
    basket_quote_pdf_bytes,
    delivery_note_pdf_render,
    invoice_pdf_render,
    statement_pdf_bytes,
    upd_pdf_bytes,
)
from invoicing.services.invoices import (
    invoice_issue,
    invoice_issue_from_basket,
    seller_default,
)
from invoicing.services.payments import (
    card_payment_attempt,
    card_payment_check,
    card_payment_complete,
)
from invoicing.tasks import delivery_note_pdf_task, invoice_pdf_task
from sales.order.models import Order

PAGE_SIZE = 25
PREPARING_RETRY_AFTER = 60  # seconds: the background task retries the rendering
logger = logging.getLogger(__name__)


@refusal_shown
def invoice_list(request):
    membership = membership_require(request.membership, "view_orders")
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    invoices = selectors.invoices_for_company(company=membership.company, status=status)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cabinet/invoices/list.html",
        {
            "page_obj": page,
            "form": form,
            "credit": selectors.credit_status(company=membership.company),
            "can_finance": membership.can("view_finance"),
            "can_pay": bool(settings.STRIPE_SECRET_KEY),
            "statement_form": StatementForm(),
        },
    )


def _pdf_response(file_field, filename: str):
    return private_file_response(
        file=file_field, filename=filename, content_type="application/pdf"
    )


def _preparing(request, *, task, **task_kwargs):
    """The PDF could not be rendered now: the background task retries it, and the
    buyer is asked to come back (503 with Retry-After), never an error page."""
    logger.exception("On-demand PDF rendering failed; queued %s", task.name)
    task.enqueue(**task_kwargs)
    response = render(
        request,
        "cabinet/invoices/preparing.html",
        {"retry_after": PREPARING_RETRY_AFTER},
        status=503,
    )
    response["Retry-After"] = str(PREPARING_RETRY_AFTER)
    return response


@refusal_shown
def invoice_pdf(request, pk: int):
    """The stored PDF; when the background task has not rendered it yet, it is
    rendered now (the same idempotent service the task calls)."""
    membership = membership_require(request.membership, "view_orders")
    invoice = selectors.invoice_for_company(company=membership.company, pk=pk)
    try:
        invoice = invoice_pdf_render(invoice=invoice)
    except Exception:
        return _preparing(request, task=invoice_pdf_task, invoice_id=invoice.pk)
    return _pdf_response(invoice.pdf, f"invoice-{invoice.display_number}.pdf")


def _einvoice_download(request, *, pk: int, build, filename: str, content_type: str):
    """An e-invoice of the company's own invoice, generated on request; when it
    cannot be generated the list says so (logged), never an error page."""
    membership = membership_require(request.membership, "view_orders")
    invoice = selectors.invoice_for_company(company=membership.company, pk=pk)
    try:
        data = build(invoice)
    except Exception:
        logger.exception("E-invoice generation failed for invoice %s", invoice.pk)
        messages.error(
            request, _("The e-invoice could not be generated; try again later.")
        )
        return redirect("cabinet:invoice-list")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, filename.format(number=invoice.display_number)
    )
    return response


@refusal_shown
def invoice_facturx(request, pk: int):
    """The invoice as Factur-X: the PDF/A-3 with its EN 16931 XML attached."""
    return _einvoice_download(
        request,
        pk=pk,
        build=lambda invoice: facturx_pdf_bytes(invoice=invoice),
        filename="invoice-{number}-facturx.pdf",
        content_type="application/pdf",
    )


@refusal_shown
def invoice_ubl(request, pk: int):
    """The invoice (or credit note) as UBL 2.1 XML, PEPPOL BIS Billing 3.0."""
    return _einvoice_download(
        request,
        pk=pk,
        build=ubl_xml,
        filename="invoice-{number}-ubl.xml",
        content_type="application/xml",
    )


@refusal_shown
def delivery_note_pdf(request, pk: int):
    membership = membership_require(request.membership, "view_orders")
    note = selectors.delivery_note_for_company(company=membership.company, pk=pk)
    try:
        note = delivery_note_pdf_render(note=note)
    except Exception:
        return _preparing(request, task=delivery_note_pdf_task, note_id=note.pk)
    return _pdf_response(note.pdf, f"delivery-note-{note}.pdf")


@refusal_shown
@require_POST
def invoice_from_basket(request):
    try:
        invoice = invoice_issue_from_basket(
            basket=request.basket, membership=request.membership
        )
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("basket:summary")
    event_record_quietly(kind=Event.Kind.INVOICE_REQUEST, request=request)
    messages.success(
        request, _("Invoice %(number)s is issued.") % {"number": invoice.display_number}
    )
    return redirect("cabinet:invoice-list")


@refusal_shown
@require_POST
def invoice_for_order(request, order_pk: int):
    membership = membership_require(request.membership, "order")
    order = get_object_or_404(Order, pk=order_pk, company=membership.company)
    try:
        invoice = invoice_issue(order=order, membership=membership)
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Invoice %(number)s is issued.") % {"number": invoice.display_number},
        )
    return redirect("cabinet:invoice-list")


@refusal_shown
def invoice_pay(request, pk: int):
    """The card form (GET writes nothing). Its POST starts the payment — or takes up
    the pending one — and confirms it with the card on the server; when the bank
    asks for 3-D Secure, the page runs Stripe.js's `handleNextAction` and posts
    `complete`, and the outcome is read from Stripe."""
    membership = membership_require(request.membership, "pay")
    invoice = selectors.invoice_for_company(company=membership.company, pk=pk)
    try:
        if request.method == "POST" and "complete" in request.POST:
            attempt = card_payment_complete(invoice=invoice, membership=membership)
            return _pay_outcome(request, invoice, attempt, completed=True)
        card_payment_check(invoice=invoice, membership=membership)
        if request.method == "POST":
            attempt = card_payment_attempt(
                invoice=invoice,
                membership=membership,
                payment_method_id=request.POST.get("payment_method", "")[:64],
            )
            return _pay_outcome(request, invoice, attempt, completed=False)
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cabinet:invoice-list")
    return _pay_page(request, invoice)


def _pay_outcome(request, invoice, attempt, *, completed: bool):
    payment = attempt.payment
    if payment.status == PaymentStatus.SUCCEEDED:
        messages.success(request, _("Thank you, the payment is received."))
        return redirect("cabinet:invoice-list")
    if attempt.needs_action:
        messages.info(
            request,
            _(
                "Your bank asks you to confirm this payment (3-D Secure). Follow "
                "the instructions in the window that opens; the invoice is not "
                "paid until the bank confirms."
            ),
        )
    elif payment.status == PaymentStatus.PENDING:
        messages.info(
            request,
            _(
                "The payment is being processed. The invoice will show as paid as "
                "soon as the payment is received."
            ),
        )
        return redirect("cabinet:invoice-list")
    elif completed:
        messages.error(
            request,
            _(
                "Your bank did not confirm the payment, so the invoice is not paid. "
                "Try again or use another card."
            ),
        )
    else:
        messages.error(
            request,
            payment.failure_message or _("The card payment did not go through."),
        )
    return _pay_page(request, invoice, action_secret=attempt.action_secret)


def _pay_page(request, invoice, *, action_secret: str = ""):
    return render(
        request,
        "cabinet/invoices/pay.html",
        {
            "invoice": invoice,
            "amount": invoice.amount_due,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "action_secret": action_secret,
        },
    )


@refusal_shown
def statement(request):
    membership = membership_require(request.membership, "view_finance")
    form = StatementForm(request.GET or None)
    if not form.is_valid():
        return render(request, "cabinet/invoices/statement.html", {"form": form})
    try:
        seller = seller_default()
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cabinet:invoice-list")
    data = statement_pdf_bytes(
        statement=selectors.statement_for_company(
            company=membership.company,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            seller=seller,
        ),
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{form.cleaned_data["start"]}'
        f'-{form.cleaned_data["end"]}.pdf"'
    )
    return response


@refusal_shown
def basket_quote(request):
    """A commercial proposal (PDF) of the current basket at the buyer's own prices;
    an empty basket or a line without a price goes back to the basket, saying so."""
    try:
        data = basket_quote_pdf_bytes(
            basket=request.basket,
            membership=request.membership,
            language=request.LANGUAGE_CODE,
        )
    except InvoicingError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("basket:summary")
    event_record_quietly(kind=Event.Kind.QUOTE_REQUEST, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="quote-{request.basket.pk}.pdf"'
    )
    return response


@refusal_shown
def upd_pdf(request, pk: int):
    """The УПД of a delivery note, rendered on request from the shipped order."""
    membership = membership_require(request.membership, "view_orders")
    note = selectors.delivery_note_for_company(company=membership.company, pk=pk)
    response = HttpResponse(upd_pdf_bytes(note=note), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="upd-{note}.pdf"'
    return response
