"""The configured search backend (settings.SEARCH_BACKEND: "database" or "elasticsearch")."""

from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.database import database_backend


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or getattr(settings, "SEARCH_BACKEND", "database")
    if name == "elasticsearch":
        # The Elasticsearch client takes ~1.5 s to import: only where it is configured.
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    return database_backend()
