"""Read a form out of a rendered page the way a browser would submit it."""

import re
from html import unescape

_ATTR = r'{}="([^"]*)"'


def _attr(tag: str, name: str) -> str | None:
    found = re.search(_ATTR.format(name), tag)
    return unescape(found[1]) if found else None


def form_fields(html: str, form_id: str) -> dict[str, list[str]]:
    """name → values of the form with `form_id`: its inputs (checked boxes and radios
    only) and the selected option of each select (the first when none is)."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S)
    assert form, f"no form #{form_id} on the page"
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form[0]):
        name = _attr(tag, "name")
        kind = _attr(tag, "type") or "text"
        if not name or (kind in ("checkbox", "radio") and " checked" not in tag):
            continue
        if kind in ("submit", "button", "file"):
            continue
        fields.setdefault(name, []).append(_attr(tag, "value") or "")
    for select in re.finditer(r"<select[^>]*>.*?</select>", form[0], re.S):
        name = _attr(select[0].split(">", 1)[0], "name")
        options = re.findall(r"<option[^>]*>", select[0])
        chosen = [o for o in options if " selected" in o] or options[:1]
        if name and chosen:
            fields.setdefault(name, []).append(_attr(chosen[0], "value") or "")
    return fields
