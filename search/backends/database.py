"""The embedded backend: the engine for the default database's vendor, chosen here.

PostgreSQL searches its documents (`search.backends.postgres`), SQLite its FTS5 table
(`search.backends.sqlite`); both share `search.backends.shared`. Other vendors are
refused rather than half served.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from search.backends.postgres import PostgresBackend
from search.backends.shared import DatabaseBackend
from search.backends.sqlite import SQLiteBackend

ENGINES: dict[str, type[DatabaseBackend]] = {
    "postgresql": PostgresBackend,
    "sqlite": SQLiteBackend,
}


def engine_for(vendor: str) -> type[DatabaseBackend]:
    """The database backend's class for a database vendor (`connection.vendor`)."""
    try:
        return ENGINES[vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"The database search backend runs on PostgreSQL or SQLite, not {vendor!r}: "
            'use one of them, or SEARCH_BACKEND = "elasticsearch".'
        ) from None


def database_backend() -> DatabaseBackend:
    """The database backend for the default database."""
    return engine_for(connection.vendor)()


__all__ = ["ENGINES", "DatabaseBackend", "database_backend", "engine_for"]
