"""Wagtail's admin pages carry no shop search form: Oscar's `search_form` context
value is only given to the storefront (`shop.context_processors.shop_search_form`)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url", ["/cms/reports/locked/", "/cms/reports/site-history/", "/cms/"]
)
def test_admin_reports_have_no_shop_search_form(superuser_client, url):
    response = superuser_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-search"' not in html


def test_the_storefront_keeps_its_search_form(client):
    response = client.get("/catalogue/")

    assert response.status_code == 200
    assert 'class="site-search"' in response.content.decode()
