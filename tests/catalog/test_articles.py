"""Article-number normalisation: every spelling a buyer types finds the same number."""

import pytest

from catalog.articles import article_normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6205-2RS", "62052rs"),
        ("6205 2RS", "62052rs"),
        ("6205.2rs", "62052rs"),
        ("6205/2RS", "62052rs"),
        ("  6205_2RS  ", "62052rs"),
        ("６２０５－２ＲＳ", "62052rs"),  # full-width forms from copied documents
        ("НВ-М8", "hbm8"),  # Cyrillic look-alikes typed on the Russian layout
        ("hb-m8", "hbm8"),
        ("DSNU-25-100-PPV-A", "dsnu25100ppva"),
        ("dsnu 25 100 ppv a", "dsnu25100ppva"),
        ("DIN 933 M8x40", "din933m8x40"),
        ("DIN933-M8х40", "din933m8x40"),  # Cyrillic "х" in the size
        ("ВА47-29", "ba4729"),
        ("МВА20-1-016-С", "mba201016c"),
        ("2CDS251001R0164", "2cds251001r0164"),
        ("А9F74116", "a9f74116"),  # Cyrillic А at the start
        ("ГОСТ 8338-75", "гoct833875"),  # letters without a Latin twin stay
        ("", ""),
        (None, ""),
        ("---", ""),
    ],
)
def test_article_normalize(typed, expected):
    assert article_normalize(typed) == expected


def test_every_lookalike_pair_folds_to_latin():
    cyrillic = "АВСЕНКМОРТХавсекмортху"
    latin = "abcehkmoptxabcekmoptxy"
    assert article_normalize(cyrillic) == latin


def test_normalised_columns_are_stored_on_save(db):
    from tests.factories import ProductFactory

    product = ProductFactory(article="НВ-М8/40", manufacturer_article="DIN 933 M8x40")
    product.refresh_from_db()
    assert product.article_normalized == "hbm840"
    assert product.manufacturer_article_normalized == "din933m8x40"
