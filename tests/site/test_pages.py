"""The site answers: home, catalogue, back-office logins, styled 404."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/catalogue/",
        "/cms/login/",
        "/dashboard/login/",
        "/admin/login/",
        "/robots.txt",
        "/sitemap.xml",
    ],
)
def test_main_pages_answer(client, url):
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_home_is_the_wagtail_home_page(client):
    response = client.get("/")
    assert response.context["page"].specific.__class__.__name__ == "HomePage"
    assert b"Get your wholesale prices" in response.content


@pytest.mark.django_db
def test_unknown_url_gives_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"site-header" in response.content


@pytest.mark.django_db
def test_api_root_lists_every_endpoint_and_none_fails_anonymously(client):
    data = client.get("/api/v1/").json()
    assert data["version"] == 1
    urls = {name: entry["url"] for name, entry in data["endpoints"].items()}
    assert urls["search"] == "/api/v1/search"
    assert urls["cabinet_quick_order"] == "/api/v1/cabinet/quick-order/resolve"
    for url in urls.values():
        # Visitors are told what is wrong (401, 405, 400) or served; never a 500.
        assert client.get(url).status_code in (200, 400, 401, 403, 405), url
