"""Languages of Wagtail pages: a page's live translations, the visitor's own
language, the redirect to the translation in it, and the header's EN/RU switch.

A Wagtail page has one URL per language: English unprefixed (`/articles/`), Russian
under `/ru/` (`shop.urls`, `shop.middleware.PageLocaleMiddleware`). The shop's other
pages stay unprefixed and speak the visitor's language (cookie, then
Accept-Language). docs/ARCHITECTURE.md ("Languages") has the whole picture."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language
from wagtail.models import Page

# The order of the languages wherever translations are listed (hreflang, sitemap).
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def page_translations(page) -> list:
    """The page and its live, public translations, one per language, in the order of
    `LANGUAGES` (the page itself when it is not live, so a preview still has one)."""
    pages = list(
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .public()
        .select_related("locale")
    )
    if not any(found.pk == page.pk for found in pages):
        pages.append(page)
    by_language = {found.locale.language_code: found for found in pages}
    return [by_language[code] for code in LANGUAGE_ORDER if code in by_language]


def page_in_language(page, language: str):
    """The page's live translation in `language`, else the page itself (a page
    without a translation shows the one that exists)."""
    for found in page_translations(page):
        if found.locale.language_code == language:
            return found
    return page


def page_alternates(page, request=None) -> list[tuple[str, str]]:
    """(hreflang, URL) of every translation and `x-default` (the default language's,
    else the first), or nothing for a page in one language only."""
    pages = page_translations(page)
    if len(pages) < 2:
        return []
    urls = [(found.locale.language_code, found.get_url(request)) for found in pages]
    default = dict(urls).get(settings.LANGUAGE_CODE, urls[0][1])
    return [*urls, ("x-default", default)]


def visitor_language(request) -> str | None:
    """The language the visitor chose: the switch's cookie; on an unprefixed page
    (the English one, also `x-default`) their browser's Accept-Language too. A
    `/ru/...` link without a cookie is taken at its word, so search engines index
    both versions."""
    chosen = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen or translation.get_language_from_path(request.path_info):
        return chosen
    return translation.get_language_from_request(request)


def page_language_redirect(page, request, serve_args, serve_kwargs):
    """Wagtail's `before_serve_page`: a visitor who reads the other language goes
    to the page's translation in it (302, so the choice can change); a page
    without a translation is served as it is, inside menus in their language."""
    if request.method not in ("GET", "HEAD"):
        return None
    language = visitor_language(request)
    if not language or language == page.locale.language_code:
        return None
    target = page_in_language(page, language)
    if target.pk == page.pk:
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return None
    url = target.get_url(request)
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponseRedirect(f"{url}?{query}" if query else url)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _switch_page(value):
    if not str(value or "").isdigit():
        return None
    return Page.objects.live().public().filter(pk=int(value)).first()


def language_switch(request):
    """Django's `set_language` (the cookie, the safe `next`); sent from a Wagtail
    page (its id in `page`), it lands on that page's translation in the chosen
    language, or on the page itself when it has none."""
    response = set_language(request)
    if request.method != "POST" or response.status_code != 302:
        return response
    language = _supported(request.POST.get("language"))
    page = _switch_page(request.POST.get("page"))
    if language and page is not None:
        response["Location"] = page_in_language(page, language).get_url(request)
    return response
