"""Writes of the invoicing app: numbering, invoices, credit, payments, Stripe, overdue."""
