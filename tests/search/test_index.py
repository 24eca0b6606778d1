"""Keeping the index current: signals after commit, and the search_index command."""

from io import StringIO

from django.core.management import call_command

from search.backends import get_backend
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
