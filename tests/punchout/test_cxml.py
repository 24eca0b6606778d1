"""cXML 1.2 punchout, with a procurement system written here: it posts a
PunchOutSetupRequest as Ariba sends it (DOCTYPE line first), reads the answer with
defusedxml, opens the StartPage in the buyer's browser (the Django client), the
buyer fills the basket at their own prices, and the transfer page's form carries
the PunchOutOrderMessage back in `cxml-urlencoded` to the BrowserFormPost URL (a
real HTTP server on 127.0.0.1). Bad documents, credentials, roles and links open
nothing and store nothing."""

import hashlib
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen
from xml.sax.saxutils import escape, quoteattr

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from oscar.apps.catalogue.models import ProductAttribute, ProductAttributeValue

from accounts.models import Company, Role
from catalog.models import Manufacturer
from sales.basket.models import Basket
from sales.punchout.cxml import DOCTYPE, UNSPSC_DEFAULT
from sales.punchout.models import PunchoutStartToken
from tests.cabinet.factories import priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.pricing.factories import ContractFactory, ContractItemFactory
from tests.punchout.test_oci import PASSWORD, Procurement

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COOKIE = "a1b2-c3&d4<5>"  # echoed back exactly, whatever it holds
SETUP = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML payloadID="1733300000000.4242.8891@ariba.example" timestamp="2026-12-04T10:00:00-08:00" xml:lang="en-US">
  <Header>
    <From>
      <Credential domain="NetworkID"><Identity>AN01000000001</Identity></Credential>
    </From>
    <To>
      <Credential domain="DUNS"><Identity>123456789</Identity></Credential>
    </To>
    <Sender>
      <Credential domain="NetworkID">
        <Identity>{identity}</Identity>
        <SharedSecret>{secret}</SharedSecret>
      </Credential>
      <UserAgent>Ariba SN Buyer</UserAgent>
    </Sender>
  </Header>
  <Request deploymentMode="production">
    <PunchOutSetupRequest operation={operation}>
      <BuyerCookie>{cookie}</BuyerCookie>
      <Extrinsic name="CostCenter">610</Extrinsic>
      <Extrinsic name="UniqueName">{identity}</Extrinsic>
      <BrowserFormPost><URL>{url}</URL></BrowserFormPost>
      <Contact role="endUser">
        <Name xml:lang="en-US">Anna Buyer</Name>
        <Email>{identity}</Email>
      </Contact>
      <SupplierSetup><URL>https://shop.example/punchout/cxml/setup/</URL></SupplierSetup>
    </PunchOutSetupRequest>
  </Request>
