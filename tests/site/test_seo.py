"""What search engines read: the sitemap index and its sections hold exactly what a
visitor can see (live public pages, public categories, browsable products), in
files of at most the section's limit; robots.txt; and every public page type has a
description, an absolute canonical without tracking parameters (search results:
noindex instead) and Open Graph tags."""

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.apps.catalogue.models import ProductImage
from PIL import Image
from wagtail.models import Page, PageViewRestriction

from catalog.models import Category, Product
from content.models import ContentPage, HomePage
from search.backends import get_backend
from shop.seo import ProductSitemap
from tests.factories import ManufacturerFactory, ProductFactory

pytestmark = pytest.mark.django_db
BASE = "https://shop.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.SHOP_BASE_URL = BASE + "/"


@pytest.fixture
def site(db):
    """A tree of pages (live, draft, private), categories (public, a hidden one with
    a child) and products (public, hidden, a variant)."""
    home = HomePage.objects.get()
    about = home.add_child(instance=ContentPage(title="About us", slug="about"))
    about.save_revision().publish()
    draft = home.add_child(
        instance=ContentPage(title="Draft", slug="draft", live=False)
    )
    private = home.add_child(instance=ContentPage(title="Private", slug="private"))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    bearings = Category.add_root(name="Bearings", slug="bearings")
    ball = bearings.add_child(name="Ball bearings", slug="ball-bearings")
    hidden = Category.add_root(name="Hidden", slug="hidden", is_public=False)
    hidden_child = hidden.add_child(name="Under hidden", slug="under-hidden")
    maker = ManufacturerFactory(name="SKF")
    product = ProductFactory(title="Ball bearing 6204", article="6204-2RS")
    product.manufacturer = maker
    product.save()
    product.categories.add(ball)
    hidden_product = ProductFactory(title="Withdrawn", is_public=False)
    parent = ProductFactory(title="Bearing family", structure=Product.PARENT)
    variant = ProductFactory(title="Family member", structure=Product.CHILD)
    variant.parent = parent
    variant.save()
    get_backend().rebuild()
    return {
        "home": home,
        "about": about,
        "draft": draft,
        "private": private,
        "bearings": bearings,
        "ball": ball,
        "hidden": hidden,
        "hidden_child": hidden_child,
        "product": Product.objects.get(pk=product.pk),
        "hidden_product": hidden_product,
        "parent": parent,
        "variant": variant,
    }


