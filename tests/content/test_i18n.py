"""Wagtail pages in English and Russian: one URL per language, the visitor's language
chooses the translation, the header's switch lands on it, the shop's own pages keep
the cookie's language on their unprefixed URLs, and the demo builds every page in
both languages as translations of each other."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.documents.models import Document
from wagtail.models import Locale, Page

from content.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    LandingPage,
)
from shop.demo.content import build_demo_content

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _translate(page, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return Page.objects.get(pk=copy.pk).specific  # the published URL path


@pytest.fixture
def pages():
    """An English home and "About us" with Russian translations (the Russian page
    under its own slug), and an English-only page."""
    home = HomePage.objects.get()
    about = home.add_child(instance=ContentPage(title="About us", slug="about"))
    about.save_revision().publish()
    only_en = home.add_child(instance=ContentPage(title="Careers", slug="careers"))
    only_en.save_revision().publish()
    home_ru = _translate(home, title="Главная")
    about_ru = _translate(about, title="О компании", slug="o-kompanii")
    return {"home": home, "about": about, "home_ru": home_ru, "about_ru": about_ru}


def test_locales_exist():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert codes == {"en", "ru"}


def test_each_translation_has_its_own_url(client, pages):
    assert pages["about"].url == "/about/"
    assert pages["about_ru"].url == "/ru/o-kompanii/"
    assert pages["home_ru"].url == "/ru/"

    english = client.get("/about/")
    russian = client.get("/ru/o-kompanii/")

    assert english.status_code == russian.status_code == 200
    assert english.context["page"].pk == pages["about"].pk
    assert russian.context["page"].pk == pages["about_ru"].pk
    # The menus speak the page's language.
    assert '<html lang="ru"' in russian.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert "Войти" in russian.content.decode()


def test_a_russian_visitor_is_sent_to_the_russian_page(client, pages):
    client.cookies[COOKIE] = "ru"

    response = client.get("/about/?utm_source=mail")

    assert response.status_code == 302
    assert response["Location"] == "/ru/o-kompanii/?utm_source=mail"
    assert "Cookie" in response["Vary"]
    assert client.get("/")["Location"] == "/ru/"


def test_a_browser_in_russian_gets_the_russian_home(client, pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_a_russian_url_is_taken_at_its_word_without_a_cookie(client, pages):
    # Search engines index both versions: only a chosen language redirects there.
    response = client.get("/ru/o-kompanii/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200


def test_an_english_visitor_is_sent_to_the_english_page(client, pages):
    client.cookies[COOKIE] = "en"

    response = client.get("/ru/o-kompanii/")

    assert response.status_code == 302
    assert response["Location"] == "/about/"


def test_a_page_without_a_translation_shows_the_existing_one(client, pages):
    client.cookies[COOKIE] = "ru"

    response = client.get("/careers/")

    assert response.status_code == 200
    assert response.context["page"].title == "Careers"
    assert "Войти" in response.content.decode()  # the menus in the visitor's language


def test_the_switch_lands_on_the_translation(client, pages):
    response = client.post(
        "/i18n/setlang/",
        {"language": "ru", "next": "/about/", "page": pages["about"].pk},
    )

    assert response.status_code == 302
    assert response["Location"] == "/ru/o-kompanii/"
    assert client.cookies[COOKIE].value == "ru"
    assert client.get(response["Location"]).status_code == 200

    back = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/ru/o-kompanii/", "page": pages["about_ru"].pk},
    )
    assert back["Location"] == "/about/"


def test_the_switch_on_a_page_without_translation_stays_on_it(client, pages):
    careers = Page.objects.get(slug="careers")

    response = client.post(
        "/i18n/setlang/", {"language": "ru", "next": "/careers/", "page": careers.pk}
    )

    assert response["Location"] == "/careers/"


def test_the_switch_form_on_a_page_carries_the_page(client, pages):
    html = client.get("/about/").content.decode()

    assert f'name="page" type="hidden" value="{pages["about"].pk}"' in html


def test_the_switch_ignores_a_page_that_is_not_live(client, pages):
    draft = (
        pages["about"]
        .get_parent()
        .add_child(instance=ContentPage(title="Draft", slug="draft", live=False))
    )

    response = client.post(
        "/i18n/setlang/", {"language": "ru", "next": "/catalogue/", "page": draft.pk}
    )

    assert response["Location"] == "/catalogue/"


def test_shop_pages_keep_the_cookie_language_unprefixed(client, pages):
    client.cookies[COOKIE] = "ru"

    response = client.get("/catalogue/")

    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert client.get("/ru/catalogue/").status_code == 404  # no prefixed shop URLs


def test_switch_on_a_shop_page_returns_to_it(client, pages):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/catalogue/"})

    assert response["Location"] == "/catalogue/"
    assert client.get("/catalogue/")["Content-Language"] == "ru"


def test_related_articles_stay_in_their_language():
    home = HomePage.objects.get()
    index = home.add_child(instance=ArticleIndexPage(title="Articles", slug="a"))
    first = index.add_child(instance=ArticlePage(title="One", slug="one"))
    first.tags.add("bearings")
    first.save_revision().publish()
    second = index.add_child(instance=ArticlePage(title="Two", slug="two"))
    second.tags.add("bearings")
    second.save_revision().publish()
    _translate(home, title="Главная")
    _translate(index, title="Статьи")
    first_ru = _translate(first, title="Первая")

    assert list(first.related_articles()) == [second]
    assert list(first_ru.related_articles()) == []


# -- the demo ------------------------------------------------------------------


def _by_locale(model):
    return sorted(
        model.objects.live().values_list("locale__language_code", "title").distinct()
    )


def test_demo_builds_every_page_in_both_languages():
    build_demo_content()

    en, ru = (Locale.objects.get(language_code=code) for code in ("en", "ru"))
    for model, count in (
        (HomePage, 1),
        (LandingPage, 2),
        (ArticleIndexPage, 1),
        (ArticlePage, 3),
        (CaseStudyPage, 1),
    ):
        assert model.objects.live().filter(locale=en).count() == count, model
        assert model.objects.live().filter(locale=ru).count() == count, model
        for page in model.objects.filter(locale=en):
            translation = page.get_translation(ru)
            assert translation.live and translation.title != page.title, page
    titles = dict(_by_locale(LandingPage))
    assert titles  # English and Russian titles both present
    assert LandingPage.objects.get(locale=en, slug="manufacturing").title == (
        "For manufacturers"
    )
    assert LandingPage.objects.get(locale=ru, slug="manufacturing").title == (
        "Для производств"
    )
    assert Document.objects.count() == 2  # the catalogue in PDF, one per language


def test_demo_russian_landing_links_russian_pages():
    build_demo_content()
    ru = Locale.objects.get(language_code="ru")
    landing = LandingPage.objects.get(locale=ru, slug="construction")
    blocks = {block.block_type: block.value for block in landing.body}

    assert blocks["case_study"]["case_study"].specific.locale == ru
    assert blocks["download"]["document"].title == "Каталог промышленных комплектующих"
    assert blocks["hero"]["title"].startswith("Комплектующие для строителей")


def test_demo_is_built_once(client):
    build_demo_content()
    pages = Page.objects.count()

    build_demo_content()

    assert Page.objects.count() == pages
    assert client.get("/ru/construction/").status_code == 200
    assert client.get("/construction/").status_code == 200


def test_editors_may_translate_pages():
    for name in ("Editors", "Moderators"):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="submit_translation").exists()


def test_the_russian_home_shows_its_own_form_only(client, pages):
    html = client.get("/ru/").content.decode()

    assert "site-footer__form" not in html
