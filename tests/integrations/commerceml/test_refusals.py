"""What the exchange refuses, each with `failure` and a reason and nothing changed:
XML bombs, external entities, DTDs, files that are no XML or no CommerceML, a file
over the limit (413), wrong or foreign credentials, calls without a session, names
that leave the exchange folder, unknown types and modes."""

import base64
import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from catalog.models import Category, Product
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceListItem
from integrations.models import ExchangeItem, ExchangeLog, OrderExport
from tests.factories import MembershipFactory, StaffFactory
from tests.integrations.commerceml.client import URL, OneC, fixture
from tests.integrations.commerceml.factories import PASSWORD, exchange_user

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид>
<Наименование>&lol3;</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>
""".encode()
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<x>&secret;</x>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "http://evil.invalid/x.dtd">
<x/>"""


def _state():
    return (
        Product.objects.count(),
        Category.objects.count(),
        PriceListItem.objects.count(),
        StockRecord.objects.count(),
        sorted(ExchangeItem.objects.values_list("external_id", "data")),
        OrderExport.objects.count(),
    )


def _with_names_changed(data: bytes, bad_item: str = "") -> bytes:
    text = data.decode().replace("Подшипник шариковый", "Изменено")
    return text.replace("</Товары>", f"{bad_item}</Товары>").encode()


@pytest.mark.parametrize(
    "data,reason",
    [
        (BILLION_LAUGHS, "The file declares a DTD (<!DOCTYPE>), which the exchange refuses."),
        (EXTERNAL_ENTITY, "The file declares a DTD (<!DOCTYPE>), which the exchange refuses."),
        (DTD_ONLY, "The file declares a DTD (<!DOCTYPE>), which the exchange refuses."),
        (b"article;name;price\n6205;x;10\n", "The file is not well-formed XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not well-formed XML"),
        (fixture("import.xml")[:-200], "The file is not well-formed XML"),
        (b"<?xml version='1.0'?><root/>", "The file is not a CommerceML document"),
        (
            "<?xml version='1.0' encoding='UTF-8'?><a>Подшипник</a>".encode("cp1251"),
            "The file is not well-formed XML",
        ),
        (
            "<КоммерческаяИнформация><Документ/></КоммерческаяИнформация>".encode(),
            "The file has neither a catalogue",
        ),
    ],
    ids=[
        "billion-laughs", "external-entity", "dtd", "csv", "binary", "truncated",
        "other-xml", "wrong-encoding", "no-catalogue",
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_changes_nothing(one_c, data, reason):
    one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )
    before = _state()
    assert one_c.upload("bad.xml", data).ok
    reply = one_c.import_file("bad.xml")
    assert (reply.status, reply.failed) == (200, True), reply
    assert reply.reason.startswith(reason), reply.reason
    assert _state() == before
    log = ExchangeLog.objects.latest("pk")
    assert (log.mode, log.ok, log.message.startswith(reason)) == ("import", False, True)


def test_one_bad_item_refuses_the_whole_file(one_c):
    one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )
    before = _state()
    twice = "<Товар><Ид>a1c3e5f1-7d21-11e9-80d3-00155d0a1f01</Ид><Наименование>Дубль</Наименование></Товар>"
    [reply] = one_c.send_catalog(
        ("import.xml", _with_names_changed(fixture("import.xml"), twice))
    )
    assert reply.failed
    assert (
        reply.reason
        == "item 6: the <Ид> a1c3e5f1-7d21-11e9-80d3-00155d0a1f01 appears twice"
    )
    assert _state() == before
    assert Product.objects.filter(title__startswith="Изменено").count() == 0


def test_a_row_the_catalogue_import_refuses_rolls_the_file_back(one_c):
    one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )
    before = _state()
    offers = fixture("offers.xml").decode().replace("6.80", "6.805").encode()
    [reply] = one_c.send_catalog(("offers.xml", offers))
    assert reply.failed
    assert reply.reason == (
        "c4d5e6f7-7d21-11e9-80d3-00155d0a1f01 (c4d5e6f7-7d21-11e9-80d3-00155d0a1f01): "
        "price: more than two decimal places"
    )
    assert _state() == before


