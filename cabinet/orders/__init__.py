"""The company's orders: history with filters and export, one order, reorder."""
