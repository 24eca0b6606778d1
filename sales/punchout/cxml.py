"""cXML 1.2 punchout documents (Ariba, Coupa, Jaggaer, SAP Ariba): reading a
PunchOutSetupRequest, writing the PunchOutSetupResponse, a Status answer and the
PunchOutOrderMessage that carries the basket back.

Incoming XML is parsed by defusedxml only. A real cXML document starts with a
DOCTYPE line naming cXML's DTD: that is allowed, but the DTD is never read, and any
entity declaration (billion laughs) or external reference (XXE) refuses the
document. We write the DOCTYPE line ourselves on every answer."""

import os
import re
import secrets
import time
import xml.etree.ElementTree as ET  # writing only; reading is defusedxml's
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductAttributeValue
from core.money import money_quantize
from sales.punchout.oci import UNIT_CODES
from sales.punchout.session import PunchoutError, PunchoutSession, return_url_clean

DOCTYPE = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPERATIONS = ("create", "edit", "inspect")
# cXML's status codes follow HTTP's; the text is the code's name.
STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}
BUYER_COOKIE_MAX = 2048
IDENTITY_MAX = 255
EXTRINSICS_MAX = 100
EXTRINSIC_VALUE_MAX = 1024
# The DTD requires a Classification per item. A product imported with an "unspsc"
# column carries its own code (an attribute of that code); otherwise segment 31,
# "Manufacturing Components and Supplies", where bearings, fasteners and most of
# the catalogue belong; the procurement system may classify further.
UNSPSC_ATTRIBUTE = "unspsc"
UNSPSC_DEFAULT = "31000000"
_UNSPSC = re.compile(r"^\d{8}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class CxmlError(Exception):
    """A cXML request refused with `code` (400, 401, 403, 413, 415, 429); the
    message is safe to send back."""

    def __init__(self, code: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after  # seconds, for a 429


@dataclass(frozen=True)
class Credential:
    domain: str = ""
    identity: str = ""
    secret: str = ""


@dataclass(frozen=True)
class SetupRequest:
    payload_id: str
    language: str
    buyer: Credential  # Header/From
    supplier: Credential  # Header/To
    sender: Credential  # Header/Sender, with the SharedSecret
    operation: str
    buyer_cookie: str
    browser_form_post_url: str
    contact_email: str = ""
    extrinsics: list[tuple[str, str]] = field(default_factory=list)


# -- reading ------------------------------------------------------------------


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _credential(party) -> Credential:
    """The party's credential: the first one carrying a SharedSecret, else the
    first one (a party may list several, one per domain)."""
    credentials = party.findall("Credential")
    chosen = next(
        (c for c in credentials if c.find("SharedSecret") is not None),
        credentials[0] if credentials else None,
    )
    if chosen is None:
        return Credential()
    return Credential(
        domain=(chosen.get("domain") or "").strip(),
        identity=_text(chosen.find("Identity")),
        secret=_text(chosen.find("SharedSecret")),
    )


def _root(body: bytes):
    if b"\x00" in body:
        raise CxmlError(400, _("The cXML document contains a NUL byte."))
    try:
        root = SafeET.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise CxmlError(
            400,
            _("The cXML document declares entities or external references."),
        ) from exc
    except (SafeET.ParseError, LookupError, ValueError) as exc:
        raise CxmlError(400, _("The cXML document is not well-formed XML.")) from exc
    if root.tag != "cXML":
        raise CxmlError(400, _("The document is not cXML."))
    return root


def _header(root) -> tuple[Credential, Credential, Credential]:
    parties = [root.find(f"Header/{name}") for name in ("From", "To", "Sender")]
    if any(party is None for party in parties):
        raise CxmlError(400, _("The cXML Header needs From, To and Sender."))
    buyer, supplier, sender = (_credential(party) for party in parties)
    if any(
        len(value) > IDENTITY_MAX
        for value in (buyer.domain, buyer.identity, supplier.domain, supplier.identity)
    ):
        raise CxmlError(400, _("A credential of the cXML Header is too long."))
    return buyer, supplier, sender


def _extrinsics(setup) -> list[tuple[str, str]]:
    found = [(e.get("name") or "", _text(e)) for e in setup.findall("Extrinsic")]
    if len(found) > EXTRINSICS_MAX or any(
        len(name) > IDENTITY_MAX or len(value) > EXTRINSIC_VALUE_MAX
        for name, value in found
    ):
        raise CxmlError(400, _("The request carries too many or too long Extrinsics."))
    return found


def setup_request_parse(body: bytes) -> SetupRequest:
    """The PunchOutSetupRequest in `body`, checked; a CxmlError(400) otherwise."""
    root = _root(body)
    buyer, supplier, sender = _header(root)
    setup = root.find("Request/PunchOutSetupRequest")
    if setup is None:
        raise CxmlError(400, _("The cXML Request is not a PunchOutSetupRequest."))
    operation = setup.get("operation") or ""
    if operation not in OPERATIONS:
        raise CxmlError(
            400, _("The operation must be one of create, edit and inspect.")
        )
    cookie = _text(setup.find("BuyerCookie"))
    if not cookie or len(cookie) > BUYER_COOKIE_MAX:
        raise CxmlError(400, _("The request needs a BuyerCookie."))
    url = return_url_clean(_text(setup.find("BrowserFormPost/URL")))
    if url is None:
        raise CxmlError(
            400,
            _("BrowserFormPost URL must be the procurement system's http(s) address."),
        )
    email = _text(setup.find("Contact/Email"))
    language = root.get(XML_LANG) or ""
    return SetupRequest(
        payload_id=(root.get("payloadID") or "")[:IDENTITY_MAX],
        language=language if _LANGUAGE.match(language) else "",
        buyer=buyer,
        supplier=supplier,
        sender=sender,
        operation=operation,
        buyer_cookie=cookie,
        browser_form_post_url=url,
        contact_email=email if len(email) <= 254 else "",
        extrinsics=_extrinsics(setup),
    )


# -- writing ------------------------------------------------------------------


def _clean(value) -> str:
    return _NOT_XML.sub("", str(value))


def _add(parent, tag: str, content=None, /, **attributes):
    element = ET.SubElement(
        parent, tag, {k: _clean(v) for k, v in attributes.items() if v is not None}
    )
    if content is not None:
        element.text = _clean(content)
    return element


def _payload_id() -> str:
    """cXML's recommended form: time.process.random@host."""
    host = urlsplit(settings.SHOP_BASE_URL).hostname or "shop"
    return f"{time.time_ns() // 1_000_000}.{os.getpid()}.{secrets.token_hex(8)}@{host}"


def _document(language: str = "") -> ET.Element:
    return ET.Element(
        "cXML",
        {
            "payloadID": _payload_id(),
            "timestamp": timezone.localtime().isoformat(timespec="seconds"),
            XML_LANG: language or "en-US",
        },
    )


def _serialise(root: ET.Element) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + DOCTYPE
        + "\n"
        + ET.tostring(root, encoding="unicode")
    )


def status_document(code: int, message: str = "") -> str:
    """A cXML Response carrying only its Status: how every refusal is answered."""
    root = _document()
    response = _add(root, "Response")
    _add(response, "Status", message or None, code=str(code), text=STATUS_TEXT[code])
    return _serialise(root)


def setup_response_document(*, start_url: str, operation: str) -> str:
    """The PunchOutSetupResponse: Status 200 and the start page. An edit or
    inspect is opened as a create, and the Status says so."""
    root = _document()
    response = _add(root, "Response")
    note = None
    if operation != "create":
        note = _(
            "The operation %(operation)s is opened as create: the lines of the "
            "procurement system's cart are not loaded."
        ) % {"operation": operation}
    _add(response, "Status", note, code="200", text=STATUS_TEXT[200])
    setup = _add(response, "PunchOutSetupResponse")
    _add(_add(setup, "StartPage"), "URL", start_url)
    return _serialise(root)


def _party(header, tag: str, credential: tuple[str, str]):
    domain, identity = credential
    party = _add(header, tag)
    _add(_add(party, "Credential", domain=domain or "NetworkID"), "Identity", identity)
    return party


def _classifications(products) -> dict[int, str]:
    """UNSPSC codes imported for the products (one query)."""
    codes = {}
    for product_id, value in ProductAttributeValue.objects.filter(
        product__in=products, attribute__code=UNSPSC_ATTRIBUTE
    ).values_list("product_id", "value_text"):
        if value and _UNSPSC.match(value.strip()):
            codes[product_id] = value.strip()
    return codes


def _descriptions(detail, product, language: str) -> None:
    """The title (the catalogue's own, Russian) and the English one when there is
    one; the buyer's language first, since many systems show only the first."""
    titles = [("ru", product.get_title())]
    if product.title_en:
        titles.append(("en", product.title_en))
    if language.lower().startswith("en"):
        titles.reverse()
    for lang, title in titles:
        _add(detail, "Description", title, **{XML_LANG: lang})


def _item(message, n: int, line, price: Decimal, currency: str, session, codes):
    product = line.product
    item = _add(message, "ItemIn", quantity=str(line.quantity), lineNumber=str(n))
    item_id = _add(item, "ItemID")
    _add(item_id, "SupplierPartID", product.article or str(product.pk))
    _add(item_id, "SupplierPartAuxiliaryID", str(product.pk))
    detail = _add(item, "ItemDetail")
    _add(_add(detail, "UnitPrice"), "Money", f"{price}", currency=currency)
    _descriptions(detail, product, session.language)
    _add(detail, "UnitOfMeasure", UNIT_CODES.get(product.unit, "PCE"))
    code = codes.get(product.pk, UNSPSC_DEFAULT)
    _add(detail, "Classification", code, domain="UNSPSC")
    if product.manufacturer_article:
        _add(detail, "ManufacturerPartID", product.manufacturer_article)
    if product.manufacturer_id:
        _add(detail, "ManufacturerName", product.manufacturer.name)


def _priced_lines(basket) -> list[tuple[object, Decimal]]:
    """The basket's lines with their net unit price, rounded as the buyer sees it."""
    priced = []
    for line in basket.all_lines():
        if line.unit_price_excl_tax is None:
            raise PunchoutError(
                _("%(article)s has no price for you; remove it to transfer the basket.")
                % {"article": line.product.article}
            )
        priced.append((line, money_quantize(line.unit_price_excl_tax)))
    if not priced:
        raise PunchoutError(_("The basket is empty: add products to transfer."))
    return priced


def order_message_document(*, basket, session: PunchoutSession) -> str:
    """The basket as a PunchOutOrderMessage at the prices the buyer sees (net, per
    one unit), the BuyerCookie echoed; From is the supplier and To the buyer, as
    the setup request named them. No secret travels: the browser carries it."""
    priced = _priced_lines(basket)
    currency = basket.currency or "RUB"
    root = _document(session.language)
    header = _add(root, "Header")
    _party(header, "From", session.supplier)
    _party(header, "To", session.buyer)
    sender = _party(header, "Sender", session.supplier)
    _add(sender, "UserAgent", settings.OSCAR_SHOP_NAME)
    message = _add(_add(root, "Message"), "PunchOutOrderMessage")
    _add(message, "BuyerCookie", session.buyer_cookie)
    order_header = _add(message, "PunchOutOrderMessageHeader", operationAllowed="edit")
    total = money_quantize(sum((p * line.quantity for line, p in priced), Decimal(0)))
    _add(_add(order_header, "Total"), "Money", f"{total}", currency=currency)
    codes = _classifications([line.product for line, _price in priced])
    for n, (line, price) in enumerate(priced, start=1):
        _item(message, n, line, price, currency, session, codes)
    return _serialise(root)