def test_prices_in_another_currency_are_refused(one_c):
    one_c.send_catalog(("import.xml", fixture("import.xml")))
    offers = (
        fixture("offers.xml")
        .decode()
        .replace("<Валюта>руб</Валюта>", "<Валюта>USD</Валюта>")
    )
    [reply] = one_c.send_catalog(("offers.xml", offers.encode()))
    assert reply.failed
    assert reply.reason == "Prices are in USD; the shop's list prices are in RUB."
    assert not Product.objects.exists()


def test_a_file_over_the_limit_is_413_and_removed(one_c, settings):
    settings.COMMERCEML_FILE_LIMIT = 1000
    assert one_c.checkauth().ok
    assert one_c.init()["file_limit"] == "1000"
    assert one_c.call("catalog", "file", body=b"<" * 600, filename="import.xml").ok
    reply = one_c.call("catalog", "file", body=b"<" * 600, filename="import.xml")
    assert (reply.status, reply.lines) == (
        413,
        ["failure", "The file is larger than the limit of 1000 bytes."],
    )
    reply = one_c.import_file("import.xml")
    assert reply.failed
    assert reply.reason == "The file import.xml was not uploaded in this exchange."
    # One chunk over the limit on its own (Content-Length says so before reading).
    reply = one_c.call("catalog", "file", body=b"<" * 1001, filename="offers.xml")
    assert reply.status == 413


def _basic(email, password):
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_wrong_credentials_are_refused(client, exchanger):
    cases = [
        ({}, 401, "Log in with the exchange user's name and password."),
        ({"HTTP_AUTHORIZATION": "Basic !!!"}, 401, "Log in with the exchange user's name and password."),
        ({"HTTP_AUTHORIZATION": "Bearer abc"}, 401, "Log in with the exchange user's name and password."),
        (_basic(exchanger.email, "wrong"), 401, "The user name or password is wrong."),
        (_basic("nobody@example.com", PASSWORD), 401, "The user name or password is wrong."),
    ]  # fmt: skip
    for headers, status, reason in cases:
        response = client.get(URL, {"type": "catalog", "mode": "checkauth"}, **headers)
        assert (response.status_code, response.content.decode()) == (
            status,
            f"failure\n{reason}\n",
        ), headers
        assert "_auth_user_id" not in client.session
    assert ExchangeLog.objects.filter(ok=False, mode="checkauth").count() == len(cases)


def test_a_buyer_or_staff_without_the_permission_is_refused(client, db):
    buyer = MembershipFactory(role="buyer").user
    plain_staff = StaffFactory()
    inactive = exchange_user(is_active=False)
    for user, status in ((buyer, 403), (plain_staff, 403), (inactive, 401)):
        response = client.get(
            URL,
            {"type": "catalog", "mode": "checkauth"},
            **_basic(user.email, PASSWORD),
        )
        assert response.status_code == status, user
        assert response.content.decode().startswith("failure\n")
        assert "_auth_user_id" not in client.session
    # A site login is no exchange session, even a superuser's (a link on another
    # site cannot run a step with the staff member's cookie).
    for user in (buyer, StaffFactory(is_superuser=True)):
        client.force_login(user)
        response = client.post(
            f"{URL}?type=catalog&mode=file&filename=import.xml",
            fixture("import.xml"),
            content_type="application/octet-stream",
        )
        assert (response.status_code, response.content.decode()) == (
            401,
            "failure\nLog in with the exchange user's name and password.\n",
        )
        assert client.get(URL, {"type": "sale", "mode": "success"}).status_code == 401


