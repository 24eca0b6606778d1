"""Text helpers for the embedded index: tokens, a light Russian/English stemmer, edits."""

import re
import unicodedata

MAX_QUERY_LENGTH = 200

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Longest first; a stem keeps at least three letters. Deliberately small: it folds the
# plural and case forms a buyer types ("подшипники" → "подшипник"), nothing more.
_RU_ENDINGS = sorted(
    """иями ями ами ией ого его ому ему ыми ими ых их ой ей ий ый ая яя ое ее ие ые ую юю
    ом ем ам ям ах ях ов ев ию ия ье ья ы и а я о е у ю ь й""".split(),
    key=len,
    reverse=True,
)
_CYRILLIC = re.compile(r"[а-я]")


def clean_query(value) -> str:
    """The query as searched: NFKC, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def stem(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if _CYRILLIC.search(word):
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())


def stemmed(text: str) -> str:
    """The text as the SQLite index stores it: stems separated by spaces."""
    return " ".join(stem(token) for token in tokens(text))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2
