"""Readable slugs for Oscar's categories and products (`OSCAR_SLUG_FUNCTION`):
Cyrillic and other scripts transliterated to Latin ("Подшипники" → "podshipniki"),
not escaped into `u041fu043e…` as Oscar's default does."""

from anyascii import anyascii
from django.utils.text import slugify


def slug_transliterate(value, allow_unicode: bool = False) -> str:
    """The slug of `value` in lower-case Latin letters, digits and hyphens.
    `allow_unicode` (OSCAR_SLUG_ALLOW_UNICODE) keeps the original script."""
    text = str(value)
    if allow_unicode:
        return slugify(text, allow_unicode=True)
    return slugify(anyascii(text))