</cXML>
"""


class CxmlBuyer:
    """The procurement system's side of the setup: it builds the request, posts it
    and reads the answer as a procurement system would (no DTD, no entities)."""

    def __init__(self, client, return_url: str):
        self.client = client
        self.return_url = return_url

    def document(self, *, identity, secret=PASSWORD, operation="create", **values):
        fields = {
            "identity": identity,
            "secret": secret,
            "cookie": COOKIE,
            "url": self.return_url,
            **values,
        }
        text = SETUP.format(
            operation=quoteattr(operation), **{k: escape(v) for k, v in fields.items()}
        )
        return text.encode()

    def post(self, body: bytes, content_type="text/xml; charset=UTF-8"):
        response = self.client.post(
            reverse("punchout:cxml-setup"), data=body, content_type=content_type
        )
        return response, _read(response.content)

    def setup(self, user, **kwargs):
        return self.post(self.document(identity=user.email, **kwargs))


def _read(content: bytes):
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert DOCTYPE.encode() in content
    root = SafeET.fromstring(content, forbid_dtd=False)
    assert root.tag == "cXML" and root.get("payloadID") and root.get("timestamp")
    return root


def _status(root) -> tuple[int, str]:
    status = root.find("Response/Status")
    return int(status.get("code")), (status.text or "")


def _member(company, role=Role.BUYER):
    member = MembershipFactory(company=company, role=role)
    member.user.set_password(PASSWORD)
    member.user.save()
    return member


@pytest.fixture
def procurement():
    system = Procurement()
    yield system
    system.server.shutdown()


@pytest.fixture
def buyer_member(db):
    return _member(CompanyFactory(status=Company.Status.APPROVED))


@pytest.fixture
def buyer(client, procurement):
    return CxmlBuyer(client, procurement.hook + "&amp=1")


def _start_path(root) -> str:
    url = root.find("Response/PunchOutSetupResponse/StartPage/URL").text
    assert url.startswith(settings.SHOP_BASE_URL.rstrip("/") + "/punchout/cxml/start/")
    return urlsplit(url).path


def _order_message(page):
    form = BeautifulSoup(page.content, "html.parser").select_one("#cxml-transfer")
    fields = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert [name for name, _value in fields] == ["cxml-urlencoded"]
    return form, fields


def _items(message):
    return [
        {
            "quantity": item.get("quantity"),
            "part": item.findtext("ItemID/SupplierPartID"),
            "aux": item.findtext("ItemID/SupplierPartAuxiliaryID"),
            "price": Decimal(item.findtext("ItemDetail/UnitPrice/Money")),
            "currency": item.find("ItemDetail/UnitPrice/Money").get("currency"),
            "unit": item.findtext("ItemDetail/UnitOfMeasure"),
            "unspsc": item.findtext("ItemDetail/Classification[@domain='UNSPSC']"),
            "mpn": item.findtext("ItemDetail/ManufacturerPartID"),
            "maker": item.findtext("ItemDetail/ManufacturerName"),
            "descriptions": [
                (d.get(XML_LANG), d.text)
                for d in item.findall("ItemDetail/Description")
            ],
        }
        for item in message.findall("Message/PunchOutOrderMessage/ItemIn")
    ]


@pytest.mark.django_db
def test_cxml_round_trip_returns_the_basket_at_the_buyers_prices(
    client, procurement, buyer, buyer_member
):
    skf = Manufacturer.objects.create(name="SKF", slug="skf")
    listed = priced_product(
        article="6205-2RS",
        price="250.00",
        manufacturer=skf,
        manufacturer_article="6205-2RSH",
        title="Подшипник 6205-2RS",
        title_en="Ball bearing 6205-2RS",
    )
    contracted = priced_product(article="NU-2205", price="1240.00", unit="set")
    contract = ContractFactory(company=buyer_member.company)
    ContractItemFactory(contract=contract, product=contracted, price=Decimal("987.35"))
    unspsc = ProductAttribute.objects.create(
        product_class=contracted.product_class,
        code="unspsc",
        name="unspsc",
        type="text",
    )
    ProductAttributeValue.objects.create(
        product=contracted, attribute=unspsc, value_text="31171504"
    )

    response, root = buyer.setup(buyer_member.user)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert _status(root) == (200, "")
    start = _start_path(root)
    raw = start.rstrip("/").rsplit("/", 1)[1]
    token = PunchoutStartToken.objects.get()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest() != raw
    assert (token.user, token.company) == (buyer_member.user, buyer_member.company)
    assert token.buyer_cookie == COOKIE
    assert token.browser_form_post_url == procurement.hook + "&amp=1"
    assert ["CostCenter", "610"] in token.extrinsics
    assert token.expires_at - token.created_at == timedelta(minutes=5)
    assert "_auth_user_id" not in client.session  # the setup logs no one in

    assert client.get(start).url == reverse("catalogue:index")
    assert client.session["_auth_user_id"] == str(buyer_member.user.pk)
    assert client.session["punchout"]["kind"] == "cxml"
    client.post(reverse("basket:add", args=[listed.pk]), {"quantity": 4})
    client.post(reverse("basket:add", args=[contracted.pk]), {"quantity": 3})
    basket_page = BeautifulSoup(client.get(reverse("basket:summary")).content, "lxml")
    button = basket_page.select_one("[data-testid='punchout-transfer']")
    assert button.find_parent("form")["action"] == reverse("punchout:cxml-transfer")

    page = client.post(reverse("punchout:cxml-transfer"))
    assert page.status_code == 200
    assert "form-action 'self' http://127.0.0.1:" in page["Content-Security-Policy"]
    form, fields = _order_message(page)
    assert form["action"] == procurement.hook + "&amp=1"
    # The basket is handed over: emptied, and the punchout and the login ended.
    assert not Basket.objects.filter(owner=buyer_member.user, lines__isnull=False)
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("punchout:cxml-transfer")).status_code == 403

    # What the browser posts, the procurement system receives and reads.
    urlopen(Request(procurement.hook, data=urlencode(fields).encode()), timeout=5)
    received = procurement.items()["cxml-urlencoded"]
    assert received == fields[0][1]
    message = _read(received.encode())
    order = message.find("Message/PunchOutOrderMessage")
    assert order.findtext("BuyerCookie") == COOKIE
    order_header = order.find("PunchOutOrderMessageHeader")
    assert order_header.get("operationAllowed") == "edit"
    total = order_header.find("Total/Money")
    assert (Decimal(total.text), total.get("currency")) == (
        Decimal("4") * Decimal("250.00") + Decimal("3") * Decimal("987.35"),
        "RUB",
    )
    assert message.findtext("Header/From/Credential/Identity") == "123456789"
    assert message.findtext("Header/To/Credential/Identity") == "AN01000000001"
    assert PASSWORD not in received and "SharedSecret" not in received
    first, second = _items(message)
    assert first == {
        "quantity": "4",
        "part": "6205-2RS",
        "aux": str(listed.pk),
        "price": Decimal("250.00"),
        "currency": "RUB",
        "unit": "PCE",
        "unspsc": UNSPSC_DEFAULT,
        "mpn": "6205-2RSH",
        "maker": "SKF",
        # The buyer wrote xml:lang="en-US": the English title first.
        "descriptions": [
            ("en", "Ball bearing 6205-2RS"),
            ("ru", "Подшипник 6205-2RS"),
        ],
    }
    assert (second["quantity"], second["part"], second["aux"]) == (
        "3",
        "NU-2205",
        str(contracted.pk),
    )
    assert (second["price"], second["unit"], second["unspsc"]) == (
        Decimal("987.35"),
        "SET",
        "31171504",
    )
    assert (second["mpn"], second["maker"]) == (None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", ["edit", "inspect"])
def test_edit_and_inspect_open_as_create(client, buyer, buyer_member, operation):
    response, root = buyer.setup(buyer_member.user, operation=operation)
    code, note = _status(root)
    assert (response.status_code, code) == (200, 200)
    assert "opened as create" in note
    assert PunchoutStartToken.objects.get().operation == operation
    assert client.get(_start_path(root)).status_code == 302
    assert client.session["punchout"]["kind"] == "cxml"


@pytest.mark.django_db
def test_the_shops_checkout_is_closed_during_a_cxml_punchout(
    client, buyer, buyer_member
):
    product = priced_product(article="6206-2RS", price="300.00")
    _response, root = buyer.setup(buyer_member.user)
    client.get(_start_path(root))
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    response = client.get(reverse("checkout:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    # The OCI door does not take a cXML punchout's basket, nor the other way round.
    assert client.post(reverse("punchout:oci-transfer")).status_code == 403
    assert not buyer_member.company.orders.exists()


@pytest.mark.django_db
def test_the_transfer_needs_a_basket(client, buyer, buyer_member):
    _response, root = buyer.setup(buyer_member.user)
    client.get(_start_path(root))
    response = client.post(reverse("punchout:cxml-transfer"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "empty" in " ".join(str(m) for m in response.context["messages"])
    assert client.session["punchout"]["kind"] == "cxml"  # still open
    assert client.get(reverse("punchout:cxml-transfer")).status_code == 405


@pytest.mark.django_db
def test_wrong_credentials_are_401_and_store_nothing(client, buyer, buyer_member):
    cases = [
        buyer.document(identity=buyer_member.user.email, secret="wrong"),
        buyer.document(identity="nobody@example.com"),
        buyer.document(identity=buyer_member.user.email, secret=""),
    ]
    for body in cases:
        response, root = buyer.post(body)
        assert (response.status_code, _status(root)[0]) == (401, 401)
        assert root.find("Response/Status").get("text") == "Unauthorized"
    assert not PunchoutStartToken.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_status_speaks_the_callers_language(client, buyer, buyer_member):
    body = buyer.document(identity=buyer_member.user.email, secret="wrong")
    response = client.post(
        reverse("punchout:cxml-setup"),
        data=body,
        content_type="text/xml",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert _status(_read(response.content)) == (
        401,
        "Неверные Identity или SharedSecret отправителя (Sender).",
    )


@pytest.mark.django_db
def test_members_who_may_not_order_are_403(client, buyer, buyer_member):
    accountant = _member(buyer_member.company, Role.ACCOUNTANT)
    pending = _member(CompanyFactory(status=Company.Status.PENDING), Role.ADMIN)
    for member in (accountant, pending):
        response, root = buyer.setup(member.user)
        code, message = _status(root)
        assert (response.status_code, code) == (403, 403), member.user.email
        assert "may not order" in message
    assert not PunchoutStartToken.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_guessing_secrets_locks_the_sender_out(client, buyer, buyer_member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        buyer.setup(buyer_member.user, secret="guess")
    response, root = buyer.setup(buyer_member.user)
    assert (response.status_code, _status(root)[0]) == (429, 429)
    assert int(response["Retry-After"]) > 0
    assert not PunchoutStartToken.objects.exists()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<cXML payloadID="1"><Header/><Request><PunchOutSetupRequest operation="create">
<BuyerCookie>&secret;</BuyerCookie></PunchOutSetupRequest></Request></cXML>"""
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE cXML [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 or "")) * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]>\n<cXML>&lol9;</cXML>"
)
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<cXML/>"""


def _body(buyer, user, **values):
    return buyer.document(identity=user.email, **values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda b, u: XXE, id="xxe"),
        pytest.param(lambda b, u: LAUGHS, id="billion-laughs"),
        pytest.param(lambda b, u: PARAMETER, id="external-dtd"),
        pytest.param(lambda b, u: _body(b, u).replace(b"610", b"6\x0010"), id="nul"),
        pytest.param(lambda b, u: _body(b, u)[:-40], id="truncated"),
        pytest.param(lambda b, u: b"<cXML", id="not-xml"),
        pytest.param(
            lambda b, u: _body(b, u).replace(b"<cXML ", b"<OCI ", 1)[:-8] + b"</OCI>",
            id="wrong-root",
        ),
        pytest.param(
            lambda b, u: _body(b, u, url="javascript:alert(document.cookie)"),
            id="javascript-url",
        ),
        pytest.param(lambda b, u: _body(b, u, url="ftp://erp.example/"), id="ftp"),
        pytest.param(lambda b, u: _body(b, u, url="/relative"), id="relative"),
        pytest.param(
            lambda b, u: re.sub(
                rb"<BrowserFormPost>.*?</BrowserFormPost>", b"", _body(b, u)
            ),
            id="no-url",
        ),
        pytest.param(lambda b, u: _body(b, u, cookie=""), id="no-cookie"),
        pytest.param(lambda b, u: _body(b, u, operation="delete"), id="operation"),
        pytest.param(
            lambda b, u: _body(b, u).replace(
                b"PunchOutSetupRequest", b"ProfileRequest"
            ),
            id="other-request",
        ),
        pytest.param(
            lambda b, u: (
                _body(b, u)
                .replace(b"<Sender>", b"<Sendr>")
                .replace(b"</Sender>", b"</Sendr>")
            ),
            id="no-sender",
        ),
    ],
)
def test_malformed_documents_are_400_and_store_nothing(
    client, buyer, buyer_member, make
):
    response, root = buyer.post(make(buyer, buyer_member.user))
    assert (response.status_code, _status(root)[0]) == (400, 400)
    assert root.find("Response/Status").get("text") == "Bad Request"
    assert b"root:" not in response.content  # nothing of /etc/passwd
    assert not PunchoutStartToken.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_oversized_body_is_413(client, buyer, buyer_member):
    body = _body(buyer, buyer_member.user)
    padded = body.replace(b"<Header>", b"<!--" + b"x" * 300_000 + b"--><Header>")
    response, root = buyer.post(padded)
    assert (response.status_code, _status(root)[0]) == (413, 413)
    assert not PunchoutStartToken.objects.exists()


@pytest.mark.django_db
def test_only_xml_is_taken(client, buyer, buyer_member):
    body = _body(buyer, buyer_member.user)
    response, root = buyer.post(body, content_type="application/x-www-form-urlencoded")
    assert (response.status_code, _status(root)[0]) == (415, 415)
    response, root = buyer.post(body, content_type="application/xml")
    assert response.status_code == 200
    assert client.get(reverse("punchout:cxml-setup")).status_code == 405


@pytest.mark.django_db
def test_a_start_link_opens_once(client, buyer, buyer_member):
    _response, root = buyer.setup(buyer_member.user)
    start = _start_path(root)
    assert client.get(start).status_code == 302
    client.logout()
    again = client.get(start)
    assert again.status_code == 403
    assert "expired or was used" in again.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_expired_and_unknown_links_open_nothing(client, buyer, buyer_member):
    _response, root = buyer.setup(buyer_member.user)
    start = _start_path(root)
    past = timezone.now() - timedelta(minutes=6)
    PunchoutStartToken.objects.update(
        created_at=past - timedelta(minutes=5), expires_at=past
    )
    assert client.get(start).status_code == 403
    assert "_auth_user_id" not in client.session
    assert PunchoutStartToken.objects.get().used_at is None
    for token in ("made-up-token", "x" * 500):
        response = client.get(reverse("punchout:cxml-start", args=[token]))
        assert response.status_code == 404
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_start_link_rechecks_the_member(client, buyer, buyer_member):
    _response, root = buyer.setup(buyer_member.user)
    buyer_member.role = Role.ACCOUNTANT
    buyer_member.save()
    response = client.get(_start_path(root))
    assert response.status_code == 403
    assert "may not order" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_oci_session_of_before_keeps_its_transfer(client, procurement, buyer_member):
    """A session opened before punchouts had a kind is moved to the new key."""
    client.force_login(buyer_member.user)
    session = client.session
    session["active_company_id"] = buyer_member.company_id
    session["punchout_oci"] = {
        "hook_url": procurement.hook,
        "target": "_top",
        "company_id": buyer_member.company_id,
        "started": timezone.now().isoformat(),
    }
    session.save()
    product = priced_product(article="6207-2RS", price="310.00")
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 2})
    assert "punchout_oci" not in client.session
    assert client.session["punchout"]["kind"] == "oci"
    assert client.post(reverse("punchout:cxml-transfer")).status_code == 403
    page = client.post(reverse("punchout:oci-transfer"))
    assert page.status_code == 200
    form = BeautifulSoup(page.content, "html.parser").select_one("#oci-transfer")
    assert form["action"] == procurement.hook
    assert (
        dict((i["name"], i["value"]) for i in form.select("input"))[
            "NEW_ITEM-QUANTITY[1]"
        ]
        == "2"
    )
