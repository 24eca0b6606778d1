"""Seller details, gapless document counters, invoices and credit notes, credit
accounts, payments and their allocation, refunds, Stripe events, delivery notes."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoicing.exceptions import DocumentImmutableError
from invoicing.storage import delivery_note_pdf_name, invoice_pdf_name, private_storage
from sales.order.models import PaymentMethod


def default_currency():
    return settings.OSCAR_DEFAULT_CURRENCY


class SellerEntity(models.Model):
    """A legal entity of the seller that issues documents, with its bank details."""

    legal_name = models.CharField(_("Legal name"), max_length=255)
    tax_id = models.CharField(_("INN"), max_length=20)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    legal_address = models.TextField(_("Legal address"))
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    bank_name = models.CharField(_("Bank"), max_length=255)
    bank_bik = models.CharField(_("BIK"), max_length=9)
    bank_account = models.CharField(_("Settlement account"), max_length=20)
    bank_corr_account = models.CharField(_("Correspondent account"), max_length=20)
    director = models.CharField(_("Director"), max_length=128, blank=True)
    chief_accountant = models.CharField(
        _("Chief accountant"), max_length=128, blank=True
    )
    is_default = models.BooleanField(_("Default"), default=False)

    class Meta:
        verbose_name = _("Seller legal entity")
        verbose_name_plural = _("Seller legal entities")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="sellerentity_one_default",
            )
        ]

    def __str__(self):
        return self.legal_name


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    DELIVERY_NOTE = "delivery_note", _("Delivery note")


class DocumentCounter(models.Model):
    """The last number given to a kind of document of a seller in a year. Locked
    (select_for_update) while a document takes the next number, so a rolled back
    issue gives its number back and numbers stay gapless."""

    seller = models.ForeignKey(SellerEntity, on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "year"], name="documentcounter_unique"
            )
        ]

    def __str__(self):
        return f"{self.seller_id}/{self.kind}/{self.year}: {self.last_number}"


class CreditAccount(models.Model):
    """A company's deferred-payment terms: limit, net days and grace days."""

    company = models.OneToOneField(
        "accounts.Company", on_delete=models.CASCADE, related_name="credit_account"
    )
    credit_limit = models.DecimalField(
        _("Credit limit"), max_digits=14, decimal_places=2
    )
    currency = models.CharField(_("Currency"), max_length=3, default=default_currency)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("Payment terms, days"), default=30
    )
    grace_days = models.PositiveSmallIntegerField(_("Grace days"), default=0)
    is_active = models.BooleanField(_("Orders on account allowed"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Credit account")
        verbose_name_plural = _("Credit accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0),
                name="creditaccount_limit_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.company}: {self.credit_limit} {self.currency}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Awaiting payment")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled by credit note")


OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID, InvoiceStatus.OVERDUE)


class InvoiceQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def invoices(self):
        return self.filter(kind=DocumentKind.INVOICE)

    def open(self):
        return self.filter(kind=DocumentKind.INVOICE, status__in=OPEN_STATUSES)


class Invoice(models.Model):
    """An invoice for payment (or a credit note correcting one). Immutable once
    issued: only its payment state and its rendered PDF change afterwards."""

    MUTABLE_FIELDS = frozenset(
        {"status", "amount_paid", "paid_at", "pdf", "pdf_sha256"}
    )

    seller = models.ForeignKey(SellerEntity, on_delete=models.PROTECT)
    kind = models.CharField(
        max_length=16, choices=DocumentKind.choices, default=DocumentKind.INVOICE
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.PROTECT, related_name="invoices"
    )
    order = models.ForeignKey(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    payment_method = models.CharField(
        _("Payment method"), max_length=16, choices=PaymentMethod.choices
    )
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.ISSUED,
    )
    currency = models.CharField(_("Currency"), max_length=3, default=default_currency)
    language = models.CharField(max_length=8, default="ru")
    issue_date = models.DateField(_("Date"))
    due_date = models.DateField(_("Due date"))
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    po_number = models.CharField(_("PO number"), max_length=64, blank=True)
    # Snapshot of the payer at issue time (company or one of its legal entities).
    legal_entity = models.ForeignKey(
        "accounts.LegalEntity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payer_name = models.CharField(_("Payer"), max_length=255)
    payer_tax_id = models.CharField(max_length=20)
    payer_kpp = models.CharField(max_length=9, blank=True)
    payer_address = models.TextField(blank=True)
    # Snapshot of the seller at issue time.
    seller_name = models.CharField(max_length=255)
    seller_tax_id = models.CharField(max_length=20)
    seller_kpp = models.CharField(max_length=9, blank=True)
    seller_address = models.TextField()
    seller_bank_name = models.CharField(max_length=255)
    seller_bank_bik = models.CharField(max_length=9)
    seller_bank_account = models.CharField(max_length=20)
    seller_bank_corr_account = models.CharField(max_length=20)
    total_excl_vat = models.DecimalField(max_digits=14, decimal_places=2)
    total_vat = models.DecimalField(max_digits=14, decimal_places=2)
    total_incl_vat = models.DecimalField(_("Amount"), max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(
        _("Paid"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(
        storage=private_storage,
        upload_to=invoice_pdf_name,
        max_length=255,
        blank=True,
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Invoice")
        verbose_name_plural = _("Invoices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "year", "number"],
                name="invoice_unique_number",
            ),
            # One live invoice per order (a cancelled one may be re-issued).
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="invoice") & ~Q(status="cancelled"),
                name="invoice_one_live_per_order",
            ),
            # Sums compared rounded to the cent: SQLite adds REALs (see docs).
            models.CheckConstraint(
                condition=Q(
                    total_incl_vat=Round(F("total_excl_vat") + F("total_vat"), 2)
                ),
                name="invoice_totals_add_up",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0)
                & Q(amount_paid__lte=F("total_incl_vat")),
                name="invoice_paid_within_total",
            ),
            models.CheckConstraint(
                condition=Q(total_excl_vat__gte=0) & Q(total_vat__gte=0),
                name="invoice_totals_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return self.display_number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise DocumentImmutableError(
                    _("An issued invoice cannot be changed; issue a credit note.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DocumentImmutableError(_("An issued invoice cannot be deleted."))

    @property
    def display_number(self) -> str:
        prefix = "CN-" if self.kind == DocumentKind.CREDIT_NOTE else ""
        return f"{prefix}{self.year}-{self.number:05d}"

    @property
    def amount_due(self) -> Decimal:
        return self.total_incl_vat - self.amount_paid

    @property
    def is_open(self) -> bool:
        return self.kind == DocumentKind.INVOICE and self.status in OPEN_STATUSES


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL
    )
    article = models.CharField(_("Article"), max_length=64, blank=True)
    title = models.CharField(_("Item"), max_length=255)
    unit = models.CharField(_("Unit"), max_length=16, blank=True)
    quantity = models.PositiveIntegerField(_("Quantity"))
    unit_price_excl_vat = models.DecimalField(max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    amount_excl_vat = models.DecimalField(max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(max_digits=14, decimal_places=2)
    amount_incl_vat = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoiceline_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(
                    amount_incl_vat=Round(F("amount_excl_vat") + F("vat_amount"), 2)
                ),
                name="invoiceline_amounts_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DocumentImmutableError(_("An issued invoice cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DocumentImmutableError(_("An issued invoice cannot be changed."))


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Received")
    FAILED = "failed", _("Failed")


class PaymentQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def received(self):
        return self.filter(status=PaymentStatus.SUCCEEDED)


class Payment(models.Model):
    """Money from a company: a bank transfer recorded by staff or a card payment."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CARD = "card", _("Card")

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("Method"), max_length=16, choices=Method.choices)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    amount = models.DecimalField(_("Amount"), max_digits=14, decimal_places=2)
    amount_refunded = models.DecimalField(
        _("Refunded"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    currency = models.CharField(_("Currency"), max_length=3, default=default_currency)
    received_on = models.DateField(_("Received on"), null=True, blank=True)
    reference = models.CharField(_("Reference"), max_length=128, blank=True)
    # The invoice a card payment is for (bank transfers are allocated by staff).
    invoice = models.ForeignKey(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="card_payments",
    )
    stripe_payment_intent_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True
    )
    failure_message = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Payment")
        verbose_name_plural = _("Payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0)
                & Q(amount_refunded__lte=F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount} {self.currency}"

    @property
    def amount_allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations.all()), Decimal("0.00"))


class PaymentAllocation(models.Model):
    """The part of a payment that settles an invoice (negative after a refund)."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="allocations"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="paymentallocation_not_zero"
            )
        ]

    def __str__(self):
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"


class Refund(models.Model):
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    stripe_refund_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive")
        ]

    def __str__(self):
        return f"{self.payment_id}: -{self.amount}"


class StripeEvent(models.Model):
    """Each Stripe webhook event, recorded once: a replay finds its id and stops."""

    event_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.event_id} {self.type}"


class DeliveryNote(models.Model):
    """The delivery note (packing list) of a shipped order, with its PDF."""

    seller = models.ForeignKey(SellerEntity, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="delivery_note"
    )
    company = models.ForeignKey(
        "accounts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_notes",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(
        storage=private_storage,
        upload_to=delivery_note_pdf_name,
        max_length=255,
        blank=True,
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("Delivery note")
        verbose_name_plural = _("Delivery notes")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "year", "number"], name="deliverynote_unique_number"
            )
        ]

    def __str__(self):
        return f"DN-{self.year}-{self.number:05d}"

    @property
    def display_number(self) -> str:
        return str(self)


class SerialNumber(models.Model):
    """A serial number (or only a batch) of a unit delivered on an order line, for
    the buyer's export and warranty claims. `serial_normalized` is the serial
    through `catalog.articles.article_normalize`; a serial is unique per product.
    The delivery note (the shipment) is empty until the order ships. That a line
    carries no more rows than its quantity is checked by `invoicing.serials`."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.PROTECT, related_name="serial_numbers"
    )
    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="serial_numbers"
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="serial_numbers"
    )
    delivery_note = models.ForeignKey(
        DeliveryNote,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="serial_numbers",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="serial_numbers",
    )
    serial = models.CharField(_("Serial number"), max_length=64, blank=True)
    serial_normalized = models.CharField(max_length=64, blank=True)
    batch = models.CharField(_("Batch"), max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Serial number")
        verbose_name_plural = _("Serial numbers")
        ordering = ["order", "line", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "serial_normalized"],
                condition=~Q(serial_normalized=""),
                name="serialnumber_unique_per_product",
            ),
            models.CheckConstraint(
                condition=~Q(serial="") | ~Q(batch=""),
                name="serialnumber_serial_or_batch",
            ),
            models.CheckConstraint(
                condition=Q(serial="", serial_normalized="")
                | (~Q(serial="") & ~Q(serial_normalized="")),
                name="serialnumber_normalized_with_serial",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "serial_normalized"]),
            models.Index(fields=["company", "created_at"]),
        ]

    def __str__(self):
        return self.serial or self.batch
