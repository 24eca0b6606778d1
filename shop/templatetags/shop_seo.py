"""The head of every page for search engines and link previews: description,
canonical URL (or `noindex` for search results), Open Graph tags. The layout's
`{% block meta %}` calls `{% seo_meta %}`; each page type fills it with its own."""

from html import unescape

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from shop.i18n import page_alternates
from shop.seo import absolute_url, canonical_url

register = template.Library()

DESCRIPTION_WORDS = 40  # about the 160 characters a result snippet shows
OG_LOCALES = {"en": "en_US", "ru": "ru_RU"}


def _clean(text) -> str:
    # Plain text (the template escapes it once): tags out, entities decoded.
    plain = " ".join(unescape(strip_tags(str(text or ""))).split())
    return Truncator(plain).words(DESCRIPTION_WORDS)


@register.inclusion_tag("shop/seo/meta.html", takes_context=True)
def seo_meta(
    context,
    title="",
    description="",
    path=None,
    image="",
    og_type="website",
    noindex=False,
):
    """`path` is the page's own URL when the request's path and query are not
    (a product page); `image` a path or URL of the preview image. On a Wagtail page
    (`page` in the context) the canonical URL is the page's own in its language,
    with an hreflang alternate for every translation."""
    request = context.get("request")
    shop_name = context.get("shop_name", settings.OSCAR_SHOP_NAME)
    page = context.get("page")
    alternates = []
    if isinstance(page, Page):
        path = page.get_url(request)
        alternates = [
            (code, canonical_url(request=request, path=href))
            for code, href in page_alternates(page, request)
        ]
    url = canonical_url(request=request, path=path) if request else absolute_url("/")
    if image and image.startswith("/"):
        image = absolute_url(image)
    return {
        "description": _clean(description)
        or _(
            "Wholesale bearings, fasteners, electrical and pneumatic parts for "
            "business: find parts by article number, see prices and stock."
        ),
        "title": _clean(title) or shop_name,
        "shop_name": shop_name,
        "url": url,
        "image": image,
        "og_type": og_type,
        "noindex": noindex,
        "alternates": [] if noindex else alternates,
        "locale": OG_LOCALES.get((get_language() or "en")[:2], "en_US"),
    }


@register.simple_tag
def product_meta_description(product) -> str:
    """The product's own description, or what a buyer searches it for."""
    text = product.get_meta_description()
    if strip_tags(text or "").strip():
        return text
    parts = [product.article, getattr(product.manufacturer, "name", "")]
    details = ", ".join(part for part in parts if part)
    if details:
        return _("%(title)s — %(details)s: price and stock") % {
            "title": product.get_title(),
            "details": details,
        }
    return _("%(title)s: price and stock") % {"title": product.get_title()}


@register.simple_tag
def product_meta_image(product) -> str:
    image = product.primary_image()
    if isinstance(image, dict):  # Oscar's placeholder when there is no image
        return ""
    return image.original.url if image.original else ""


@register.simple_tag
def category_meta_description(category) -> str:
    text = category.get_meta_description()
    if strip_tags(text or "").strip():
        return text
    return _(
        "%(name)s wholesale: find by article number, compare analogues, see "
        "prices and stock."
    ) % {"name": category.name}


@register.simple_tag
def page_meta_description(page) -> str:
    """A Wagtail page's own description (`meta_description`: its search
    description, else its introduction); empty lets `seo_meta` use the site's."""
    describe = getattr(page, "meta_description", None)
    if callable(describe):
        return describe()
    return getattr(page, "search_description", "")
