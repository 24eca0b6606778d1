"""The configured search backend (settings.SEARCH_BACKEND: "database" or "elasticsearch")."""

from django.conf import settings


def get_backend(name: str | None = None):
    name = name or getattr(settings, "SEARCH_BACKEND", "database")
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()
