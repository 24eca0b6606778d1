"""Units of measure on documents: the catalogue's unit to its ОКЕИ code and the
Russian short name the official forms (УПД, ТОРГ-12) print. The one place of this
mapping; a unit may be given by its code ("pcs") or by its name in any language
("шт", "pcs"), as invoice lines store it."""

from dataclasses import dataclass

from django.utils import translation

from catalog.models import Unit


@dataclass(frozen=True)
class UnitCode:
    okei: str
    name_ru: str


UNIT_OKEI: dict[str, UnitCode] = {
    Unit.PIECE: UnitCode("796", "шт"),
    Unit.METRE: UnitCode("006", "м"),
    Unit.KILOGRAM: UnitCode("166", "кг"),
    Unit.LITRE: UnitCode("112", "л"),
    Unit.SET: UnitCode("839", "компл"),
    Unit.PACK: UnitCode("778", "упак"),
    Unit.PAIR: UnitCode("715", "пар"),
    Unit.ROLL: UnitCode("736", "рул"),
}
UNKNOWN = UnitCode("—", "")


def _by_name() -> dict[str, str]:
    names = {}
    for language in ("en", "ru"):
        with translation.override(language):
            for unit in Unit:
                names[str(unit.label).lower()] = unit.value
    for code, unit_code in UNIT_OKEI.items():
        names[unit_code.name_ru] = code
    return names


def unit_code(unit: str) -> UnitCode:
    """ОКЕИ code and Russian name of a unit; a dash for a unit the table lacks."""
    key = (unit or "").strip().lower().rstrip(".")
    if key in UNIT_OKEI:
        return UNIT_OKEI[key]
    code = _by_name().get(key)
    if code is None:
        return UnitCode(UNKNOWN.okei, unit or "")
    return UNIT_OKEI[code]


# ISO 4217 numeric codes of the currencies documents are issued in (ОКВ).
CURRENCY_NUMERIC = {
    "RUB": "643",
    "USD": "840",
    "EUR": "978",
    "CNY": "156",
    "KZT": "398",
    "BYN": "933",
}


def unit_label(unit: str, *, language: str) -> str:
    """A unit as a document in `language` prints it: "шт" in Russian, "pcs" in
    English, whichever language the line stored it in; an unknown unit as is."""
    code = unit_code(unit)
    if code.okei == UNKNOWN.okei:
        return unit or ""
    if (language or "").lower().startswith("ru"):
        return code.name_ru
    value = next(key for key, value in UNIT_OKEI.items() if value == code)
    with translation.override("en"):
        return str(Unit(value).label)
