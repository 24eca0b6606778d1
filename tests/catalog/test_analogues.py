"""Analogue groups are transitive: A~B and B~C make A~C; unlinking takes one out."""

import pytest

from catalog.analogues import analogue_link, analogue_unlink
from catalog.models import AnalogueGroup, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _group_of(product):
    product.refresh_from_db()
    if product.analogue_group_id is None:
        return set()
    return set(
        Product.objects.filter(analogue_group_id=product.analogue_group_id).values_list(
            "article", flat=True
        )
    )


def test_link_is_transitive():
    a, b, c = (
        ProductFactory(article="A"),
        ProductFactory(article="B"),
        ProductFactory(article="C"),
    )
    analogue_link(product=a, other=b)
    analogue_link(product=b, other=c)
    assert _group_of(a) == {"A", "B", "C"}
    assert AnalogueGroup.objects.count() == 1


def test_linking_two_groups_merges_them():
    a, b, c, d = (ProductFactory(article=x) for x in "ABCD")
    analogue_link(product=a, other=b)
    analogue_link(product=c, other=d)
    assert AnalogueGroup.objects.count() == 2
    analogue_link(product=b, other=d)
    assert _group_of(a) == {"A", "B", "C", "D"}
    assert AnalogueGroup.objects.count() == 1


def test_relinking_changes_nothing():
    a, b = ProductFactory(article="A"), ProductFactory(article="B")
    analogue_link(product=a, other=b)
    group = Product.objects.get(article="A").analogue_group_id
    analogue_link(product=b, other=a)
    assert Product.objects.get(article="B").analogue_group_id == group


def test_unlink_leaves_the_rest_interchangeable():
    a, b, c = (ProductFactory(article=x) for x in "ABC")
    analogue_link(product=a, other=b)
    analogue_link(product=a, other=c)
    analogue_unlink(product=Product.objects.get(article="B"))
    assert _group_of(a) == {"A", "C"}
    assert _group_of(Product.objects.get(article="B")) == set()


def test_unlinking_the_second_to_last_dissolves_the_group():
    a, b = ProductFactory(article="A"), ProductFactory(article="B")
    analogue_link(product=a, other=b)
    analogue_unlink(product=Product.objects.get(article="A"))
    assert _group_of(b) == set()
    assert AnalogueGroup.objects.count() == 0
