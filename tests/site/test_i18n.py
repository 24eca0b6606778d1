"""English and Russian: the switcher, and Russian on the main public pages."""

import re

import pytest


def _set_language(client, code, next_url="/"):
    return client.post("/i18n/setlang/", {"language": code, "next": next_url})


@pytest.mark.django_db
def test_switcher_changes_the_language_and_returns_to_the_page(client):
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert 'action="/i18n/setlang/"' in html
    response = _set_language(client, "ru", "/catalogue/")
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"
    html = client.get("/catalogue/").content.decode()
    assert '<html lang="ru"' in html
    assert "Все товары" in html
    _set_language(client, "en")
    assert "All products" in client.get("/catalogue/").content.decode()


@pytest.mark.django_db
def test_home_page_in_russian(client):
    _set_language(client, "ru")
    html = client.get("/").content.decode()
    for text in (
        "Подшипники, крепёж, электрика и пневматика по вашей договорной цене",
        "Получить оптовые цены",
        "Сроки поставки",
        "Сертификаты и документы",
        "Связаться с менеджером",
        "Зарегистрировать компанию",
        "Консультация",
        "Коммерческое предложение",
    ):
        assert text in html, text
    assert "Get your wholesale prices" not in html


@pytest.mark.django_db
def test_registration_page_and_its_errors_in_russian(client):
    _set_language(client, "ru")
    html = client.get("/accounts/register/").content.decode()
    assert "Регистрация компании" in html
    assert "Рабочий e-mail" in html
    response = client.post(
        "/accounts/register/", {"country": "RU", "tax_id": "7707083894"}
    )
    html = response.content.decode()
    assert "7707083894 — неверный налоговый номер для страны RU: " in html
    assert "не сходятся контрольные цифры." in html
    assert "Требуется заполнить это поле." in html


@pytest.mark.django_db
def test_accept_language_header_picks_russian(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").content.decode()
    assert '<html lang="ru"' in html


def test_russian_catalog_is_complete():
    from django.conf import settings

    po = (settings.BASE_DIR / "shop/locale/ru/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    assert entries
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""\n?$', e, re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)
    ]
    assert untranslated == []
    assert "fuzzy" not in po
