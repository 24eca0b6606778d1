"""What approvers and the buyer do with a requisition: comment, ask for changes,
change and send again, withdraw, reject, approve. Approving places the order through
the same `order_place` (credit, stock, invoice) at today's prices: when those differ
from the frozen ones, the approver is told the new total and confirms it. Every action
takes the acting membership, checks its permission first and fetches the requisition
through the company's scope with its row locked, so two approvers at once place one
order."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, membership_require
from sales.basket.models import Basket
from sales.basket.services import basket_lines_update
from sales.checkout.models import (
    OPEN_STATUSES,
    Requisition,
    RequisitionEvent,
    RequisitionStatus,
    money_text,
)
from sales.checkout.requisitions import (
    approvals_in_round,
    event_add,
    person_name,
    requisitions_visible,
    snapshot_lines,
    tell_approvers,
    tell_buyer,
    tell_comment,
)
from sales.checkout.rules import (
    Reason,
    RequisitionError,
    Verdict,
    approvable_check,
    approval_verdict,
)
from sales.checkout.services import (
    CheckoutDetails,
    CheckoutError,
    basket_total,
    order_place,
)
from sales.order.models import Order

TEXT_MAX = 2000


class PricesChanged(RequisitionError):
    """Today's prices differ from those submitted: the approver confirms the new
    total (`confirm_total`) or asks for changes."""

    def __init__(self, message: str, *, submitted: Decimal, now: Decimal, lines):
        super().__init__(message)
        self.submitted, self.now, self.lines = submitted, now, lines


@dataclass(frozen=True)
class Decision:
    requisition: Requisition
    order: Order | None = None
    waiting: bool = False  # one approval recorded, another is needed


def _locked(membership: Membership, number: str) -> Requisition:
    return (
        requisitions_visible(membership)
        .select_for_update(of=("self",))
        .get(number=number)
    )


def _text(value: str, *, required: bool, what: str) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise RequisitionError(_("The text contains a character that is not allowed."))
    if len(text) > TEXT_MAX:
        raise RequisitionError(
            _("Keep it under %(count)s characters.") % {"count": TEXT_MAX}
        )
    if required and not text:
        raise RequisitionError(what)
    return text


def _require_open(requisition: Requisition, statuses=OPEN_STATUSES) -> None:
    if requisition.status not in statuses:
        raise RequisitionError(
            _("Requisition %(number)s is already %(status)s.")
            % {
                "number": requisition.number,
                "status": requisition.status_label.lower(),
            }
        )


def requisition_comment(*, membership, number: str, text: str) -> RequisitionEvent:
    """A comment in the thread, by the buyer or an approver, while it is open."""
    membership_require(membership, "view_orders")
    text = _text(text, required=True, what=_("Write a comment."))
    with transaction.atomic():
        requisition = _locked(membership, number)
        _require_open(requisition)
        event = event_add(
            requisition, membership.user, RequisitionEvent.Kind.COMMENT, text
        )
        tell_comment(requisition, actor=membership.user)
    return event


def _decide_check(membership, requisition) -> None:
    _require_open(requisition, (RequisitionStatus.PENDING,))
    if requisition.created_by_id == membership.user_id:
        raise RequisitionError(_("You cannot decide on your own requisition."))


def requisition_reject(*, membership, number: str, reason: str) -> Requisition:
    membership_require(membership, "approve")
    reason = _text(reason, required=True, what=_("Say why it is rejected."))
    with transaction.atomic():
        requisition = _locked(membership, number)
        _decide_check(membership, requisition)
        requisition.status = RequisitionStatus.REJECTED
        requisition.decided_at = timezone.now()
        requisition.save(update_fields=["status", "decided_at"])
        event_add(requisition, membership.user, RequisitionEvent.Kind.REJECTED, reason)
        tell_buyer(
            requisition, kind="requisition_rejected", actor=membership.user, text=reason
        )
    return requisition


def requisition_request_changes(*, membership, number: str, text: str) -> Requisition:
    membership_require(membership, "approve")
    text = _text(text, required=True, what=_("Say what should change."))
    with transaction.atomic():
        requisition = _locked(membership, number)
        _decide_check(membership, requisition)
        requisition.status = RequisitionStatus.CHANGES_REQUESTED
        requisition.save(update_fields=["status"])
        event_add(
            requisition,
            membership.user,
            RequisitionEvent.Kind.CHANGES_REQUESTED,
            text,
        )
        tell_buyer(
            requisition, kind="changes_requested", actor=membership.user, text=text
        )
    return requisition


def requisition_withdraw(*, membership, number: str) -> Requisition:
    """The buyer takes back their own open requisition."""
    membership_require(membership, "view_orders")
    with transaction.atomic():
        requisition = _locked(membership, number)
        if requisition.created_by_id != membership.user_id:
            raise RequisitionError(_("Only the person who sent it can withdraw it."))
        _require_open(requisition)
        requisition.status = RequisitionStatus.WITHDRAWN
        requisition.decided_at = timezone.now()
        requisition.save(update_fields=["status", "decided_at"])
        event_add(requisition, membership.user, RequisitionEvent.Kind.WITHDRAWN)
    return requisition


@dataclass(frozen=True)
class Changes:
    quantities: dict[int, object]  # basket line id -> quantity (0 removes)
    po_number: str
    comment: str
    desired_delivery_date: object = None
    note: str = ""  # for the thread


def requisition_resubmit(
    *, membership, number: str, strategy, changes: Changes
) -> Requisition:
    """The buyer changes quantities, PO, date or comment after changes were asked for
    and sends it again: re-priced at today's prices, rules applied again."""
    membership_require(membership, "order")
    note = _text(changes.note, required=False, what="")
    comment = _text(changes.comment, required=False, what="")
    if "\x00" in changes.po_number or len(changes.po_number) > 64:
        raise RequisitionError(_("Enter a PO number of up to 64 characters."))
    with transaction.atomic():
        requisition = _locked(membership, number)
        if requisition.created_by_id != membership.user_id:
            raise RequisitionError(_("Only the person who sent it can change it."))
        _require_open(requisition, (RequisitionStatus.CHANGES_REQUESTED,))
        basket = Basket.objects.select_for_update().get(pk=requisition.basket_id)
        basket.strategy = strategy
        ids = set(basket.lines.values_list("pk", flat=True))
        kept = {
            pk
            for pk in ids
            if str(changes.quantities.get(pk, "1")).strip() not in {"0", ""}
        }
        if not kept:
            raise RequisitionError(
                _("A requisition needs at least one line; withdraw it instead.")
            )
        report = basket_lines_update(
            basket=basket,
            membership=membership,
            quantities={pk: q for pk, q in changes.quantities.items() if pk in ids},
        )
        if report.refused:
            raise RequisitionError(
                " ".join(
                    f"{r.product.article or r.product.get_title()}: {r.reason}"
                    for r in report.refused
                )
            )
        basket = Basket.objects.get(pk=basket.pk)
        basket.strategy = strategy
        total = basket_total(basket)
        verdict = approval_verdict(
            membership=membership,
            amount=total.incl_tax,
            currency=basket.currency,
            user=membership.user,
        )
        if not verdict.needed:
            verdict = Verdict((Reason("changes", {}),), 1)
        approvable_check(
            requisition.company,
            creator_id=membership.user_id,
            levels=verdict.levels,
        )
        requisition.round += 1
        requisition.status = RequisitionStatus.PENDING
        requisition.submitted_at = timezone.now()
        requisition.total_excl_tax = total.excl_tax
        requisition.total_incl_tax = total.incl_tax
        requisition.reasons = [r.stored() for r in verdict.reasons]
        requisition.levels_required = verdict.levels
        requisition.po_number = changes.po_number.strip()
        requisition.comment = comment
        requisition.desired_delivery_date = changes.desired_delivery_date
        requisition.save()
        snapshot_lines(requisition, basket)
        event_add(requisition, membership.user, RequisitionEvent.Kind.RESUBMITTED, note)
        tell_approvers(requisition, actor=membership.user)
    return requisition


