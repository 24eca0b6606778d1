"""PDF documents rendered with WeasyPrint: invoices, delivery notes, statements."""
