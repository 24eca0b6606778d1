"""Search engines and two languages: the sitemap lists every live page in each
language with hreflang alternates, robots.txt points to the index, and a Wagtail
page's head carries its own canonical URL and an alternate per translation."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from wagtail.models import Locale

from content.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db
BASE = "https://shop.example"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.SHOP_BASE_URL = BASE + "/"


@pytest.fixture
def pages():
    ru = Locale.objects.get(language_code="ru")
    home = HomePage.objects.get()
    about = home.add_child(instance=ContentPage(title="About us", slug="about"))
    about.save_revision().publish()
    only_en = home.add_child(instance=ContentPage(title="Careers", slug="careers"))
    only_en.save_revision().publish()
    home_ru = home.copy_for_translation(ru)
    home_ru.save_revision().publish()
    about_ru = about.copy_for_translation(ru)
    about_ru.title, about_ru.slug = "О компании", "o-kompanii"
    about_ru.save_revision().publish()
    draft_ru = only_en.copy_for_translation(ru)  # a draft translation: not listed
    return {"about": about, "about_ru": about_ru, "draft_ru": draft_ru}


def _sitemap(client):
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.find("s:loc", NS).text: [
            (link.get("hreflang"), link.get("href"))
            for link in url.iterfind("x:link", NS)
        ]
        for url in root.iterfind("s:url", NS)
    }


def test_sitemap_lists_every_live_page_in_both_languages(client, pages):
    urls = _sitemap(client)

    assert sorted(urls) == sorted(
        [
            f"{BASE}/",
            f"{BASE}/about/",
            f"{BASE}/careers/",
            f"{BASE}/ru/",
            f"{BASE}/ru/o-kompanii/",
        ]
    )
    about = [
        ("en", f"{BASE}/about/"),
        ("ru", f"{BASE}/ru/o-kompanii/"),
        ("x-default", f"{BASE}/about/"),
    ]
    assert urls[f"{BASE}/about/"] == about
    assert urls[f"{BASE}/ru/o-kompanii/"] == about
    assert urls[f"{BASE}/careers/"] == []  # one language: no alternates


def test_sitemap_queries_do_not_grow_with_translations(
    client, pages, django_assert_max_num_queries
):
    ru = Locale.objects.get(language_code="ru")
    home = HomePage.objects.get(locale__language_code="en")
    for n in range(4):
        page = home.add_child(instance=ContentPage(title=f"P{n}", slug=f"p{n}"))
        page.save_revision().publish()
        page.copy_for_translation(ru).save_revision().publish()

    # The same budget as one page in one language (tests/site/test_seo.py).
    with django_assert_max_num_queries(12):
        urls = _sitemap(client)

    assert f"{BASE}/ru/p3/" in urls and f"{BASE}/p3/" in urls
    assert len(urls) == 5 + 8


def test_robots_points_to_the_sitemap_index(client):
    text = client.get("/robots.txt").content.decode()

    assert f"Sitemap: {BASE}/sitemap.xml" in text


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical, self.alternates, self.og_url = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs["hreflang"], attrs["href"]))
        elif tag == "meta" and attrs.get("property") == "og:url":
            self.og_url.append(attrs["content"])


def _links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    links = _Links()
    links.feed(response.content.decode().split("</head>")[0])
    return links


@pytest.mark.parametrize(
    "url,canonical",
    [("/about/", f"{BASE}/about/"), ("/ru/o-kompanii/", f"{BASE}/ru/o-kompanii/")],
)
def test_a_page_has_its_canonical_and_hreflang_alternates(
    client, pages, url, canonical
):
    links = _links(client, url)

    assert links.canonical == [canonical]
    assert links.og_url == [canonical]
    assert links.alternates == [
        ("en", f"{BASE}/about/"),
        ("ru", f"{BASE}/ru/o-kompanii/"),
        ("x-default", f"{BASE}/about/"),
    ]


def test_the_russian_home_is_its_own_canonical(client, pages):
    links = _links(client, "/ru/")

    assert links.canonical == [f"{BASE}/ru/"]
    assert ("en", f"{BASE}/") in links.alternates


def test_a_page_in_one_language_has_no_alternates(client, pages):
    links = _links(client, "/careers/")

    assert links.canonical == [f"{BASE}/careers/"]
    assert links.alternates == []


def test_shop_pages_have_no_alternates(client, pages):
    links = _links(client, "/catalogue/")

    assert links.canonical == [f"{BASE}/catalogue/"]
    assert links.alternates == []
