"""A company's approval rules (`ApprovalPolicy`, one per company, set by its
administrators): an order needs approval when it is above the buyer's limit per order
or per month, when the buyer's role always needs it, or when it is above a
company-wide amount; above a second, higher amount it needs two approvals by two
different people, one of them an administrator. Without a policy row the company has
the default: above a member's own limits, approval."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ROLE_PERMISSIONS, Membership, Role, membership_require
from core.money import money_quantize
from sales.checkout.models import ApprovalPolicy, reason_text
from sales.order.models import Order
from sales.order.statuses import CANCELLED_STATUSES

APPROVER_ROLES = tuple(r for r, perms in ROLE_PERMISSIONS.items() if "approve" in perms)


class RequisitionError(Exception):
    """The action was refused; the message says why and is safe to show."""


@dataclass(frozen=True)
class Reason:
    rule: str  # "limit_order", "limit_month", "role", "amount", "second_level"
    values: dict  # amounts as strings, a role code
    currency: str = ""

    @property
    def text(self) -> str:
        return reason_text(self.rule, self.values, self.currency)

    def stored(self) -> dict:
        return {"rule": self.rule, "values": self.values}


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[Reason, ...]
    levels: int  # approvals needed: 0 none, 1 or 2

    @property
    def needed(self) -> bool:
        return self.levels > 0


def policy_of(company) -> ApprovalPolicy:
    """The company's rules, or the default (unsaved) when it has set none."""
    policy = ApprovalPolicy.objects.filter(company=company).first()
    return policy or ApprovalPolicy(company=company)


def policy_update(
    *,
    membership: Membership | None,
    over_limits: bool,
    roles: list[str],
    amount_above: Decimal | None,
    second_level_above: Decimal | None,
) -> ApprovalPolicy:
    """Set the company's rules (its administrators only)."""
    membership_require(membership, "manage_team")
    if set(roles) - set(Role.values):
        raise RequisitionError(_("Choose roles from the list."))
    for value in (amount_above, second_level_above):
        if value is not None and (not value.is_finite() or value < 0):
            raise RequisitionError(_("Amounts must be zero or more."))
    if (
        amount_above is not None
        and second_level_above is not None
        and second_level_above <= amount_above
    ):
        raise RequisitionError(
            _("The amount for two approvals must be above the amount for one.")
        )
    policy, _created = ApprovalPolicy.objects.update_or_create(
        company=membership.company,
        defaults={
            "over_limits": over_limits,
            "roles": sorted(set(roles)),
            "amount_above": amount_above,
            "second_level_above": second_level_above,
            "updated_at": timezone.now(),
            "updated_by": membership.user,
        },
    )
    return policy


def month_spent(*, membership: Membership, user, currency: str) -> Decimal:
    """What the member's orders of this calendar month come to (incl. VAT, cancelled
    orders not counted)."""
    start = timezone.localdate().replace(day=1)
    spent = (
        Order.objects.filter(
            user=user,
            company=membership.company,
            currency=currency,
            date_placed__date__gte=start,
        )
        .exclude(status__in=CANCELLED_STATUSES)
        .aggregate(total=Sum("total_incl_tax"))["total"]
    )
    return money_quantize(Decimal(spent or 0))


def _limit_reasons(*, membership, amount, currency, user) -> list[Reason]:
    reasons = []
    per_order, per_month = membership.spending_limit, membership.monthly_limit
    if per_order is not None and amount > per_order:
        values = {"amount": str(amount), "limit": str(per_order)}
        reasons.append(Reason("limit_order", values, currency))
    if per_month is not None:
        total = month_spent(membership=membership, user=user, currency=currency)
        total += amount
        if total > per_month:
            values = {"total": str(total), "limit": str(per_month)}
            reasons.append(Reason("limit_month", values, currency))
    return reasons


def approval_verdict(
    *, membership: Membership, amount: Decimal, currency: str, user, lock: bool = False
) -> Verdict:
    """Whether an order of `amount` (incl. VAT) by this member needs approval, why,
    and by how many people. Above the member's limits with the company's rule for
    limits switched off, the order is refused (`RequisitionError`). `lock` locks the
    membership row, so two checkouts of one buyer are counted one after the other."""
    if lock and (
        membership.spending_limit is not None or membership.monthly_limit is not None
    ):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
    policy = policy_of(membership.company)
    reasons = _limit_reasons(
        membership=membership, amount=amount, currency=currency, user=user
    )
    if reasons and not policy.over_limits:
        raise RequisitionError(
            " ".join(r.text for r in reasons)
            + " "
            + _("Ask an administrator of your company to raise it.")
        )
    if membership.role in policy.roles:
        reasons.append(Reason("role", {"role": membership.role}, currency))
    if policy.amount_above is not None and amount > policy.amount_above:
        values = {"limit": str(policy.amount_above)}
        reasons.append(Reason("amount", values, currency))
    if not reasons:
        return Verdict((), 0)
    two = policy.second_level_above is not None and amount > policy.second_level_above
    if two:
        values = {"limit": str(policy.second_level_above)}
        reasons.append(Reason("second_level", values, currency))
    return Verdict(tuple(reasons), 2 if two else 1)


def approvers_of(company, *, excluding_user_id=None):
    """The active members who may approve this company's requisitions."""
    members = Membership.objects.filter(
        company=company, is_active=True, role__in=APPROVER_ROLES
    ).select_related("user")
    if excluding_user_id is not None:
        members = members.exclude(user_id=excluding_user_id)
    return list(members)


def approvable_check(company, *, creator_id, levels: int) -> None:
    pool = approvers_of(company, excluding_user_id=creator_id)
    if len(pool) < levels or (
        levels == 2 and not any(m.role == Role.ADMIN for m in pool)
    ):
        raise RequisitionError(
            _(
                "This order needs approval, but nobody else in your company can "
                "approve it. Ask an administrator to give a colleague the approver "
                "role."
            )
        )
