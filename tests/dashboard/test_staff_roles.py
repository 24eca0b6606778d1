"""The account managers' role: its group, its menu (every entry opens), the demo
manager in it; superusers keep the whole dashboard."""

import importlib
import re
from random import Random

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.staff import ACCOUNT_MANAGERS, COMPANY_ORDERS_PERMISSION
from shop.demo.accounts import build_people
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def menu_links(html: str) -> list[str]:
    """The dashboard URLs in the menu of a rendered dashboard page."""
    menu = re.search(r'<nav class="[^"]*navbar-primary">(.*?)</nav>', html, re.S)
    assert menu, "no dashboard menu on the page"
    return sorted(set(re.findall(r'href="(/dashboard/[^"]*)"', menu[1])))


def page_links(html: str) -> list[str]:
    """Every dashboard URL a rendered page links to (the logout is a form)."""
    return sorted(set(re.findall(r'href="(/dashboard/[^"]*)"', html)))


def test_the_data_migration_creates_the_group_with_its_permission():
    Group.objects.filter(name=ACCOUNT_MANAGERS).delete()
    migration = importlib.import_module("accounts.migrations.0003_staff_roles")

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent

    group = Group.objects.get(name=ACCOUNT_MANAGERS)
    assert [
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    ] == [COMPANY_ORDERS_PERMISSION]


def test_every_menu_entry_a_manager_sees_opens(manager_client, own, foreign):
    home = manager_client.get("/dashboard/")
    assert home.status_code == 200
    links = menu_links(home.content.decode())

    assert links == [
        "/dashboard/",
        "/dashboard/catalog/import/",
        "/dashboard/catalog/jobs/",
        "/dashboard/companies/",
        "/dashboard/invoicing/",
        "/dashboard/leads/",
        "/dashboard/orders/",
        "/dashboard/orders/statistics/",
        "/dashboard/pricing/",
        "/dashboard/serials/",
    ]
    for url in links:
        assert manager_client.get(url).status_code == 200, url


def test_the_home_page_links_a_manager_only_to_pages_that_open(
    manager_client, own, foreign
):
    links = page_links(manager_client.get("/dashboard/").content.decode())

    assert "/dashboard/orders/" in links
    assert not [url for url in links if url.startswith("/dashboard/catalogue/")]
    for url in links:
        assert manager_client.get(url).status_code == 200, url


def test_a_manager_cannot_open_the_catalogue_hidden_from_the_menu(manager_client):
    assert manager_client.get("/dashboard/catalogue/").status_code == 403
    assert manager_client.get("/dashboard/catalogue/categories/").status_code == 403


def test_staff_outside_the_role_get_no_order_pages(client, own):
    client.force_login(StaffFactory())

    links = menu_links(client.get("/dashboard/").content.decode())

    assert "/dashboard/orders/" not in links
    assert client.get("/dashboard/orders/").status_code == 403


def test_a_superuser_keeps_every_menu_entry(client, staff_user, own, foreign):
    client.force_login(staff_user)
    links = menu_links(client.get("/dashboard/").content.decode())

    for url in (
        "/dashboard/catalogue/",
        "/dashboard/catalogue/categories/",
        "/dashboard/users/",
        "/dashboard/orders/",
        "/dashboard/leads/",
        "/dashboard/reports/",
    ):
        assert url in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_load_demo_makes_the_demo_manager_an_account_manager():
    build_people(rng=Random(7))

    manager = User.objects.get(email="manager@demo.local")
    assert manager.is_staff and not manager.is_superuser
    assert list(manager.groups.values_list("name", flat=True)) == [ACCOUNT_MANAGERS]
    assert manager.has_perm(COMPANY_ORDERS_PERMISSION)
