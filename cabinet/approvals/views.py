"""Requisitions and approvals (/cabinet/approvals/): the queue of those waiting for
the member's approval, their own requisitions, one requisition with its thread and
the actions the member may take, and the company's rules for its administrators.
Everything goes through `sales.checkout.approvals` and `requisitions`, which check
the permission and scope by company; a requisition the member may not see is a 404."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import ActionRefused
from cabinet.approvals.forms import ResubmitForm, RulesForm
from sales.checkout import approvals
from sales.checkout.models import Requisition, RequisitionStatus
from sales.checkout.requisitions import (
    approval_queue,
    approvals_in_round,
    may_approve,
    requisition_get,
    requisitions_visible,
)
from sales.checkout.rules import RequisitionError, policy_of, policy_update
from sales.order.models import PaymentMethod

SHOWN = 50


def _membership(request):
    membership = request.membership
    if membership is None:
        raise PermissionDenied(_("You are not acting for a company."))
    return membership


@login_required
@require_GET
def approval_index(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = request.membership
    visible = requisitions_visible(membership)
    queue = list(approval_queue(membership).select_related("created_by")[:SHOWN])
    mine = list(visible.filter(created_by=membership.user)[:SHOWN])
    others = []
    if membership.can("approve"):
        others = list(
            visible.exclude(created_by=membership.user).exclude(
                pk__in=[r.pk for r in queue]
            )[:SHOWN]
        )
    return render(
        request,
        "cabinet/approvals/index.html",
        {
            "queue": queue,
            "mine": mine,
            "others": others,
            "me": membership,
            "policy": policy_of(membership.company),
        },
    )


def _detail_context(request, requisition: Requisition, **extra):
    membership = request.membership
    basket_lines = {line.product_id: line for line in requisition.basket.lines.all()}
    lines = [
        (line, basket_lines.get(line.product_id))
        for line in requisition.lines.select_related("product")
    ]
    is_mine = requisition.created_by_id == membership.user_id
    context = {
        "requisition": requisition,
        "lines": lines,
        "events": requisition.events.select_related("actor"),
        "approvals": approvals_in_round(requisition),
        "may_approve": may_approve(membership, requisition),
        "is_mine": is_mine,
        "may_edit": is_mine
        and requisition.status == RequisitionStatus.CHANGES_REQUESTED
        and membership.allows("order"),
        "resubmit_form": ResubmitForm(
            initial={
                "po_number": requisition.po_number,
                "desired_delivery_date": requisition.desired_delivery_date,
                "comment": requisition.comment,
            }
        ),
        "payment_label": dict(PaymentMethod.choices).get(requisition.payment_method),
        "me": membership,
    }
    context.update(extra)
    return context


def _requisition(request, number: str) -> Requisition:
    try:
        return requisition_get(request.membership, number)
    except Requisition.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def requisition_detail(request, number: str):
    if request.membership is None:
        raise Http404
    requisition = _requisition(request, number)
    return render(
        request,
        "cabinet/approvals/detail.html",
        _detail_context(request, requisition),
    )


def _act(request, number: str, action, success: str):
    """Run one action on a requisition the member sees; a refusal is told on the
    requisition's page and changes nothing."""
    membership = _membership(request)
    _requisition(request, number)  # 404 before anything else
    try:
        action(membership)
    except ActionRefused:
        raise
    except Requisition.DoesNotExist:
        raise Http404 from None
    except RequisitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("cabinet:requisition-detail", number=number)


def _text_action(service, field: str, success: str):
    """A POST view that passes one text field of the form to a requisition action
    (`service(membership=, number=, <field>=)`)."""

    @login_required
    @require_POST
    def view(request, number: str):
        return _act(
            request,
            number,
            lambda m: service(
                membership=m, number=number, **{field: request.POST.get(field, "")}
            ),
            success,
        )

    return view


requisition_comment_view = _text_action(
    approvals.requisition_comment, "text", gettext_lazy("Your comment is added.")
)
requisition_changes_view = _text_action(
    approvals.requisition_request_changes,
    "text",
    gettext_lazy("The buyer is asked for changes."),
)
requisition_reject_view = _text_action(
    approvals.requisition_reject,
    "reason",
    gettext_lazy("The requisition is rejected; the buyer is told why."),
)


@login_required
@require_POST
def requisition_withdraw_view(request, number: str):
    return _act(
        request,
        number,
        lambda m: approvals.requisition_withdraw(membership=m, number=number),
        _("The requisition is withdrawn."),
    )


def _confirm_total(raw: str) -> Decimal | None:
    """The total the approver confirms (a hidden field); anything else is no
    confirmation, so the new total is shown again."""
    try:
        return approvals.confirm_total_parse(raw) if raw else None
    except RequisitionError:
        return None


@login_required
@require_POST
def requisition_approve_view(request, number: str):
    membership = _membership(request)
    requisition = _requisition(request, number)
    try:
        decision = approvals.requisition_approve(
            membership=membership,
            number=number,
            strategy=request.strategy,
            comment=request.POST.get("comment", ""),
            confirm_total=_confirm_total(request.POST.get("confirm_total", "")),
        )
    except approvals.PricesChanged as exc:
        messages.warning(request, str(exc))
        return render(
            request,
            "cabinet/approvals/detail.html",
            _detail_context(request, requisition, prices_changed=exc),
            status=409,
        )
    except RequisitionError as exc:
        messages.error(request, str(exc))
        return redirect("cabinet:requisition-detail", number=number)
    if decision.waiting:
        messages.success(
            request, _("Your approval is recorded; a second approver is asked.")
        )
    else:
        messages.success(
            request,
            _("Approved: order %(order)s is placed.")
            % {"order": decision.order.number},
        )
    return redirect("cabinet:requisition-detail", number=number)


def _quantities(post) -> dict[int, str]:
    found = {}
    for key, value in post.items():
        if key.startswith("qty-"):
            try:
                pk = int(key[4:])
            except ValueError:
                continue
            if 0 < pk < 2**62:
                found[pk] = value
    return found


@login_required
@require_POST
def requisition_resubmit_view(request, number: str):
    _membership(request)
    requisition = _requisition(request, number)
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields of the form."))
        return render(
            request,
            "cabinet/approvals/detail.html",
            _detail_context(request, requisition, resubmit_form=form),
            status=400,
        )
    data = form.cleaned_data
    return _act(
        request,
        number,
        lambda m: approvals.requisition_resubmit(
            membership=m,
            number=number,
            strategy=request.strategy,
            changes=approvals.Changes(
                quantities=_quantities(request.POST),
                po_number=data["po_number"],
                comment=data["comment"],
                desired_delivery_date=data["desired_delivery_date"],
                note=data["note"],
            ),
        ),
        _("Changed and sent for approval again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def approval_rules(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = request.membership
    if not membership.can("manage_team"):
        raise PermissionDenied(
            _("Only an administrator of the company sets its approval rules.")
        )
    policy = policy_of(membership.company)
    form = RulesForm(
        request.POST or None,
        initial={
            "over_limits": policy.over_limits,
            "roles": policy.roles,
            "amount_above": policy.amount_above,
            "second_level_above": policy.second_level_above,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy_update(
                membership=membership,
                over_limits=data["over_limits"],
                roles=data["roles"],
                amount_above=data["amount_above"],
                second_level_above=data["second_level_above"],
            )
        except RequisitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The approval rules are saved."))
            return redirect("cabinet:approval-rules")
    return render(
        request,
        "cabinet/approvals/rules.html",
        {"form": form, "policy": policy, "me": membership},
        status=400 if form.errors else 200,
    )
