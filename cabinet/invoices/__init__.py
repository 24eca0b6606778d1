"""Cabinet invoices: pages over the invoicing app, scoped by the active company."""
