"""The home page's benefit cards: the editor's blocks, else the four standard cards;
the demo fills each home page's cards in its own language, once. And what the block
forms refuse, so an editor cannot publish a block that shows nothing or leads
nowhere."""

import re

import pytest
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Locale, Revision

from catalog.models import Category
from content.blocks import HeroBlock, LiveCatalogBlock
from content.models import HomePage
from shop.demo.content import build_demo_content

pytestmark = pytest.mark.django_db

STANDARD_EN = [
    "Find by article number",
    "Your contract prices",
    "Pay later",
    "Documents 24/7",
]
STANDARD_RU = [
    "Поиск по артикулу",
    "Ваши договорные цены",
    "Оплата с отсрочкой",
    "Документы 24/7",
]


@pytest.fixture
def home():
    return HomePage.objects.get()


def _publish_cards(home, cards):
    home.benefits = [("benefit", card) for card in cards]
    home.save_revision().publish()


def _translation(home, language):
    """The home page's version in `language` (Wagtail localization), published."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    page = home.get_translation_or_none(locale)
    if page is None:
        page = home.copy_for_translation(locale, copy_parents=False)
    page = page.specific
    page.save_revision().publish()
    return page


def _card_titles(html: str) -> list[str]:
    section = html[html.index('<section class="benefits"') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<h2 class="h5">(.*?)</h2>', section)


def test_cards_from_the_field_replace_the_standard_ones(client, home):
    _publish_cards(
        home,
        [
            {"title": "Delivery in 24 hours", "text": "From 12 warehouses."},
            {"title": "Certified parts", "text": "", "icon": "certificate"},
        ],
    )
    html = client.get("/").content.decode()
    assert _card_titles(html) == ["Delivery in 24 hours", "Certified parts"]
    assert "<p>From 12 warehouses.</p>" in html
    assert 'benefit__icon--certificate"' in html
    assert "Pay later" not in html


def test_an_empty_field_shows_the_four_standard_cards(client, home):
    assert not home.benefits
    html = client.get("/").content.decode()
    assert _card_titles(html) == STANDARD_EN
    assert "Any spelling, any manufacturer" in html
    # The Russian home (its own page under /ru/), with no cards of its own either.
    russian = _translation(home, "ru")
    assert not russian.benefits
    html = client.get("/ru/").content.decode()
    assert _card_titles(html) == STANDARD_RU
    assert "Любое написание" in html


def test_a_card_title_is_escaped(client, home):
    _publish_cards(
        home, [{"title": "<script>alert(1)</script>", "text": "<b>bold</b>"}]
    )
    html = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_demo_fills_each_home_in_its_language_once(client, home):
    translated = _translation(home, "ru" if home.locale.language_code == "en" else "en")
    build_demo_content()
    expected = {"en": STANDARD_EN, "ru": STANDARD_RU}
    for page in (home, translated):
        page.refresh_from_db()
        titles = [block.value["title"] for block in page.benefits]
        assert titles == expected[page.locale.language_code]
        assert [block.value["icon"] for block in page.benefits] == [
            "search",
            "price",
            "credit",
            "documents",
        ]
        # Published as a revision: the editor finds the cards in the admin.
        assert page.get_latest_revision() == page.live_revision
        assert len(page.live_revision.as_object().benefits) == 4

    revisions = Revision.objects.count()
    build_demo_content()
    assert Revision.objects.count() == revisions


def test_demo_keeps_the_editors_cards(home):
    _publish_cards(home, [{"title": "Our own card", "text": ""}])
    build_demo_content()
    home.refresh_from_db()
    assert [block.value["title"] for block in home.benefits] == ["Our own card"]


def test_a_catalogue_block_with_nothing_chosen_is_refused():
    block = LiveCatalogBlock()
    empty = block.to_python({"title": "Popular", "categories": [], "articles": " "})
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(empty)
    assert refused.value.non_block_errors.as_data()[0].messages == [
        "Choose at least one category or give article numbers."
    ]
    category = Category.add_root(name="Bearings", slug="bearings")
    for value in (
        {"categories": [category.pk], "articles": ""},
        {"categories": [], "articles": "6205-2RS"},
    ):
        assert block.clean(block.to_python({"title": "", "limit": 6, **value}))


def test_a_hero_button_set_to_a_link_needs_the_link():
    block = HeroBlock()
    hero = {"title": "Bearings", "cta_label": "Catalogue", "cta_url": ""}
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({**hero, "cta_action": "link"}))
    assert list(refused.value.block_errors) == ["cta_url"]
    assert block.clean(block.to_python({**hero, "cta_action": "form"}))
    assert block.clean(
        block.to_python({**hero, "cta_action": "link", "cta_url": "/catalogue/"})
    )
