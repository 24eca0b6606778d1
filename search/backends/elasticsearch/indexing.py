"""Writing the index and checking it: product documents from the database, bulk
writes whose refused documents are raised together, rebuilds behind an alias, and
the consistency check that compares every document with its product."""

import logging
from collections.abc import Iterable, Iterator

from django.utils import timezone
from elasticsearch.helpers import streaming_bulk

from catalog.models import Category, CompanyPartNumber, Product
from search.backends.elasticsearch.client import alias_name
from search.backends.elasticsearch.mapping import ProductDocument, new_index
from search.backends.elasticsearch.queries import SCAN_PAGE, build_document_scan
from search.backends.shared import in_stock_condition, list_price_subquery

logger = logging.getLogger(__name__)

WRITE_CHUNK = 1_000  # products read from the database per bulk request
LOGGED_ERRORS = 20  # per-document errors logged one by one; the rest are counted


class IndexWriteError(RuntimeError):
    """Documents the cluster refused in a bulk write; the others were written."""

    def __init__(self, *, failed: int, total: int, errors: list):
        self.failed, self.total, self.errors = failed, total, errors
        first = errors[0] if errors else {}
        super().__init__(
            f"{failed} of {total} search documents were not written "
            f"(first: {first.get('id')}: {first.get('error')})"
        )


def product_document(
    product, *, in_stock: bool, company_numbers, category_ids, paths, list_price=None
):
    # The English title (where the catalogue has it) is searched with the Russian.
    titles = [product.title, *([product.title_en] if product.title_en else [])]
    return ProductDocument(
        meta={"id": product.pk},
        product_id=product.pk,
        article=product.article_normalized,
        manufacturer_article=product.manufacturer_article_normalized,
        cross_references=[c.number_normalized for c in product.cross_references.all()],
        company_numbers=company_numbers,
        title=product.title,
        text=[*titles, product.description or ""],
        categories=[str(c) for c in category_ids],
        category_path=sorted(paths),
        manufacturer=product.manufacturer.slug if product.manufacturer_id else None,
        manufacturer_id=product.manufacturer_id,
        in_stock=in_stock,
        list_price=float(list_price) if list_price is not None else None,
    )


