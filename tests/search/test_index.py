"""Keeping the index current: signals after commit, and the search_index command."""

from io import StringIO

from django.core.management import call_command

from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import table_read
from catalog.models import CompanyPartNumber, CrossReference
from catalog.partner.services import stockrecord_allocate
from search.backends import get_backend
from search.backends.base import Filters
from tests.factories import ProductFactory


def test_saved_products_are_searchable_after_commit(
    catalogue, django_capture_on_commit_callbacks
):
    backend = get_backend("database")
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(title="Муфта упругая", article="MUF-1")
    assert [h.product for h in backend.search(query="муфты").hits] == [product]
    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Шкив ременный"
        product.save()
    assert backend.search(query="муфта").count == 0
    assert backend.search(query="шкивы").count == 1
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert backend.search(query="шкив").count == 0


def test_search_index_command(catalogue):
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=StringIO())
    assert "Indexed 7 products." in out.getvalue()
    out = StringIO()
    call_command("search_index", "update", stdout=out, stderr=StringIO())
    assert "Indexed 7 products." in out.getvalue()
    assert get_backend().search(query="подшипники").count == 2


def _in_stock(backend, query):
    return [
        h.product.article
        for h in backend.search(query=query, filters=Filters(in_stock=True)).hits
    ]


def test_stock_changes_reach_the_in_stock_filter(
    catalogue, django_capture_on_commit_callbacks
):
    """Result lists filter and count on stock: receiving goods, allocating the last
    unit to an order and deleting a stock record re-index the product."""
    backend = get_backend("database")
    roller = catalogue["products"]["roller"]  # its only stock record holds 0
    assert "HB-M8/400" not in _in_stock(backend, "подшипник")
    record = roller.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 3
        record.save()
    assert "HB-M8/400" in _in_stock(backend, "подшипник")
    page = backend.search(query="подшипник")
    assert page.facets["in_stock"][0]["count"] == 2  # ball and roller
    with django_capture_on_commit_callbacks(execute=True):
        stockrecord_allocate(stockrecord=record, quantity=3)
    assert "HB-M8/400" not in _in_stock(backend, "подшипник")
    ball = catalogue["products"]["ball"]
    with django_capture_on_commit_callbacks(execute=True):
        ball.stockrecords.all().delete()
    assert _in_stock(backend, "подшипник") == []


def test_category_links_reach_the_category_filter(
    catalogue, django_capture_on_commit_callbacks
):
    backend = get_backend("database")
    belts = catalogue["categories"]["belts"]
    hose = catalogue["products"]["hose"]

    def in_belts():
        return {
            h.product.article
            for h in backend.search(
                query="hose", filters=Filters(categories=[belts.pk])
            ).hits
        }

    assert in_belts() == set()
    with django_capture_on_commit_callbacks(execute=True):
        hose.categories.add(belts)
    assert in_belts() == {"HOSE-1"}
    facet = backend.search(query="hose").facets["category"]
    assert [(f["label"], f["count"]) for f in facet] == [("Belts", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        belts.product_set.clear()
    assert in_belts() == set()


def test_imported_products_are_found_by_name(db, django_capture_on_commit_callbacks):
    """The import writes in bulk (no model signals); its products are searchable by
    name and filterable by stock as soon as it commits."""
    with django_capture_on_commit_callbacks(execute=True):
        report = catalog_import(
            table=table_read(
                data="article;name;price;stock\nCPL-7;Муфта кулачковая;100;4\n".encode()
            )
        )
    assert report.applied
    backend = get_backend("database")
    assert [h.product.article for h in backend.search(query="муфты").hits] == ["CPL-7"]
    assert _in_stock(backend, "муфта") == ["CPL-7"]
    with django_capture_on_commit_callbacks(execute=True):
        catalog_import(
            table=table_read(
                data="article;name;price;stock\nCPL-7;Муфта кулачковая;100;0\n".encode()
            )
        )
    assert _in_stock(backend, "муфта") == []


def test_one_transaction_reindexes_its_products_once(
    catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    """An order touching many stock records re-indexes each product once, together."""
    calls = []
    backend_class = type(get_backend("database"))
    original = backend_class.index_products

    def counted(self, *, product_ids):
        calls.append(list(product_ids))
        return original(self, product_ids=product_ids)

    monkeypatch.setattr(backend_class, "index_products", counted)
    products = catalogue["products"]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            for key in ("ball", "english"):
                record = products[key].stockrecords.get()
                record.num_in_stock += 1
                record.save()
    assert len(calls) == 1
    assert {products["ball"].pk, products["english"].pk} <= set(calls[0])


def test_an_index_that_cannot_be_written_does_not_fail_the_change(
    catalogue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The stock change has committed when the index is written: a search cluster
    that is down is logged, the products are retried with the next commit."""
    backend_class = type(get_backend("database"))
    original = backend_class.index_products
    written = []

    def down(self, *, product_ids):
        raise ConnectionError("search cluster unreachable")

    def up(self, *, product_ids):
        written.extend(product_ids)
        return original(self, product_ids=product_ids)

    roller = catalogue["products"]["roller"]
    record = roller.stockrecords.get()
    monkeypatch.setattr(backend_class, "index_products", down)
    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 3
        record.save()  # no exception reaches the caller
    record.refresh_from_db()
    assert record.num_in_stock == 3  # the change stands
    assert "search cluster unreachable" in caplog.text
    monkeypatch.setattr(backend_class, "index_products", up)
    with django_capture_on_commit_callbacks(execute=True):
        ProductFactory(title="Шкив", article="PUL-1")
    assert roller.pk in written  # retried with the next commit
    assert "HB-M8/400" in _in_stock(get_backend("database"), "подшипник")


def test_numbers_reindex_their_product(
    catalogue, company, django_capture_on_commit_callbacks, monkeypatch
):
    """Elasticsearch's documents hold cross-references and the companies' own numbers:
    adding or removing one re-indexes its product."""
    calls = []
    backend_class = type(get_backend("database"))
    monkeypatch.setattr(
        backend_class,
        "index_products",
        lambda self, *, product_ids: calls.append(set(product_ids)),
    )
    hose = catalogue["products"]["hose"]
    with django_capture_on_commit_callbacks(execute=True):
        crossref = CrossReference.objects.create(product=hose, number="DIN 20066")
    assert hose.pk in calls[-1]
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        crossref.delete()
    assert hose.pk in calls[-1]
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        CompanyPartNumber.objects.create(company=company, product=hose, number="H-9")
    assert hose.pk in calls[-1]


def test_new_products_are_found_by_misspelt_names(
    catalogue, django_capture_on_commit_callbacks
):
    """Close spellings come from the catalogue's own words, which grow with it."""
    backend = get_backend("database")
    with django_capture_on_commit_callbacks(execute=True):
        coupling = ProductFactory(title="Муфта кулачковая", article="CPL-9")
    page = backend.search(query="муфта кулачкавая")
    assert [h.product for h in page.hits] == [coupling]
    assert page.corrected
    assert backend.search(query="кулачкавая шестерня").count == 0  # every word counts
