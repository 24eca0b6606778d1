"""What search engines read: the sitemap index and its sections (Wagtail pages,
categories, products), robots.txt, and the absolute, tracking-free canonical URL of
a page. Every absolute URL is built from `SHOP_BASE_URL`, never from the request's
Host header, so a cached page or sitemap cannot carry a forged host.

A Wagtail page has one URL per language (`shop.i18n`): the pages section lists every
translation as its own `<url>` with `xhtml:link` alternates to the others. The shop's
own pages (categories, products) speak the visitor's language on one URL."""

from functools import cached_property
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from catalog.models import Category, Product
from shop.i18n import LANGUAGE_ORDER

# Query parameters that only say where a visitor came from.
TRACKING_PARAMS = frozenset({"gclid", "yclid", "ysclid", "fbclid", "_openstat"})
# The search engines' own limit of URLs per sitemap file.
SITEMAP_LIMIT = 50_000


def absolute_url(path: str) -> str:
    """`path` (starting with /) on the public site."""
    return settings.SHOP_BASE_URL.rstrip("/") + path


def _is_tracking(name: str, value: str) -> bool:
    return (
        name.startswith("utm_")
        or name in TRACKING_PARAMS
        or (name == "page" and value == "1")
    )


def canonical_url(*, request, path: str | None = None) -> str:
    """The page's absolute URL without tracking parameters and without `page=1`;
    other parameters (a category's filters, page 2) stay. `path` replaces the
    request's path and query (an object's own URL)."""
    if path and "://" in path:  # an object's absolute URL: its path on our base
        parts = urlsplit(path)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path:
        path = request.path
        params = [
            (name, value)
            for name, values in request.GET.lists()
            for value in values
            if not _is_tracking(name, value)
        ]
        if params:
            path = f"{path}?{urlencode(params)}"
    return absolute_url(path)


# -- the sitemap ---------------------------------------------------------------


class _ShopSitemapMixin:
    """Locations on `SHOP_BASE_URL` (Django's default is the `sites` framework's
    domain, example.com unless someone sets it)."""

    limit = SITEMAP_LIMIT

    @property
    def protocol(self):
        return urlsplit(settings.SHOP_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SHOP_BASE_URL).netloc


def _on_base(url: str) -> str:
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class PagesSitemap(_ShopSitemapMixin, WagtailSitemap):
    """Live, public Wagtail pages of the request's site in every language (the
    site's home and its translations, each with its tree; each page's
    `get_sitemap_urls`), on the shop's base URL, each with its translations as
    hreflang alternates."""

    @cached_property
    def _in_trees(self) -> Q:
        roots = Page.objects.filter(
            translation_key=self.get_wagtail_site().root_page.translation_key
        )
        in_trees = Q()
        for path in roots.values_list("path", flat=True):
            in_trees |= Q(path__startswith=path)
        return in_trees

    def items(self):
        return (
            Page.objects.filter(self._in_trees)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        # Wagtail's loop (each page's `get_sitemap_urls`, the latest date), with
        # the locations on the base URL and the alternates of each.
        items = list(self.paginator.page(page).object_list)
        alternates = self._alternates(items)
        urls, last_mods = [], set()
        for item in items:
            for url in item.get_sitemap_urls(self.request):
                url["location"] = _on_base(url["location"])
                url["alternates"] = alternates.get(url["location"], [])
                urls.append(url)
                last_mods.add(url.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _alternates(self, items) -> dict[str, list[dict]]:
        """location → hreflang alternates of the translation group it is in (one
        query for the whole file; none for a page in one language)."""
        keys = {item.translation_key for item in items}
        groups: dict = {}
        translations = (
            Page.objects.filter(translation_key__in=keys)
            .live()
            .public()
            .select_related("locale")
        )
        for found in translations:
            groups.setdefault(found.translation_key, {})[found.locale.language_code] = (
                _on_base(found.get_full_url(self.request))
            )
        by_location: dict[str, list[dict]] = {}
        for urls in groups.values():
            if len(urls) < 2:
                continue
            links = [
                {"lang_code": code, "location": urls[code]}
                for code in LANGUAGE_ORDER
                if code in urls
            ]
            default = urls.get(settings.LANGUAGE_CODE, links[0]["location"])
            links.append({"lang_code": "x-default", "location": default})
            for location in urls.values():
                by_location[location] = links
        return by_location

    def get_latest_lastmod(self):
        # One aggregate instead of Django's walk over every item; the same dates
        # as `lastmod` (Wagtail falls back on the latest revision's).
        dates = Coalesce("last_published_at", "latest_revision_created_at")
        return self.items().order_by().aggregate(latest=Max(dates))["latest"]


class CategorySitemap(_ShopSitemapMixin, Sitemap):
    """Public categories whose ancestors are public, with their full slugs built
    from the tree in one query (Oscar's `get_absolute_url` asks for each parent)."""

    def items(self):
        categories = list(
            Category.objects.browsable().only("pk", "path", "slug").order_by("path")
        )
        full_slugs: dict[str, str] = {}
        for category in categories:
            parent = full_slugs.get(category.path[: -category.steplen])
            full_slug = f"{parent}/{category.slug}" if parent else category.slug
            full_slugs[category.path] = full_slug
            category.sitemap_location = reverse(
                "catalogue:category",
                kwargs={"category_slug": full_slug, "pk": category.pk},
            )
        return categories

    def location(self, item):
        return item.sitemap_location


class ProductSitemap(_ShopSitemapMixin, Sitemap):
    """Browsable products (public parents and standalone products), by id, in files
    of at most 50,000, with the date they last changed."""

    def items(self):
        return (
            Product.objects.browsable()
            .only("pk", "slug", "date_updated")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.date_updated

    def get_latest_lastmod(self):
        return self.items().order_by().aggregate(latest=Max("date_updated"))["latest"]


SITEMAPS = {
    "pages": PagesSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
}


def _sitemaps(request) -> dict:
    return {
        name: cls(request) if issubclass(cls, WagtailSitemap) else cls()
        for name, cls in SITEMAPS.items()
    }


@require_safe
@x_robots_tag
def sitemap_index(request):
    """`/sitemap.xml`: one entry per section file (`?p=2` for the next 50,000),
    built on `SHOP_BASE_URL` like the locations inside."""
    items = []
    for section, site in _sitemaps(request).items():
        location = absolute_url(reverse("sitemap-section", args=[section]))
        lastmod = site.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        for page in range(2, site.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
    )


@require_safe
def sitemap_section(request, section):
    """`/sitemap-<section>.xml[?p=N]`: Django's sitemap view over one section."""
    sitemaps = _sitemaps(request)
    if section not in sitemaps:
        raise Http404
    return django_sitemap(request, sitemaps, section=section)


# -- robots.txt ----------------------------------------------------------------


@require_safe
def robots_txt(request):
    text = loader.render_to_string(
        "shop/robots.txt", {"sitemap_url": absolute_url(reverse("sitemap"))}
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
