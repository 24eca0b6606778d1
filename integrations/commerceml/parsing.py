"""Reading a CommerceML document: through defusedxml only (no DTD, no entities, no
external references), in the encoding its prolog declares (UTF-8 or
windows-1251), with or without the `urn:1C.ru:commerceml_2` namespace."""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

ROOT = "КоммерческаяИнформация"


class CommerceMLError(ValueError):
    """The document or a step of the exchange is refused; the message says why and
    is sent to 1C after `failure`."""


def document_parse(data: bytes) -> Element:
    """The root element, its tags without namespace; `CommerceMLError` for anything
    that is not a CommerceML document or tries more than XML."""
    if not data.strip():
        raise CommerceMLError(_("The file is empty."))
    try:
        root = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden as exc:
        raise CommerceMLError(
            _("The file declares a DTD (<!DOCTYPE>), which the exchange refuses.")
        ) from exc
    except EntitiesForbidden as exc:
        raise CommerceMLError(
            _("The file declares XML entities, which the exchange refuses.")
        ) from exc
    except DefusedXmlException as exc:
        raise CommerceMLError(
            _("The file refers to external resources, which the exchange refuses.")
        ) from exc
    except (ParseError, LookupError, ValueError) as exc:
        raise CommerceMLError(
            _("The file is not well-formed XML: %(error)s") % {"error": str(exc)[:200]}
        ) from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    if root.tag != ROOT:
        raise CommerceMLError(
            _("The file is not a CommerceML document (no <%(root)s> element).")
            % {"root": ROOT}
        )
    return root


def text(element: Element | None, path: str = "") -> str:
    """The stripped text at `path` under `element` ("" when there is none)."""
    if element is None:
        return ""
    found = element.find(path) if path else element
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def decimal_read(value: str) -> Decimal | None:
    """A number as 1C writes it ("1 250,50", "1250.50"); None when it is none."""
    cleaned = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
