"""Errors of invoicing services; their messages are safe to show to the user."""

from django.core.exceptions import ValidationError


class InvoicingError(ValidationError):
    """A refused invoicing operation; nothing was changed."""


class DocumentImmutableError(InvoicingError):
    pass


class CreditRefused(InvoicingError):
    pass


class PaymentError(InvoicingError):
    pass
