"""Oscar's checkout models (none of our own)."""

from oscar.apps.checkout.models import *  # noqa: F401,F403
