"""Fixtures of the site's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def lead_limits_reset():
    """The short form's rate-limit counters live in the memory cache, which outlives
    each test: every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()
