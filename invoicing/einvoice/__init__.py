"""Structured e-invoices of issued invoices and credit notes: Factur-X (EN 16931,
CII XML in a PDF/A-3) and UBL 2.1 per PEPPOL BIS Billing 3.0."""
