"""Readable category and product URLs: Cyrillic names are transliterated into the
slug; the migration re-slugs the categories (and products) Oscar had escaped, and
an old category URL answers 301 with the new one."""

import importlib

import pytest
from django.apps import apps
from oscar.core.utils import cautious_slugify, slugify

from catalog.models import Category
from catalog.slugs import slug_transliterate
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("catalog.migrations.0035_transliterate_slugs")


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Подшипники", "podshipniki"),
        ("Крепёж и метизы", "krepezh-i-metizy"),
        ("Ball bearings 6204-2RS", "ball-bearings-6204-2rs"),
        ("Щётка 12 мм", "shchetka-12-mm"),
    ],
)
def test_slug_is_transliterated(name, slug):
    assert slug_transliterate(name) == slug
    assert slugify(name) == slug  # Oscar's slugify uses it (OSCAR_SLUG_FUNCTION)


def test_new_category_and_product_get_readable_slugs():
    category = Category.add_root(name="Подшипники")
    product = ProductFactory(title="Подшипник шариковый", slug="")

    assert category.slug == "podshipniki"
    assert (
        category.get_absolute_url() == f"/catalogue/category/podshipniki_{category.pk}/"
    )
    assert product.slug == "podshipnik-sharikovyy"


def test_migration_reslugs_escaped_categories_and_old_url_redirects(client):
    parent = Category.add_root(name="Подшипники")
    child = parent.add_child(name="Шариковые")
    own = Category.add_root(name="Инструмент")
    escaped = {c.pk: cautious_slugify(c.name) for c in (parent, child)}
    for pk, slug in escaped.items():
        Category.objects.filter(pk=pk).update(slug=slug)
    Category.objects.filter(pk=own.pk).update(slug="tools-u0438")  # typed by someone
    product = ProductFactory(title="Подшипник 6204")
    ProductFactory._meta.model.objects.filter(pk=product.pk).update(
        slug=cautious_slugify(product.title)
    )
    old_url = (
        f"/catalogue/category/{escaped[parent.pk]}/{escaped[child.pk]}_{child.pk}/"
    )
    assert escaped[child.pk].startswith("u0428")

    migration.slugs_transliterate(apps, None)

    child.refresh_from_db()
    assert child.slug == "sharikovye"
    assert Category.objects.get(pk=own.pk).slug == "tools-u0438"
    product.refresh_from_db()
    assert product.slug == "podshipnik-6204"
    new_url = f"/catalogue/category/podshipniki/sharikovye_{child.pk}/"
    response = client.get(f"{old_url}?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"{new_url}?page=2"
    assert client.get(new_url).status_code == 200


def test_old_product_url_redirects_to_the_new_one(client):
    product = ProductFactory(title="Подшипник 6204")
    old = f"/catalogue/{cautious_slugify(product.title)}_{product.pk}/"

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == product.get_absolute_url()
