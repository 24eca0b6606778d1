"""Dashboard tables sort only by columns the database can sort by: `?sort=` naming a
row's checkbox or its action buttons is ignored instead of answering 500."""

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_class

from accounts.models import User
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

TABLES = [
    ("dashboard.catalogue.tables", "ProductTable"),
    ("dashboard.catalogue.tables", "CategoryTable"),
    ("dashboard.catalogue.tables", "AttributeOptionGroupTable"),
    ("dashboard.catalogue.tables", "OptionTable"),
    ("dashboard.users.tables", "UserTable"),
]


@pytest.fixture
def rows(staff_user):
    ProductFactory(title="Bearing 6204")
    ProductFactory(title="Anchor bolt M8")
    create_from_breadcrumbs("Bearings > Ball bearings")


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/catalogue/?sort=checkbox",
        "/dashboard/catalogue/?sort=-checkbox",
        "/dashboard/catalogue/categories/?sort=checkbox",
        "/dashboard/users/?sort=actions",
        "/dashboard/users/?sort=-actions",
    ],
)
def test_sorting_by_a_column_without_a_field_is_ignored(client, staff_user, rows, url):
    client.force_login(staff_user)

    response = client.get(url)

    assert response.status_code == 200
    assert 'href="?sort=checkbox"' not in response.content.decode()
    assert 'href="?sort=actions"' not in response.content.decode()


def test_sorting_by_a_field_column_still_sorts(client, staff_user, rows):
    client.force_login(staff_user)

    response = client.get("/dashboard/catalogue/?sort=title")

    titles = [row.record.title for row in response.context["products"].rows]
    assert titles == ["Anchor bolt M8", "Bearing 6204"]


@pytest.mark.parametrize(("module", "name"), TABLES)
def test_every_sortable_column_of_every_dashboard_table_sorts(module, name, rows):
    table_class = get_class(module, name)
    model = table_class._meta.model or User
    table = table_class(model.objects.all())

    for column in table.columns:
        for alias in (column.name, f"-{column.name}"):
            table.order_by = alias
            list(table.data.data)  # runs the sorted query
    sortable = [column.name for column in table.columns.iterorderable()]
    assert "checkbox" not in sortable and "actions" not in sortable


def test_the_list_above_names_every_dashboard_table():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    base = get_class("dashboard.tables", "DashboardTable")
    found = {cls.__name__ for cls in subclasses(base)}
    assert found == {name for _module, name in TABLES}