def test_guessing_passwords_locks_the_user_out(client, exchanger):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.get(
            URL,
            {"type": "catalog", "mode": "checkauth"},
            **_basic(exchanger.email, "guess"),
        )
    response = client.get(
        URL,
        {"type": "catalog", "mode": "checkauth"},
        **_basic(exchanger.email, PASSWORD),
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _exchange_files() -> list[Path]:
    root = Path(django_settings.VAR_DIR) / "private" / "commerceml"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_no_session_and_no_credentials_may_not_upload_or_import(client, one_c):
    assert one_c.checkauth().ok
    one_c.init()
    other = client.__class__()
    for mode in ("init", "file", "import", "query", "success"):
        kind = "sale" if mode in ("query", "success") else "catalog"
        response = other.post(
            f"{URL}?type={kind}&mode={mode}&filename=import.xml",
            fixture("import.xml"),
            content_type="application/octet-stream",
        )
        assert (response.status_code, response.content.decode()) == (
            401,
            "failure\nLog in with the exchange user's name and password.\n",
        ), mode
    assert _exchange_files() == []
    # Basic credentials on every call work without the cookie.
    headers = _basic(one_c.email, PASSWORD)
    response = other.post(
        f"{URL}?type=catalog&mode=file&filename=import.xml",
        b"<x/>",
        content_type="application/octet-stream",
        **headers,
    )
    assert response.content.decode().startswith("success")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml", "../../etc/cron.d/x", "/etc/passwd", "sub/import.xml",
        "..\\evil.xml", "import_files/../../evil.xml", "import_files/..", ".", "..",
        "", ".hidden", "a" * 300, "import.xml\x01",
    ],
)  # fmt: skip
def test_a_name_outside_the_exchange_folder_is_refused(one_c, name):
    assert one_c.checkauth().ok
    one_c.init()
    reply = one_c.call("catalog", "file", body=b"<x/>", filename=name)
    assert reply.failed, (name, reply)
    assert "is not allowed" in reply.reason
    assert _exchange_files() == []
    reply = one_c.call("catalog", "import", filename=name)
    assert reply.failed


def test_images_go_to_the_import_files_folder(one_c):
    assert one_c.checkauth().ok
    one_c.init()
    reply = one_c.call(
        "catalog", "file", body=b"\xff\xd8\xff", filename="import_files/a1/a1c3.jpg"
    )
    assert reply.ok
    [stored] = _exchange_files()
    assert stored.parts[-3:] == ("import_files", "a1", "a1c3.jpg")
    assert stored.read_bytes() == b"\xff\xd8\xff"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "query,reason",
    [
        ({"type": "catalog", "mode": "deactivate"}, "Unknown mode 'deactivate'."),
        ({"type": "catalog", "mode": "query"}, "Unknown mode 'query'."),
        ({"type": "catalog"}, "Unknown mode ''."),
        ({"type": "stock", "mode": "init"}, "Unknown exchange type 'stock'."),
        ({"mode": "checkauth"}, "Unknown exchange type ''."),
    ],
)
def test_unknown_types_and_modes_are_refused(one_c, query, reason):
    assert one_c.checkauth().ok
    response = one_c.client.get(URL, query)
    assert (response.status_code, response.content.decode()) == (
        400,
        f"failure\n{reason}\n",
    )


def test_a_file_must_be_posted(one_c):
    assert one_c.checkauth().ok
    reply = one_c.call("catalog", "file", filename="import.xml")
    assert (reply.status, reply.reason) == (
        405,
        "Send the file's content in a POST request.",
    )
    assert one_c.client.put(URL + "?type=catalog&mode=init").status_code == 405


def test_messages_are_in_the_users_language(client):
    user = exchange_user(language="ru")
    one_c = OneC(client, email=user.email, password=PASSWORD)
    assert one_c.checkauth().ok
    one_c.init()
    one_c.upload("import.xml", b"not xml at all")
    reply = one_c.import_file("import.xml")
    assert reply.failed
    with translation.override("ru"):
        prefix = translation.gettext("The file is not well-formed XML: %(error)s")
    assert prefix.startswith("Файл")
    assert reply.reason.startswith(prefix.split("%")[0])


def test_init_removes_the_files_of_earlier_exchanges(one_c):
    assert one_c.checkauth().ok
    one_c.init()
    assert one_c.upload("import.xml", fixture("import.xml")).ok
    [earlier] = _exchange_files()
    old = earlier.parent
    os.utime(old, (time.time() - 2 * 24 * 3600,) * 2)
    recent = old.parent / ("f" * 32)
    recent.mkdir()
    assert one_c.checkauth().ok  # a new exchange, a new folder
    one_c.init()
    assert not old.exists()
    assert recent.exists()
    reply = one_c.import_file("import.xml")
    assert reply.reason == "The file import.xml was not uploaded in this exchange."
