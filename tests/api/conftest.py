"""The browser fixtures of tests/browser/ (for the API's documentation page) and the
search tests' catalogue (for real answers to check against the schema)."""

from tests.browser.conftest import artifacts, chromium, restore_migrated_data  # noqa: F401
from tests.search.conftest import catalogue  # noqa: F401
