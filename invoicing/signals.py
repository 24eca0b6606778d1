"""Signals invoicing sends for the layers above it (which it must not import).

`invoice_paid(sender=Invoice, invoice_id=...)`: an invoice became fully paid. Sent
after the commit of the payment that paid it, so receivers read the paid invoice
and a rolled-back payment sends nothing. Receivers must be quick and idempotent
(enqueue a task): a refund and a new payment may send it again."""

from django.dispatch import Signal

invoice_paid = Signal()
