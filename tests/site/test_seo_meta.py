"""Every public page of a demo-like site, in English and in Russian, has its own
non-empty meta description, one canonical URL (search results: `noindex` instead),
og:title and og:url."""

from html.parser import HTMLParser

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from content.models import ArticlePage, CaseStudyPage, ContentPage, HomePage
from search.backends import get_backend
from shop.demo.content import build_demo_content
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
BASE = "https://shop.example"


@pytest.fixture(autouse=True)
def base_url(settings, tmp_path):
    settings.SHOP_BASE_URL = BASE + "/"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo():
    category = create_from_breadcrumbs("Подшипники > Шариковые")
    product = ProductFactory(title="Подшипник 6204", article="6204-2RS")
    product.categories.add(category)
    build_demo_content()
    home = HomePage.objects.get(locale__language_code="en")
    info = home.add_child(instance=ContentPage(title="Delivery", slug="delivery"))
    info.save_revision().publish()  # no search description: its intro or the site's
    get_backend().rebuild()
    article = ArticlePage.objects.filter(locale__language_code="en").first()
    article_ru = ArticlePage.objects.filter(locale__language_code="ru").first()
    return {
        "home": "/",
        "home (ru)": "/ru/",
        "landing": "/construction/",
        "landing (ru)": "/ru/manufacturing/",
        "article index": "/articles/",
        "article index (ru)": "/ru/articles/",
        "article": article.url,
        "article (ru)": article_ru.url,
        "case study": CaseStudyPage.objects.get(locale__language_code="en").url,
        "case study (ru)": CaseStudyPage.objects.get(locale__language_code="ru").url,
        "content page": "/delivery/",
        "catalogue": "/catalogue/",
        "category": category.get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": "/search/?q=6204",
        "login": "/accounts/login/",
        "register": "/accounts/register/",
        "leads": "/leads/",
    }


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.canonical = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            key = attrs.get("name") or attrs.get("property")
            self.meta.setdefault(key, []).append(attrs.get("content") or "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href"))


PAGES = [
    "home",
    "home (ru)",
    "landing",
    "landing (ru)",
    "article index",
    "article index (ru)",
    "article",
    "article (ru)",
    "case study",
    "case study (ru)",
    "content page",
    "catalogue",
    "category",
    "product",
    "search",
    "login",
    "register",
    "leads",
]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_public_page_has_description_canonical_and_open_graph(
    client, demo, language
):
    client.cookies["django_language"] = language
    for name in PAGES:
        response = client.get(demo[name], follow=True)
        assert response.status_code == 200, name
        head = _Head()
        head.feed(response.content.decode().split("</head>")[0])
        (description,) = head.meta["description"]
        assert description.strip(), name
        if name == "search":  # results are not indexed: noindex, no canonical
            assert head.meta["robots"] == ["noindex,follow"]
            assert head.canonical == []
        else:
            assert len(head.canonical) == 1, name
            assert head.canonical[0].startswith(BASE), name
            assert head.meta["og:url"] == head.canonical, name
        assert head.meta["og:title"][0].strip(), name


def test_pages_describe_themselves(client, demo):
    """A Wagtail page's description is its own text, not the site's default."""
    default = _description(client, "/catalogue/")
    for name in ("landing", "article", "case study", "article index (ru)"):
        assert _description(client, demo[name]) != default, name


def _description(client, url):
    head = _Head()
    head.feed(client.get(url).content.decode().split("</head>")[0])
    return head.meta["description"][0]
