"""English and Russian: the switcher, and Russian on the main public pages."""

import os
import re
from pathlib import Path

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


def _ru_catalogs():
    """The project's Russian catalogs, relative to BASE_DIR (.venv, .git and the other
    dot directories are not walked)."""
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        path = Path(dirpath)
        if (
            path.parts[-3:] == ("locale", "ru", "LC_MESSAGES")
            and "django.po" in filenames
        ):
            found.append((path / "django.po").relative_to(root).as_posix())
    return sorted(found)


RU_CATALOGS = _ru_catalogs()

_PO_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$')
_PO_CONTINUATION = re.compile(r'^"(.*)"$')


def _po_entries(text):
    """The entries of a .po file as dicts: "flags" and each keyword (msgctxt, msgid,
    msgid_plural, msgstr, msgstr[n]) with its string joined over its lines, still
    escaped. An entry starts at a msgctxt/msgid after the last one's msgstr, blank line
    between them or not; obsolete (#~) entries are comments and are skipped."""
    entries, flags, last = [], set(), None
    for line in map(str.strip, text.splitlines()):
        if line.startswith("#"):
            # The flags of an obsolete entry are not the next entry's.
            flags = set() if line.startswith("#~") else flags | _po_flags(line)
            last = None
        elif match := _PO_KEYWORD.match(line):
            last = match[1]
            if last in ("msgctxt", "msgid") and (not entries or _msgstrs(entries[-1])):
                entries.append({"flags": flags})
                flags = set()
            entries[-1][last] = match[2]
        elif (match := _PO_CONTINUATION.match(line)) and last:
            entries[-1][last] += match[1]
    return entries


def _po_flags(comment):
    if not comment.startswith("#,"):
        return set()
    return {flag.strip() for flag in comment[2:].split(",")}


def _msgstrs(entry):
    """msgstr, or every msgstr[n] of a plural entry."""
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.mark.parametrize("catalog", RU_CATALOGS, ids=RU_CATALOGS)
def test_russian_catalog_is_complete(catalog):
    from django.conf import settings

    entries = _po_entries((Path(settings.BASE_DIR) / catalog).read_text("utf-8"))
    messages = [e for e in entries if e.get("msgid")]  # the header (msgid "") aside
    assert messages, catalog
    untranslated = [
        e["msgid"] for e in messages if not _msgstrs(e) or "" in _msgstrs(e)
    ]
    assert untranslated == [], f"{catalog}: untranslated: {untranslated}"
    # makemessages marks a new header fuzzy and msgfmt keeps it: only messages count.
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"{catalog}: fuzzy: {fuzzy}"
