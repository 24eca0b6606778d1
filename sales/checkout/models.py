"""Oscar's checkout models, and ours: a company's approval rules and the requisitions
("заявки на согласование") that checkout creates instead of an order when the rules
say someone must approve it first."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.models import *  # noqa: F401,F403
from oscar.templatetags.currency_filters import currency as currency_format

from accounts.models import Company, CompanyAddress, LegalEntity, Role

MONEY = {"max_digits": 14, "decimal_places": 2}


class ApprovalPolicy(models.Model):
    """When an order of this company needs approval, set by its administrators. A
    company without a row has the default: above a member's own limits, approval."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="approval_policy"
    )
    over_limits = models.BooleanField(
        _("Above a member's limit per order or per month"),
        default=True,
        help_text=_(
            "When off, an order above the member's limits is refused instead of "
            "being sent for approval."
        ),
    )
    roles = models.JSONField(
        _("Always for these roles"), default=list, blank=True
    )  # role codes
    amount_above = models.DecimalField(
        _("Every order above (incl. VAT)"), null=True, blank=True, **MONEY
    )
    second_level_above = models.DecimalField(
        _("Two approvals above (incl. VAT)"), null=True, blank=True, **MONEY
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Approval rules")
        verbose_name_plural = _("Approval rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_above__isnull=True) | Q(amount_above__gte=0),
                name="approval_policy_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(second_level_above__isnull=True)
                | Q(second_level_above__gte=0),
                name="approval_policy_second_level_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.company}"

    @property
    def roles_display(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[r]) for r in self.roles if r in labels]


def money_text(value, currency: str) -> str:
    """An amount as the pages show it (Oscar's currency format, reader's locale)."""
    return currency_format(Decimal(value), currency or None)


def reason_text(rule: str, values: dict, currency: str) -> str:
    """Why an order needs approval, in the reader's language, from what was stored
    (amounts as strings, a role code)."""

    def money(key):
        return money_text(values.get(key, 0), currency)

    if rule == "limit_order":
        return gettext(
            "The order (%(amount)s) is above the limit of %(limit)s per order."
        ) % {"amount": money("amount"), "limit": money("limit")}
    if rule == "limit_month":
        return gettext(
            "With this order, the month's orders come to %(total)s, above the "
            "monthly limit of %(limit)s."
        ) % {"total": money("total"), "limit": money("limit")}
    if rule == "role":
        role = dict(Role.choices).get(values.get("role"), values.get("role", ""))
        return gettext("Orders placed in the role %(role)s always need approval.") % {
            "role": role
        }
    if rule == "amount":
        return gettext("Orders above %(limit)s need approval.") % {
            "limit": money("limit")
        }
    if rule == "second_level":
        return gettext(
            "Above %(limit)s two people approve, one of them an administrator."
        ) % {"limit": money("limit")}
    if rule == "changes":
        return gettext("An approver asked for changes.")
    return values.get("text", "")


class RequisitionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", pgettext_lazy("requisition", "Approved")
    REJECTED = "rejected", pgettext_lazy("requisition", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequisitionStatus.PENDING, RequisitionStatus.CHANGES_REQUESTED)


class RequisitionQuerySet(models.QuerySet):
    def of_company(self, company):
        """The one way to fetch requisitions: those of this company (None: none)."""
        if company is None:
            return self.none()
        return self.filter(company=company)


class Requisition(models.Model):
    """An order put together by a member and waiting for approval: its lines, prices,
    delivery and PO frozen as submitted (`RequisitionLine`), its basket frozen, no
    stock allocated and no credit used until the order is placed on approval."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="requisitions"
    )
    number = models.CharField(_("Number"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    basket = models.OneToOneField(
        "basket.Basket", on_delete=models.PROTECT, related_name="requisition"
    )
    status = models.CharField(
        _("Status"),
        max_length=24,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.PENDING,
        db_index=True,
    )
    # Why approval is needed, as submitted: [{"rule": ..., "values": {...}}]
    reasons = models.JSONField(default=list, blank=True)
    levels_required = models.PositiveSmallIntegerField(default=1)
    # Each submission is a round; approvals count within the current round.
    round = models.PositiveSmallIntegerField(default=1)
    currency = models.CharField(max_length=12)
    total_excl_tax = models.DecimalField(_("Total excl. VAT"), **MONEY)
    total_incl_tax = models.DecimalField(_("Total incl. VAT"), **MONEY)
    address = models.ForeignKey(
        CompanyAddress, on_delete=models.PROTECT, related_name="+"
    )
    legal_entity = models.ForeignKey(
        LegalEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_method = models.CharField(max_length=32)
    po_number = models.CharField(_("PO number"), max_length=64, blank=True)
    desired_delivery_date = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True)
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requisition",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Requisition")
        verbose_name_plural = _("Requisitions")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["company", "status", "-submitted_at"])]

    def __str__(self):
        return self.number

    @property
    def status_label(self) -> str:
        return str(self.get_status_display())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reason_texts(self) -> list[str]:
        return [
            reason_text(r.get("rule", ""), r.get("values", {}), self.currency)
            for r in self.reasons
        ]


class RequisitionLine(models.Model):
    """A line as submitted: the price the buyer saw is the price the approver sees."""

    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="lines"
    )
    # None when the product was deleted from the catalogue (article and title stay).
    product = models.ForeignKey(
        "catalogue.Product", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price_excl_tax = models.DecimalField(**MONEY)
    unit_price_incl_tax = models.DecimalField(**MONEY)
    line_price_excl_tax = models.DecimalField(**MONEY)
    line_price_incl_tax = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="requisition_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.article or self.title} × {self.quantity}"


class RequisitionEvent(models.Model):
    """The requisition's thread: submissions, comments and decisions, in order."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent for approval")
        RESUBMITTED = "resubmitted", _("Changed and sent again")
        COMMENT = "comment", _("Comment")
        CHANGES_REQUESTED = "changes_requested", _("Asked for changes")
        APPROVED = "approved", pgettext_lazy("requisition event", "Approved")
        REJECTED = "rejected", pgettext_lazy("requisition event", "Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ORDERED = "ordered", _("Order placed")

    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    text = models.TextField(blank=True)
    # Which submission round the event belongs to (approvals count per round).
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.requisition} {self.kind}"
