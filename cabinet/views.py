"""The cabinet home: the active company, the account manager, recent orders, credit,
quick order and shortcuts. The cabinet's modules are views over the apps below them;
nothing imports this package."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabinet.forms import ManagerMessageForm
from cabinet.orders.selectors import OrderFilters, order_history, status_label
from core.mail import mail_enqueue
from invoicing import selectors as invoicing_selectors
from sales.checkout.models import OPEN_STATUSES
from sales.checkout.requisitions import approval_queue, requisitions_visible
from sales.reservations.services import reservations_visible

RECENT_ORDERS = 5


@login_required
def home(request):
    membership = request.membership
    context = {
        "membership": membership,
        "memberships": list(
            request.user.memberships.active().select_related("company")
        ),
    }
    if membership is not None:
        company = membership.company
        context.update(
            manager=company.account_manager,
            message_form=ManagerMessageForm(),
            can_finance=membership.can("view_finance"),
        )
        if membership.can("view_orders"):
            recent = list(
                order_history(company=company, filters=OrderFilters())[:RECENT_ORDERS]
            )
            for order in recent:
                order.status_label = status_label(order.status)
            context["recent_orders"] = recent
        context["approvals_waiting"] = approval_queue(membership).count()
        context["reservations"] = (
            reservations_visible(membership)
            .active()
            .aggregate(active=Count("pk"), first_end=Min("expires_at"))
        )
        context["requisitions_open"] = (
            requisitions_visible(membership)
            .filter(created_by=request.user, status__in=OPEN_STATUSES)
            .count()
        )
        if membership.can("view_finance") or membership.can("order"):
            context["credit"] = invoicing_selectors.credit_status(company=company)
    return render(request, "cabinet/home.html", context)


@login_required
@require_POST
def manager_message(request):
    """A message from the buyer to the company's account manager (by e-mail, a
    background task, with the buyer as the reply-to address)."""
    membership = request.membership
    if membership is None:
        raise PermissionDenied
    company = membership.company
    manager = company.account_manager
    form = ManagerMessageForm(request.POST)
    if manager is None or not manager.email:
        messages.error(request, _("Your company has no account manager yet."))
        return redirect("cabinet:home")
    if not form.is_valid():
        messages.error(request, _("Write a subject and a message."))
        return redirect("cabinet:home")
    sender = request.user
    body = _("%(name)s (%(email)s, %(company)s) writes:\n\n%(message)s") % {
        "name": sender.get_full_name() or sender.email,
        "email": sender.email,
        "company": company.name,
        "message": form.cleaned_data["message"],
    }
    mail_enqueue(
        key=None,  # every message is a new one
        subject=f"[{company.name}] {form.cleaned_data['subject']}",
        body=body,
        to=[manager.email],
        reply_to=[sender.email],
    )
    messages.success(
        request,
        _("Your message has been sent to %(name)s.")
        % {"name": manager.get_full_name() or manager.email},
    )
    return redirect("cabinet:home")
