"""Requisitions ("заявки на согласование"): checkout freezes the basket as one when
the company's rules say the order needs approval (`requisition_create`); who sees which
(`requisitions_visible`, the one scoped query), the approval queue, and telling people.
A requisition allocates no stock and uses no credit; `sales.checkout.approvals` acts on
it and places the order on approval."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.models import Membership
from accounts.notifications import notify
from sales.basket.models import Basket
from sales.checkout.models import (
    Requisition,
    RequisitionEvent,
    RequisitionLine,
    RequisitionStatus,
)
from sales.checkout.rules import Verdict, approvable_check, approvers_of


def snapshot_lines(requisition: Requisition, basket: Basket) -> None:
    requisition.lines.all().delete()
    RequisitionLine.objects.bulk_create(
        [
            RequisitionLine(
                requisition=requisition,
                product=line.product,
                article=line.product.article or "",
                title=line.product.get_title()[:255],
                quantity=line.quantity,
                unit_price_excl_tax=line.unit_price_excl_tax,
                unit_price_incl_tax=line.unit_price_incl_tax,
                line_price_excl_tax=line.line_price_excl_tax_incl_discounts,
                line_price_incl_tax=line.line_price_incl_tax_incl_discounts,
            )
            for line in basket.all_lines()
        ]
    )


def requisition_create(
    *, basket: Basket, membership: Membership, details, verdict: Verdict, total
) -> Requisition:
    """Freeze the (locked, open) basket as a requisition; called by checkout inside
    its transaction when `approval_verdict` says the order needs approval."""
    approvable_check(
        membership.company, creator_id=membership.user_id, levels=verdict.levels
    )
    basket.freeze()
    requisition = Requisition.objects.create(
        company=membership.company,
        number=f"tmp-{basket.pk}",
        created_by=membership.user,
        basket=basket,
        reasons=[r.stored() for r in verdict.reasons],
        levels_required=verdict.levels,
        currency=basket.currency,
        total_excl_tax=total.excl_tax,
        total_incl_tax=total.incl_tax,
        address=details.address,
        legal_entity=details.legal_entity,
        payment_method=details.payment_method,
        po_number=details.po_number,
        desired_delivery_date=details.desired_delivery_date,
        comment=details.comment,
    )
    requisition.number = f"R-{requisition.pk:06d}"
    requisition.save(update_fields=["number"])
    snapshot_lines(requisition, basket)
    event_add(requisition, membership.user, RequisitionEvent.Kind.SUBMITTED)
    tell_approvers(requisition, actor=membership.user)
    return requisition


def requisitions_visible(membership: Membership | None):
    """The requisitions a member sees: all of the company's for those who approve,
    their own for everyone else."""
    if membership is None or not membership.is_active:
        return Requisition.objects.none()
    found = Requisition.objects.of_company(membership.company)
    if not membership.can("approve"):
        found = found.filter(created_by=membership.user)
    return found.select_related("created_by")


def approval_queue(membership: Membership | None):
    """Requisitions waiting for this member's approval: pending, someone else's, not
    approved by them in this round."""
    if membership is None or not membership.allows("approve"):
        return Requisition.objects.none()
    approved_by_me = RequisitionEvent.objects.filter(
        requisition=OuterRef("pk"),
        round=OuterRef("round"),
        actor=membership.user,
        kind=RequisitionEvent.Kind.APPROVED,
    )
    return (
        requisitions_visible(membership)
        .filter(status=RequisitionStatus.PENDING)
        .exclude(created_by=membership.user)
        .exclude(Exists(approved_by_me))
        .order_by("submitted_at", "pk")
    )


def requisition_get(membership: Membership | None, number: str) -> Requisition:
    """One requisition the member may see; `Requisition.DoesNotExist` otherwise
    (another company's, or someone else's for a member who does not approve)."""
    return requisitions_visible(membership).get(number=number)


def approvals_in_round(requisition: Requisition) -> list[RequisitionEvent]:
    return list(
        requisition.events.filter(
            kind=RequisitionEvent.Kind.APPROVED, round=requisition.round
        ).select_related("actor")
    )


def may_approve(membership: Membership | None, requisition: Requisition) -> bool:
    return (
        membership is not None
        and membership.allows("approve")
        and requisition.status == RequisitionStatus.PENDING
        and requisition.created_by_id != membership.user_id
        and all(
            e.actor_id != membership.user_id for e in approvals_in_round(requisition)
        )
    )


def event_add(requisition, actor, kind, text: str = "") -> RequisitionEvent:
    return RequisitionEvent.objects.create(
        requisition=requisition,
        actor=actor,
        kind=kind,
        text=text,
        round=requisition.round,
    )


def person_name(user) -> str:
    return user.get_full_name() or user.email


def _path(requisition) -> str:
    return reverse("cabinet:requisition-detail", args=[requisition.number])


def _tell(kind: str, users, requisition, *, actor, text: str = "") -> None:
    notify(
        kind=kind,
        users=[u for u in users if u.pk != actor.pk],
        context={
            "requisition": requisition,
            "actor": person_name(actor),
            "reason": text,
        },
        path=_path(requisition),
        key=f"requisition:{requisition.pk}:{requisition.round}:{kind}:"
        f"{requisition.events.count()}",
    )


def tell_approvers(requisition, *, actor) -> None:
    given = {e.actor_id for e in approvals_in_round(requisition)}
    users = [
        m.user
        for m in approvers_of(
            requisition.company, excluding_user_id=requisition.created_by_id
        )
        if m.user_id not in given
    ]
    _tell("approval_needed", users, requisition, actor=actor)


def tell_buyer(requisition, *, kind, actor, text) -> None:
    _tell(kind, [requisition.created_by], requisition, actor=actor, text=text)


def tell_comment(requisition, *, actor) -> None:
    """The buyer's comment reminds the approvers; an approver's comment is read in
    the thread (the buyer is mailed when a decision is taken, not for each remark)."""
    if actor.pk == requisition.created_by_id:
        tell_approvers(requisition, actor=actor)
