"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's
live server; screenshots go to tests/artifacts/."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module", autouse=True)
def restore_migrated_data(django_db_setup, django_db_blocker):
    """The live server needs a transactional test, whose teardown empties every
    table; put back what migrations created (the Wagtail home page, the site) so
    later tests and the next --reuse-db run find it."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"{CHROMIUM} is missing: run `bash scripts/system_deps.sh`")
    # Playwright's sync API runs an event loop in this thread; Django code that the
    # test calls while the browser is open must not trip the async-safety guard.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Database connections opened while Playwright's loop ran belong to its
            # context, which pytest-django's teardown does not see: close them here,
            # or the test database cannot be dropped at the end of the run.
            connections.close_all()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
