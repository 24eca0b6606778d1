"""Fixtures shared by the whole suite."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils.translation import override
from django.utils.translation import trans_real as translation

from tests.factories import CompanyFactory, MembershipFactory, StaffFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the project's .po catalogs that changed since their .mo (`make test`
    does it first; this keeps a bare `pytest` run honest). Atomic, so xdist workers
    agree."""
    pattern = "locale/*/LC_MESSAGES/*.po"
    for po in [*ROOT.glob(f"*/{pattern}"), *ROOT.glob(f"*/*/{pattern}")]:
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if shutil.which("msgfmt") is None:
            pytest.exit("gettext is missing: run `bash scripts/system_deps.sh`", 2)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run(["msgfmt", "--check-format", "-o", tmp, po], check=True)
        os.replace(tmp, mo)
        translation._translations = {}  # forget catalogs loaded before compiling


@pytest.fixture(scope="session", autouse=True)
def private_files(tmp_path_factory):
    """Files in a folder of the run's own, never the real `var/`: the private
    storage (invoices, delivery notes), the job, bundle and certificate folders
    under VAR_DIR, and MEDIA_ROOT. Once per session, so module-scoped data and its
    files agree; a test or module may move them again (`settings.VAR_DIR = ...`)."""
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("files")
    private = settings.STORAGES["private"]
    override = override_settings(
        VAR_DIR=root / "var",
        SHOP_PRIVATE_ROOT=root / "var" / "private",
        MEDIA_ROOT=root / "media",
        STORAGES={
            **settings.STORAGES,
            "private": {
                **private,
                "OPTIONS": {
                    **private["OPTIONS"],
                    "location": str(root / "var" / "private"),
                },
            },
        },
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language: a request in Russian leaves Russian
    active in its thread, which would leak into the next test's messages."""
    with override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")


@pytest.fixture
def staff_user(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def buyer(db, company):
    return MembershipFactory(company=company, role="buyer").user


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client
