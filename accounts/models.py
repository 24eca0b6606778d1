"""Identity: users (e-mail login), customer companies, their legal entities and roles.

The company is the single object every B2B concern hangs from: price terms, credit
account, approvals, reservations, invoices and lead tracking all point at it.
"""

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from oscar.apps.customer.abstract_models import AbstractUser

from accounts.validators import kpp_normalize, tax_id_normalize


class User(AbstractUser):
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    language = models.CharField(
        _("Preferred language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    # Remembered so the next login opens the company the person worked for last.
    last_company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("Last active company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The notification kinds (`accounts.notifications.Kind` values) the person
    # switched off on their profile page; every other kind is sent.
    notifications_off = models.JSONField(
        _("Notifications switched off"), default=list, blank=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    ENERGY = "energy", _("Energy and utilities")
    MINING = "mining", _("Mining")
    TRANSPORT = "transport", _("Transport and logistics")
    AGRICULTURE = "agriculture", _("Agriculture")
    RESELLER = "reseller", _("Dealer / reseller")
    SERVICE = "service", _("Maintenance and repair")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("1–15 employees")
    SMALL = "small", _("16–100 employees")
    MEDIUM = "medium", _("101–250 employees")
    LARGE = "large", _("251–1000 employees")
    ENTERPRISE = "enterprise", _("Over 1000 employees")


class CompanyQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Company.Status.APPROVED)


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        BLOCKED = "blocked", _("Blocked")

    name = models.CharField(_("Name"), max_length=255)
    legal_name = models.CharField(_("Legal name"), max_length=255)
    country = models.CharField(_("Country"), max_length=2, default="RU")
    tax_id = models.CharField(_("Tax ID (INN / VAT number)"), max_length=20)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    legal_address = models.TextField(_("Legal address"), blank=True)
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    # Firmographics, for segmentation by marketing and sales.
    industry = models.CharField(
        _("Industry"), max_length=32, choices=Industry.choices, default=Industry.OTHER
    )
    size_band = models.CharField(
        _("Company size"), max_length=16, choices=SizeBand.choices, blank=True
    )
    region = models.CharField(_("Region"), max_length=128, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField(_("Reason for rejection or block"), blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_companies",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("Registered"), default=timezone.now)
    approved_at = models.DateTimeField(_("Approved"), null=True, blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Company")
        verbose_name_plural = _("Companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_id", "kpp"], name="company_unique_tax_id"
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.tax_id = tax_id_normalize(country=self.country, tax_id=self.tax_id)
        except ValidationError as exc:
            errors["tax_id"] = exc.messages
        try:
            self.kpp = kpp_normalize(self.kpp)
        except ValidationError as exc:
            errors["kpp"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class LegalEntity(models.Model):
    """A further legal entity of a company that may be invoiced (the company's own
    legal details are its primary entity)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="legal_entities"
    )
    legal_name = models.CharField(_("Legal name"), max_length=255)
    country = models.CharField(_("Country"), max_length=2, default="RU")
    tax_id = models.CharField(_("Tax ID"), max_length=20)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    legal_address = models.TextField(_("Legal address"), blank=True)

    class Meta:
        verbose_name = _("Legal entity")
        verbose_name_plural = _("Legal entities")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "tax_id", "kpp"],
                name="legalentity_unique_per_company",
            )
        ]

    def __str__(self):
        return f"{self.legal_name} ({self.tax_id})"

    def clean(self):
        super().clean()
        self.tax_id = tax_id_normalize(country=self.country, tax_id=self.tax_id)
        self.kpp = kpp_normalize(self.kpp)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")
    ACCOUNTANT = "accountant", _("Accountant")


# What each role may do; code asks `membership.allows(...)` / `require(...)`, never
# compares roles. "pay": settle the company's invoices by card (buyers pay what they
# ordered, accountants what is due).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "order",
            "approve",
            "manage_team",
            "view_orders",
            "view_finance",
            "reserve",
            "pay",
        }
    ),
    Role.BUYER: frozenset({"order", "view_orders", "reserve", "pay"}),
    Role.APPROVER: frozenset(
        {"order", "approve", "view_orders", "view_finance", "pay"}
    ),
    Role.ACCOUNTANT: frozenset({"view_orders", "view_finance", "pay"}),
}


# Permissions that act for the company (spend, commit stock, issue documents, approve):
# they also need the company itself to be approved. Seeing history does not.
ACTING_PERMISSIONS = frozenset({"order", "approve", "reserve"})


class ActionRefused(PermissionDenied):
    """A membership may not do this; the message says why and is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def membership_require(membership: "Membership | None", permission: str):
    """Raise `ActionRefused` unless `membership` (None: no active company) may do
    `permission`; return it. Services that order, invoice, reserve or approve call
    this first, before any work."""
    if membership is None:
        raise ActionRefused(_("You are not acting for a company."))
    membership.require(permission)
    return membership


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("Active"), default=True)
    # What this member may spend without approval (None: no limit), incl. VAT: one
    # order, and the orders they placed this calendar month together.
    spending_limit = models.DecimalField(
        _("Limit per order"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    monthly_limit = models.DecimalField(
        _("Limit per month"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Membership")
        verbose_name_plural = _("Memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="membership_unique_user_company"
            ),
            models.CheckConstraint(
                condition=Q(spending_limit__isnull=True)
                | Q(spending_limit__gte=Decimal(0)),
                name="membership_spending_limit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(monthly_limit__isnull=True)
                | Q(monthly_limit__gte=Decimal(0)),
                name="membership_monthly_limit_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.get_role_display()})"

    def can(self, permission: str) -> bool:
        return self.is_active and permission in ROLE_PERMISSIONS.get(self.role, ())

    def allows(self, permission: str) -> bool:
        """The one permission check: the role has it, the membership is active and,
        for acting permissions, the company is approved."""
        if not self.can(permission):
            return False
        return permission not in ACTING_PERMISSIONS or self.company.is_approved

    def require(self, permission: str) -> None:
        """`allows`, raising `ActionRefused` (a PermissionDenied) with the reason."""
        if not self.is_active:
            raise ActionRefused(_("Your access to this company has been revoked."))
        if not self.can(permission):
            raise ActionRefused(_("Your role in this company does not allow this."))
        if permission in ACTING_PERMISSIONS and not self.company.is_approved:
            raise ActionRefused(
                _("Your company is not approved yet: you can browse, but not order.")
            )

    @property
    def can_order(self) -> bool:
        return self.allows("order")

    @property
    def can_manage_team(self) -> bool:
        return self.allows("manage_team")

    @property
    def can_approve(self) -> bool:
        return self.allows("approve")


class Invitation(models.Model):
    """A colleague invited by e-mail to join a company in a role. The link carries a
    random key, signed with a timestamp (`accounts.team`); only the key's hash is
    stored. One pending invitation per company and address; a resend replaces the
    key, so an older link stops working."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("E-mail"))
    role = models.CharField(_("Role"), max_length=16, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Invitation")
        verbose_name_plural = _("Invitations")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.company} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class TeamEvent(models.Model):
    """One change to a company's team: who did what, to whom, when (shown to the
    company's administrators)."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        INVITATION_RESENT = "invitation_resent", _("Invitation re-sent")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        JOINED = "joined", _("Joined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        LIMITS_CHANGED = "limits_changed", _("Limits changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="team_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    subject = models.CharField(_("Who"), max_length=254)
    # Values as stored, shown in the reader's language: a role code, or limits as
    # "per order|per month" ("" for no limit).
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Team change")
        verbose_name_plural = _("Team changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject}"

    def _value_display(self, value: str) -> str:
        if self.action == self.Action.LIMITS_CHANGED:
            return " / ".join(
                number_format(Decimal(part), decimal_pos=2, force_grouping=True)
                if part
                else str(_("no limit"))
                for part in value.split("|")
            )
        if self.action == self.Action.TOKEN_CREATED:
            return ", ".join(
                str(label)
                for code, label in ApiScope.choices
                if code in value.split(",")
            )
        return str(Role(value).label) if value in Role.values else value

    @property
    def before_display(self) -> str:
        return self._value_display(self.before) if self.before else ""

    @property
    def after_display(self) -> str:
        return self._value_display(self.after) if self.after else ""


class CompanyAddress(models.Model):
    """A delivery address of a company, chosen at checkout."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("Label"), max_length=64, blank=True)
    recipient = models.CharField(_("Recipient"), max_length=255)
    line1 = models.CharField(_("Street and building"), max_length=255)
    line2 = models.CharField(_("Office, floor, gate"), max_length=255, blank=True)
    city = models.CharField(_("City"), max_length=128)
    region = models.CharField(_("Region"), max_length=128, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=16, blank=True)
    country = models.CharField(_("Country"), max_length=2, default="RU")
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    is_default = models.BooleanField(_("Default"), default=False)

    class Meta:
        verbose_name = _("Company address")
        verbose_name_plural = _("Company addresses")
        ordering = ["-is_default", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(is_default=True),
                name="companyaddress_one_default",
            )
        ]

    def __str__(self):
        parts = [self.line1, self.line2, self.city, self.postcode]
        return ", ".join(p for p in parts if p)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiScope(models.TextChoices):
    """What a token may do. `read`: every GET and the read-only POSTs (lookups,
    quick-order resolution, serial-number exports); `order`: change the basket,
    reserve, approve; `finance`: invoices and the company's documents."""

    READ = "read", pgettext_lazy("api scope", "Read")
    ORDER = "order", pgettext_lazy("api scope", "Order")
    FINANCE = "finance", pgettext_lazy("api scope", "Finance")


API_SCOPES_ALL = ",".join(ApiScope.values)


class ApiToken(models.Model):
    """A secret that lets a member's integration call the API as them, for one company,
    within its scopes.

    Only the hash is stored; the key is shown once when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shop_api_tokens",
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("Name"), max_length=64)
    scopes = models.CharField(_("Scopes"), max_length=64, default=API_SCOPES_ALL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)

    @property
    def scope_labels(self) -> list[str]:
        return [label for value, label in ApiScope.choices if value in self.scope_set]

    @classmethod
    def issue(
        cls,
        *,
        user,
        company,
        name: str,
        scopes=None,
        created_by=None,
    ) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key exists in clear)."""
        key = secrets.token_urlsafe(32)
        chosen = (
            API_SCOPES_ALL
            if scopes is None
            else ",".join(s for s in ApiScope.values if s in set(scopes))
        )
        token = cls.objects.create(
            user=user,
            company=company,
            name=name,
            scopes=chosen,
            created_by=created_by,
            prefix=key[:8],
            key_hash=api_token_hash(key),
        )
        return token, key
