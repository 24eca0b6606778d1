"""Error pages: a styled 404 inside the layout, a static 500 that needs nothing."""

import pytest


@pytest.mark.django_db
@pytest.mark.urls("tests.site.error_urls")
def test_server_error_renders_the_static_500_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "Произошла ошибка на нашей стороне" in html
    assert "the database went away" not in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_unknown_catalogue_path_gives_styled_404_with_search(client):
    response = client.get("/catalogue/no-such-product_999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'name="q"' in html
