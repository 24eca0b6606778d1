"""Text helpers for the embedded index: tokens, a light Russian/English stemmer, edits."""

import re
import unicodedata

from catalog.articles import article_normalize

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


# What separates the codes of a text: spaces and the punctuation around designations
# ("Подшипник 6205-2RS (180205), ВА47-29"); hyphens, dots and slashes stay inside.
_CHUNK = re.compile(r"[^\s,;()\[\]«»\"]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _chunks(text: str) -> list[str]:
    return _CHUNK.findall(unicodedata.normalize("NFKC", text or ""))


def is_code(chunk: str) -> bool:
    """A designation: letters mixed with digits ("ВА47-29", "M8x40", "6205-2RS")."""
    return bool(_LETTER.search(chunk) and _DIGIT.search(chunk))


def code_tokens(text: str) -> list[str]:
    """The codes of a text as `article_normalize` writes them, so that one written
    with Cyrillic look-alike letters and one typed in Latin are the same token.
    The same as `search.backends.postgres`'s SQL `codes()`."""
    found = []
    for chunk in _chunks(text):
        if is_code(chunk):
            code = article_normalize(chunk)
            if len(code) >= 2 and code not in found:
                found.append(code)
    return found


def query_parts(query: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(words, codes) of a query: the words of its plain chunks, and each code with
    the words it is written with ("M8x40" → ("m8x40", ["m8x40"]); "6205-2RS" →
    ("62052rs", ["6205", "2rs"])). A code matches as itself or as its words."""
    words, codes = [], []
    for chunk in _chunks(query):
        code = article_normalize(chunk) if is_code(chunk) else ""
        if len(code) >= 2:
            codes.append((code, tokens(chunk)))
        else:
            words += tokens(chunk)
    return words, codes


def query_numbers(query: str) -> list[str]:
    """The normalised chunks of a query that hold a digit, and the whole query: what
    a product's own number (article, manufacturer's) may begin with."""
    numbers = [article_normalize(c) for c in _chunks(query) if _DIGIT.search(c)]
    whole = article_normalize(query)
    return sorted({n for n in [*numbers, whole] if len(n) >= 3})
