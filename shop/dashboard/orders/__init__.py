"""Oscar's order pages in the dashboard, read through the staff scope."""
