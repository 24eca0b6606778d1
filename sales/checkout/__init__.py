"""Oscar's checkout, forked: one B2B checkout page."""
