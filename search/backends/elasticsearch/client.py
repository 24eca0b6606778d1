"""The cluster's client, one per process and URL, and the alias the shop searches."""

import os
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import Elasticsearch

_clients: dict[tuple, Elasticsearch] = {}
_clients_lock = threading.Lock()


def es_client() -> Elasticsearch:
    """This process's client for `settings.ELASTICSEARCH_URL`: one per process and URL,
    so every backend and request shares its connection pool (a client made before a
    fork is not used after it)."""
    url = settings.ELASTICSEARCH_URL
    if not url:
        raise ImproperlyConfigured(
            'SEARCH_BACKEND "elasticsearch" needs ELASTICSEARCH_URL.'
        )
    key = (os.getpid(), url)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = Elasticsearch(url)
    return client


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"