def _discontinued(requisition: Requisition) -> None:
    gone = [
        line
        for line in requisition.lines.select_related("product__successor")
        if line.product is None or line.product.is_discontinued
    ]
    if not gone:
        return
    parts = []
    for line in gone:
        name = line.article or line.title
        successor = line.product.successor if line.product else None
        if successor is not None:
            parts.append(
                _("%(name)s is discontinued; its successor is %(successor)s.")
                % {
                    "name": name,
                    "successor": f"{successor.article} {successor.get_title()}",
                }
            )
        else:
            parts.append(_("%(name)s is discontinued.") % {"name": name})
    raise RequisitionError(
        " ".join(parts) + " " + _("Ask the buyer to change the requisition.")
    )


def _prices_now(requisition: Requisition, basket: Basket):
    frozen = {line.product_id: line for line in requisition.lines.all()}
    changed = []
    for line in basket.all_lines():
        before = frozen.get(line.product_id)
        now = line.unit_price_incl_tax
        if before is None or now is None or now != before.unit_price_incl_tax:
            changed.append((line.product, before, now))
    return changed


def confirm_total_parse(raw) -> Decimal:
    """The total an approver confirms, as they typed or sent it."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise RequisitionError(_("Send the new total as a number.")) from None
    if not value.is_finite():
        raise RequisitionError(_("Send the new total as a number."))
    return value


def requisition_approve(
    *,
    membership,
    number: str,
    strategy,
    comment: str = "",
    confirm_total: Decimal | None = None,
) -> Decision:
    """Approve: a first approval of two is recorded; the last places the order
    through `order_place` for the buyer. Prices that changed since submission are
    refused with `PricesChanged` unless `confirm_total` is today's total."""
    membership_require(membership, "approve")
    comment = _text(comment, required=False, what="")
    try:
        with transaction.atomic():
            requisition = _locked(membership, number)
            _decide_check(membership, requisition)
            given = approvals_in_round(requisition)
            if any(e.actor_id == membership.user_id for e in given):
                raise RequisitionError(
                    _("You have approved it already; it needs another approver.")
                )
            _discontinued(requisition)
            final = len(given) + 1 >= requisition.levels_required
            if final and requisition.levels_required > 1:
                roles = set(
                    Membership.objects.filter(
                        company=requisition.company,
                        user_id__in=[e.actor_id for e in given],
                    ).values_list("role", flat=True)
                ) | {membership.role}
                if Role.ADMIN not in roles:
                    raise RequisitionError(
                        _("One of the two approvals must come from an administrator.")
                    )
            if not final:
                event_add(
                    requisition,
                    membership.user,
                    RequisitionEvent.Kind.APPROVED,
                    comment,
                )
                tell_approvers(requisition, actor=membership.user)
                return Decision(requisition, waiting=True)
            buyer = Membership.objects.filter(
                company=requisition.company, user_id=requisition.created_by_id
            ).first()
            if buyer is None or not buyer.allows("order"):
                raise RequisitionError(
                    _(
                        "%(name)s can no longer order for the company, so this "
                        "requisition cannot become an order. Reject it."
                    )
                    % {"name": person_name(requisition.created_by)}
                )
            basket = Basket.objects.get(pk=requisition.basket_id)
            basket.strategy = strategy
            changed = _prices_now(requisition, basket)
            if changed:
                now = basket_total(basket).incl_tax
                if confirm_total is None or confirm_total != now:
                    raise PricesChanged(
                        _(
                            "Prices changed since it was sent: the total is now "
                            "%(now)s instead of %(before)s. Confirm the new total "
                            "or ask for changes."
                        )
                        % {
                            "now": money_text(now, requisition.currency),
                            "before": money_text(
                                requisition.total_incl_tax, requisition.currency
                            ),
                        },
                        submitted=requisition.total_incl_tax,
                        now=now,
                        lines=changed,
                    )
            event_add(
                requisition, membership.user, RequisitionEvent.Kind.APPROVED, comment
            )
            placed = order_place(
                basket_id=basket.pk,
                strategy=strategy,
                user=requisition.created_by,
                membership=buyer,
                details=CheckoutDetails(
                    address=requisition.address,
                    payment_method=requisition.payment_method,
                    legal_entity=requisition.legal_entity,
                    po_number=requisition.po_number,
                    desired_delivery_date=requisition.desired_delivery_date,
                    comment=requisition.comment,
                ),
                requisition=requisition,
            )
            requisition.status = RequisitionStatus.APPROVED
            requisition.order = placed.order
            requisition.decided_at = timezone.now()
            requisition.save(update_fields=["status", "order", "decided_at"])
            event_add(
                requisition,
                membership.user,
                RequisitionEvent.Kind.ORDERED,
                placed.order.number,
            )
            tell_buyer(
                requisition,
                kind="requisition_approved",
                actor=membership.user,
                text=comment,
            )
            return Decision(requisition, order=placed.order)
    except CheckoutError as exc:
        raise RequisitionError(str(exc)) from exc