def _documents(product_ids):
    """The documents of those of these products that are browsable."""
    paths = dict(Category.objects.values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    products = (
        Product.objects.browsable()
        .filter(pk__in=product_ids)
        .select_related("manufacturer")
        .prefetch_related("cross_references", "categories")
        .annotate(has_stock=in_stock_condition(), doc_list_price=list_price_subquery())
    )
    own = {}
    for pid, cid, number in CompanyPartNumber.objects.filter(
        product_id__in=product_ids
    ).values_list("product_id", "company_id", "number_normalized"):
        own.setdefault(pid, []).append(f"{cid}:{number}")
    for product in products:
        category_ids = [c.pk for c in product.categories.all()]
        ancestors = set()
        for cid in category_ids:
            path = paths.get(cid, "")
            for end in range(4, len(path) + 1, 4):
                if path[:end] in by_path:
                    ancestors.add(str(by_path[path[:end]]))
        yield product_document(
            product,
            in_stock=product.has_stock,
            list_price=product.doc_list_price,
            company_numbers=own.get(product.pk, []),
            category_ids=category_ids,
            paths=ancestors,
        )


def _actions(ids: list[int], target: str):
    """Index the browsable products' documents, delete the others'."""
    seen = set()
    for doc in _documents(ids):
        seen.add(int(doc.meta.id))
        yield doc.to_dict(include_meta=True) | {"_index": target}
    for pk in ids:
        if pk not in seen:
            yield {"_op_type": "delete", "_index": target, "_id": pk}


def _failure(item: dict) -> dict | None:
    """A bulk item's error, or None where there is nothing to fix: deleting a
    document that is not there (a product that was never browsable)."""
    (op, result), *_ = item.items()
    if op == "delete" and result.get("status") == 404 and "error" not in result:
        return None
    return {"id": result.get("_id"), "op": op, "error": result.get("error")}


def products_index(client, *, product_ids, index=None) -> None:
    """Write the documents of these products (delete those of products gone or
    hidden) into the alias, or into `index` during a rebuild. Every document is
    tried; those the cluster refused are logged and raised together as
    `IndexWriteError` (the caller retries them)."""
    ids = list(product_ids)
    errors, total = [], 0
    for start in range(0, len(ids), WRITE_CHUNK):
        chunk = ids[start : start + WRITE_CHUNK]
        errors += _write(client, chunk, target=index or alias_name(), alias=not index)
        total += len(chunk)
    if errors:
        for error in errors[:LOGGED_ERRORS]:
            logger.error("search document not written: %s", error)
        logger.error("%d of %d search documents not written", len(errors), total)
        raise IndexWriteError(failed=len(errors), total=total, errors=errors)


def _write(client, ids: list[int], *, target: str, alias: bool) -> list[dict]:
    """Bulk-write these products' documents; the errors of those refused. A write to
    the alias requires it (no stray index is created in its name); rejections for
    load (429) are retried with backoff."""
    results = streaming_bulk(
        client,
        _actions(ids, target),
        raise_on_error=False,
        max_retries=3,
        initial_backoff=1,
        require_alias=alias,
    )
    errors = (_failure(item) for ok, item in results if not ok)
    return [error for error in errors if error]


def index_rebuild(client, *, progress=None) -> int:
    """Fill a new index and swap the alias to it atomically; a rebuild that fails
    removes its index and leaves the alias where it was."""
    alias = alias_name()
    name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    new_index(name).create(using=client)
    ids = list(Product.objects.browsable().order_by("pk").values_list("pk", flat=True))
    try:
        for start in range(0, len(ids), WRITE_CHUNK):
            products_index(
                client, product_ids=ids[start : start + WRITE_CHUNK], index=name
            )
            if progress:
                progress(min(start + WRITE_CHUNK, len(ids)), len(ids))
        client.indices.refresh(index=name)
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    old = list(client.indices.get_alias(name=alias)) if alias_exists(client) else []
    actions = [{"remove": {"index": o, "alias": alias}} for o in old]
    actions.append({"add": {"index": name, "alias": alias}})
    client.indices.update_aliases(actions=actions)  # atomic swap
    for o in old:
        client.indices.delete(index=o, ignore_unavailable=True)
    return len(ids)


def alias_exists(client) -> bool:
    return bool(client.indices.exists_alias(name=alias_name()))


# --- consistency ----------------------------------------------------------------------


class IndexMissingError(RuntimeError):
    """The alias does not exist: only a rebuild can make the index."""


Columns = tuple[int, str, str, int | None]  # product id, title, article, manufacturer


def database_columns() -> Iterator[Columns]:
    """What each browsable product's document should hold, in product id order."""
    rows = (
        Product.objects.browsable()
        .order_by("pk")
        .values_list("pk", "title", "article_normalized", "manufacturer_id")
    )
    for pk, title, article, manufacturer_id in rows.iterator(chunk_size=SCAN_PAGE):
        yield pk, title or "", article or "", manufacturer_id


def index_columns(client) -> Iterator[Columns]:
    """What each document holds, in product id order, a page of `SCAN_PAGE` at a
    time (the documents drop empty fields: they read as empty here)."""
    if not alias_exists(client):
        raise IndexMissingError(
            f"The search index {alias_name()!r} does not exist: build it with "
            "`manage.py search_index rebuild`."
        )
    after = None
    while True:
        size = SCAN_PAGE
        hits = list(build_document_scan(after=after, size=size, using=client).execute())
        for hit in hits:
            source = hit.to_dict()
            yield (
                int(source["product_id"]),
                source.get("title") or "",
                source.get("article") or "",
                source.get("manufacturer_id"),
            )
        if len(hits) < size:
            return
        after = int(hits[-1].product_id)


def stale_ids(database: Iterable[Columns], index: Iterable[Columns]) -> list[int]:
    """Merge the two id-ordered streams: products without a document, documents of
    products gone or no longer browsable, and documents whose title, article or
    manufacturer differ from the product's (the database backend's check)."""
    stale = []
    want, have = iter(database), iter(index)
    row, doc = next(want, None), next(have, None)
    while row is not None or doc is not None:
        if doc is None or (row is not None and row[0] < doc[0]):
            stale.append(row[0])  # no document
            row = next(want, None)
        elif row is None or doc[0] < row[0]:
            stale.append(doc[0])  # a document left over
            doc = next(have, None)
        else:
            if row != doc:
                stale.append(row[0])  # out of date
            row, doc = next(want, None), next(have, None)
    return stale
