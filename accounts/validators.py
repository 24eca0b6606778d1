"""Validation of company tax identifiers (Russian INN/KPP, EU VAT) with python-stdnum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import vat as eu_vat
from stdnum.ru import inn as ru_inn

EU_COUNTRIES = frozenset(code.upper() for code in eu_vat.MEMBER_STATES)
_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().-]+$")

# Countries whose companies may register (with an EU VAT number), for choice lists.
EU_COUNTRY_NAMES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GR": _("Greece"),
    "HR": _("Croatia"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "LV": _("Latvia"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SE": _("Sweden"),
    "SI": _("Slovenia"),
    "SK": _("Slovakia"),
}


_STDNUM_REASONS = {
    stdnum_exceptions.InvalidChecksum: _("the check digits do not match"),
    stdnum_exceptions.InvalidLength: _("it has the wrong number of characters"),
    stdnum_exceptions.InvalidFormat: _("it has characters that do not belong there"),
    stdnum_exceptions.InvalidComponent: _("a part of it is unknown"),
}


def _invalid(raw: str, country: str, reason) -> ValidationError:
    return ValidationError(
        _("%(value)s is not a valid tax number for %(country)s: %(reason)s."),
        code="invalid",
        params={"value": raw, "country": country, "reason": reason},
    )


def tax_id_normalize(*, country: str, tax_id: str) -> str:
    """Return the tax id in its canonical compact form, or raise ValidationError."""
    country = (country or "").upper()
    raw = (tax_id or "").strip()
    if not raw:
        raise ValidationError(
            _("Enter the tax identification number."), code="required"
        )
    if country != "RU" and country not in EU_COUNTRIES:
        raise ValidationError(
            _("Registration is available for Russian and EU companies only."),
            code="country",
        )
    compact = re.sub(r"[\s.\-/]", "", raw).upper()
    try:
        if country == "RU":
            return ru_inn.validate(compact)
        # EU VAT numbers are written with the country prefix; accept either form.
        prefix = "EL" if country == "GR" else country
        if not compact[:2].isalpha():
            compact = prefix + compact
        if compact[:2] != prefix:
            raise _invalid(raw, country, _("it belongs to another country"))
        return eu_vat.validate(compact)
    except stdnum_exceptions.ValidationError as exc:
        reason = next(
            (text for kind, text in _STDNUM_REASONS.items() if isinstance(exc, kind)),
            _STDNUM_REASONS[stdnum_exceptions.InvalidFormat],
        )
        raise _invalid(raw, country, reason) from exc


def kpp_normalize(value: str) -> str:
    """Russian KPP: 9 characters, NNNNPPNNN (the reason code may hold letters)."""
    compact = re.sub(r"\s", "", value or "").upper()
    if compact and not _KPP_RE.match(compact):
        raise ValidationError(_("KPP must be 9 characters: NNNNPPNNN."), code="invalid")
    return compact


def phone_normalize(value: str) -> str:
    """Accept the ways people write phone numbers; insist on 7–15 digits."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS_RE.match(value) or not 7 <= len(digits) <= 15:
        raise ValidationError(
            _("Enter a phone number with the country code, e.g. +7 495 123-45-67."),
            code="invalid",
        )
    return value
