"""Reservations ("резерв"): goods held from stock on hand for a company for a few
working days, with a prepayment invoice; paid, the reservation becomes an order.

`ReservationTerms` (per company; the buyer's administrators set `days`, staff set
`max_days` and `extend_allowed`), `Reservation` (the frozen basket, its status,
its end, the invoice, the order once converted), `ReservationLine` (what is held
at which warehouse, at which price) and `ReservationEvent` (the record)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Company

MONEY = {"max_digits": 14, "decimal_places": 2}
DEFAULT_DAYS = 3


def max_days_default() -> int:
    return getattr(settings, "RESERVATION_MAX_DAYS", 10)


class ReservationTerms(models.Model):
    """How long a company's reservations run; no row means the defaults."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="reservation_terms"
    )
    days = models.PositiveSmallIntegerField(
        _("Working days a reservation runs"), default=DEFAULT_DAYS
    )
    max_days = models.PositiveSmallIntegerField(
        _("At most (working days)"),
        default=max_days_default,
        help_text=_("Set by staff: the longest a reservation may run, extended."),
    )
    extend_allowed = models.BooleanField(_("May be extended once"), default=True)

    class Meta:
        verbose_name = _("Reservation terms")
        verbose_name_plural = _("Reservation terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=models.F("max_days")),
                name="reservationterms_days_within_max",
            )
        ]

    def __str__(self):
        return f"{self.company}: {self.days}/{self.max_days}"


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("reservation", "Active")
    CONVERTED = "converted", pgettext_lazy("reservation", "Converted to an order")
    CANCELLED = "cancelled", pgettext_lazy("reservation", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("reservation", "Expired")


class ReservationQuerySet(models.QuerySet):
    def of_company(self, company):
        return self.filter(company=company)

    def active(self):
        return self.filter(status=ReservationStatus.ACTIVE)


class Reservation(models.Model):
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="reservations"
    )
    number = models.CharField(_("Number"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    basket = models.OneToOneField(
        "basket.Basket", on_delete=models.PROTECT, related_name="reservation"
    )
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
        db_index=True,
    )
    days = models.PositiveSmallIntegerField(_("Working days"))
    expires_at = models.DateTimeField(_("Held until"), db_index=True)
    extended = models.BooleanField(_("Extended"), default=False)
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reservation",
    )
    currency = models.CharField(max_length=12)
    total_excl_tax = models.DecimalField(_("Total excl. VAT"), **MONEY)
    total_incl_tax = models.DecimalField(_("Total incl. VAT"), **MONEY)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Reservation")
        verbose_name_plural = _("Reservations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "status", "-created_at"])]

    def __str__(self):
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status == ReservationStatus.ACTIVE


class ReservationLine(models.Model):
    """Units of a product held at one warehouse (its stock record's
    `num_allocated` counts them while the reservation is active)."""

    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="lines"
    )
    # SET_NULL: a product taken out of the catalogue (its stock records go with
    # it) leaves the line as it was written: article, title, warehouse, prices.
    product = models.ForeignKey(
        "catalogue.Product", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.CharField(_("Article"), max_length=128, blank=True)
    title = models.CharField(_("Item"), max_length=255)
    warehouse = models.CharField(_("Warehouse"), max_length=128)
    quantity = models.PositiveIntegerField(_("Quantity"))
    unit_price_excl_tax = models.DecimalField(**MONEY)
    unit_price_incl_tax = models.DecimalField(**MONEY)

    class Meta:
        verbose_name = _("Reserved line")
        verbose_name_plural = _("Reserved lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="reservationline_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.title} × {self.quantity} @ {self.warehouse}"


class ReservationEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("reservation event", "Reserved")
        EXTENDED = "extended", pgettext_lazy("reservation event", "Extended")
        CONVERTED = "converted", pgettext_lazy("reservation event", "Ordered")
        CANCELLED = "cancelled", pgettext_lazy("reservation event", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("reservation event", "Expired")
        REMINDED = "reminded", pgettext_lazy("reservation event", "Reminder sent")

    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.reservation}: {self.kind}"
