"""Article-number normalisation: the one function every lookup of a part number uses.

Buyers type numbers with any separators, in any case, and on either keyboard layout;
`article_normalize("НВ-м8/40")` and `article_normalize("hb m8.40")` are both "hbm840".
"""

import re
import unicodedata

# Cyrillic letters that look like Latin ones are read as their Latin twins.
_LOOKALIKES = str.maketrans(
    {
        "А": "a", "В": "b", "С": "c", "Е": "e", "Н": "h", "К": "k", "М": "m",
        "О": "o", "Р": "p", "Т": "t", "Х": "x", "У": "y", "І": "i", "Ј": "j",
        "Ѕ": "s",
        "а": "a", "в": "b", "с": "c", "е": "e", "н": "h", "к": "k", "м": "m",
        "о": "o", "р": "p", "т": "t", "х": "x", "у": "y", "і": "i", "ј": "j",
        "ѕ": "s", "ё": "e", "Ё": "e",
    }
)  # fmt: skip
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)

ARTICLE_MAX_LENGTH = 64


def article_normalize(value: str | None) -> str:
    """Lower-case letters and digits only, look-alike Cyrillic folded to Latin."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_LOOKALIKES).lower()
    return _NOT_ALNUM.sub("", text)[:ARTICLE_MAX_LENGTH]
