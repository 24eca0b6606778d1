"""The Elasticsearch backend, the only package that imports `elasticsearch`:

    client.py    the client (one per process and URL) and the alias name
    mapping.py   analysis and the product document
    queries.py   request bodies: the tiers, words, filters, facets, orders, the scan
    indexing.py  documents, bulk writes, rebuilds, the consistency check
    backend.py   `ElasticsearchBackend`: pages, facets, autocomplete

Every name other modules and tests import is here, as it was before the split.
"""

from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.backends.elasticsearch.client import alias_name, es_client
from search.backends.elasticsearch.indexing import (
    LOGGED_ERRORS,
    WRITE_CHUNK,
    IndexMissingError,
    IndexWriteError,
    _actions,
    _documents,
    _failure,
    product_document,
    stale_ids,
)
from search.backends.elasticsearch.mapping import ProductDocument, new_index
from search.backends.elasticsearch.queries import (
    FACET_SIZE,
    FUZZINESS,
    MAX_WINDOW,
    SCAN_PAGE,
    TIERS,
    build_autocomplete,
    build_document_scan,
    build_search,
    number_tiers,
    words_close,
    words_exact,
    words_typed,
)

__all__ = [
    "FACET_SIZE",
    "FUZZINESS",
    "LOGGED_ERRORS",
    "MAX_WINDOW",
    "SCAN_PAGE",
    "TIERS",
    "WRITE_CHUNK",
    "ElasticsearchBackend",
    "IndexMissingError",
    "IndexWriteError",
    "ProductDocument",
    "_actions",
    "_documents",
    "_failure",
    "alias_name",
    "build_autocomplete",
    "build_document_scan",
    "build_search",
    "es_client",
    "new_index",
    "number_tiers",
    "product_document",
    "stale_ids",
    "words_close",
    "words_exact",
    "words_typed",
]
