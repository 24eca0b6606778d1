"""Integrations with the customers' own systems: signed webhooks out."""
