"""Stripe, behind one module (client.py); the rest of the project sees plain data."""
