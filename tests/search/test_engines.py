"""The database backend picks its engine by the database's vendor, and only there."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from search.backends import get_backend
from search.backends.database import engine_for
from search.backends.postgres import PostgresBackend
from search.backends.sqlite import SQLiteBackend


def test_each_vendor_has_its_engine():
    assert engine_for("postgresql") is PostgresBackend
    assert engine_for("sqlite") is SQLiteBackend


def test_the_configured_database_gets_its_engine():
    backend = get_backend("database")
    assert type(backend) is engine_for(connection.vendor)
    assert backend.name == "database"


@pytest.mark.parametrize("vendor", ["mysql", "oracle", "microsoft"])
def test_other_vendors_are_refused(vendor):
    with pytest.raises(ImproperlyConfigured, match=vendor):
        engine_for(vendor)