def _locs(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//s:loc", NS)], root


# -- the sitemap ---------------------------------------------------------------


def test_index_lists_each_section_on_the_base_url(
    client, site, django_assert_max_num_queries
):
    # 9: the pages section first finds the home page's translations.
    with django_assert_max_num_queries(9):
        locs, root = _locs(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    assert locs == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-categories.xml",
        f"{BASE}/sitemap-products.xml",
    ]
    lastmods = [e.text for e in root.iterfind(".//s:sitemap/s:lastmod", NS)]
    assert len(lastmods) == 2  # pages and products; categories carry no date


def test_pages_section_has_live_public_pages_only(
    client, site, django_assert_max_num_queries
):
    # 12: with the home page's translations, the site's root paths and one query
    # for every listed page's translations (hreflang alternates).
    with django_assert_max_num_queries(12):
        locs, _ = _locs(client, "/sitemap-pages.xml")
    assert locs == [f"{BASE}/", f"{BASE}/about/"]

    for n in range(5):  # more pages, not more queries
        site["about"].add_child(instance=ContentPage(title=f"Part {n}", slug=f"p{n}"))
    with django_assert_max_num_queries(12):
        locs, _ = _locs(client, "/sitemap-pages.xml")
    assert locs[2:] == [f"{BASE}/about/p{n}/" for n in range(5)]


def test_categories_section_has_public_categories_only(
    client, site, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        locs, _ = _locs(client, "/sitemap-categories.xml")
    assert locs == [
        BASE + site["bearings"].get_absolute_url(),
        BASE + site["ball"].get_absolute_url(),
    ]
    assert "/catalogue/category/bearings/ball-bearings_" in locs[1]


def test_products_section_has_browsable_products_with_their_date(
    client, site, django_assert_max_num_queries
):
    ProductFactory.create_batch(20)  # more products, not more queries
    with django_assert_max_num_queries(3):
        locs, root = _locs(client, "/sitemap-products.xml")
    product, parent = site["product"], site["parent"]
    assert locs[:2] == [
        BASE + product.get_absolute_url(),
        BASE + parent.get_absolute_url(),
    ]
    assert len(locs) == 22
    assert BASE + site["hidden_product"].get_absolute_url() not in locs
    assert BASE + site["variant"].get_absolute_url() not in locs
    first = root.find("s:url/s:lastmod", NS).text
    # the shop's own calendar day (TIME_ZONE), not UTC's
    assert first == timezone.localdate(product.date_updated).isoformat()


def test_products_are_split_into_files_of_the_limit(client, site, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 1)
    locs, _ = _locs(client, "/sitemap.xml")
    assert locs[2:] == [
        f"{BASE}/sitemap-products.xml",
        f"{BASE}/sitemap-products.xml?p=2",
    ]
    second, _ = _locs(client, "/sitemap-products.xml?p=2")
    assert second == [BASE + site["parent"].get_absolute_url()]
    assert client.get("/sitemap-products.xml?p=3").status_code == 404


def test_a_changed_product_moves_the_index_date(client, site):
    later = timezone.now() + timedelta(days=3)
    Product.objects.filter(pk=site["product"].pk).update(date_updated=later)
    _, root = _locs(client, "/sitemap.xml")
    products = root.findall("s:sitemap", NS)[2]
    assert products.find("s:lastmod", NS).text.startswith(
        timezone.localdate(later).isoformat()
    )


def test_an_unknown_section_is_a_404(client, db):
    assert client.get("/sitemap-orders.xml").status_code == 404


# -- robots.txt ----------------------------------------------------------------


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /catalogue/" in lines
    for path in (
        "/cabinet/",
        "/basket/",
        "/checkout/",
        "/accounts/",
        "/dashboard/",
        "/cms/",
        "/admin/",
        "/api/",
        "/search/?",
    ):
        assert f"Disallow: {path}" in lines, path
    assert "Disallow: /catalogue/" not in lines
    assert lines[-1] == f"Sitemap: {BASE}/sitemap.xml"


# -- the head of each page -----------------------------------------------------


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel"):
            self.links.setdefault(attrs["rel"], []).append(attrs.get("href"))


def _head(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    head = _Head()
    head.feed(response.content.decode().split("</head>")[0])
    return head


def _public_pages(site):
    return {
        "home": ("/", f"{BASE}/"),
        "content page": ("/about/", f"{BASE}/about/"),
        "catalogue": ("/catalogue/", f"{BASE}/catalogue/"),
        "category": (
            site["ball"].get_absolute_url(),
            BASE + site["ball"].get_absolute_url(),
        ),
        "product": (
            site["product"].get_absolute_url(),
            BASE + site["product"].get_absolute_url(),
        ),
    }


@pytest.mark.parametrize(
    "kind", ["home", "content page", "catalogue", "category", "product"]
)
def test_public_page_has_description_canonical_and_open_graph(client, site, kind):
    path, canonical = _public_pages(site)[kind]
    head = _head(client, f"{path}?utm_source=mail&utm_medium=x&gclid=1&page=1")
    (description,) = head.meta["description"]
    assert description.strip()
    assert head.links["canonical"] == [canonical]
    assert "robots" not in head.meta
    assert head.meta["og:url"] == [canonical]
    assert head.meta["og:title"][0].strip()
    assert head.meta["og:description"] == [description]
    assert head.meta["og:type"][0] in ("website", "article", "product")


def test_canonical_keeps_what_changes_the_listing(client, site):
    path = site["ball"].get_absolute_url()
    head = _head(client, f"{path}?page=2&utm_campaign=spring&in_stock=1")
    assert head.links["canonical"] == [f"{BASE}{path}?page=2&in_stock=1"]


def test_product_description_falls_back_to_title_article_and_maker(client, site):
    head = _head(client, site["product"].get_absolute_url())
    assert head.meta["description"] == [
        "Ball bearing 6204 — 6204-2RS, SKF: price and stock"
    ]
    assert head.meta["og:type"] == ["product"]
    assert "og:image" not in head.meta


def test_product_description_is_its_own_text_when_it_has_one(client, site):
    product = site["product"]
    product.description = "<p>Sealed &amp; greased <b>for life</b>.</p>"
    product.save()
    head = _head(client, product.get_absolute_url())
    assert head.meta["description"] == ["Sealed & greased for life."]


def test_product_with_an_image_has_og_image(client, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, format="PNG")
    ProductImage.objects.create(
        product=site["product"],
        original=SimpleUploadedFile("bearing.png", png.getvalue()),
        display_order=0,
    )
    head = _head(client, site["product"].get_absolute_url())
    (image,) = head.meta["og:image"]
    assert re.fullmatch(rf"{BASE}/media/.+bearing.*\.png", image), image


def test_wagtail_page_description_is_its_search_description(client, site):
    about = site["about"]
    about.search_description = "Who we are and where our warehouses stand."
    about.save_revision().publish()
    head = _head(client, "/about/")
    assert head.meta["description"] == ["Who we are and where our warehouses stand."]
    assert head.meta["og:title"] == ["About us"]


def test_search_results_are_noindex_without_canonical(client, site):
    head = _head(client, "/search/?q=6204&utm_source=x")
    assert head.meta["robots"] == ["noindex,follow"]
    assert "canonical" not in head.links
    assert head.meta["description"][0].strip()
    assert head.meta["og:url"] == [f"{BASE}/search/?q=6204"]


def test_page_descriptions_speak_russian(client, site):
    client.cookies["django_language"] = "ru"
    head = _head(client, "/catalogue/")
    assert re.search("[а-яА-Я]", head.meta["description"][0])
    assert head.meta["og:locale"] == ["ru_RU"]
    product = _head(client, site["product"].get_absolute_url())
    assert product.meta["description"] == [
        "Ball bearing 6204 — 6204-2RS, SKF: цена и наличие"
    ]


def test_a_page_without_its_own_description_has_the_site_one(client, db):
    head = _head(client, "/accounts/login/")
    assert head.meta["description"][0].strip()
    assert head.links["canonical"] == [f"{BASE}/accounts/login/"]


def test_pages_section_leaves_out_unpublished_changes(client, site):
    Page.objects.filter(pk=site["about"].pk).update(live=False)
    locs, _ = _locs(client, "/sitemap-pages.xml")
    assert locs == [f"{BASE}/"]


def test_a_missing_page_is_noindex_without_canonical(client, db):
    response = client.get("/no-such-page/?utm_source=x")
    assert response.status_code == 404
    head = _Head()
    head.feed(response.content.decode().split("</head>")[0])
    assert head.meta["robots"] == ["noindex,follow"]
    assert "canonical" not in head.links
