"""The ranking rules of the database backend (PostgreSQL and SQLite), each on a small
catalogue of its own: field weights, codes in the other alphabet, prefixes of every
number, ties (own number, stock, the company's previous orders)."""

import pytest

from accounts.models import Role
from catalog.models import Category, CrossReference
from sales.checkout.services import order_place
from sales.order.models import PaymentMethod
from search.backends import get_backend
from search.models import OrderedProduct
from tests.factories import MembershipFactory, ProductFactory, StockRecordFactory
from tests.invoicing.conftest import _media_and_no_pdf_on_commit  # noqa: F401
from tests.invoicing.factories import (
    SellerEntityFactory,
    VatStrategy,
    basket_make,
    checkout_details,
    stockrecord_make,
)

pytestmark = pytest.mark.django_db


def search(query, **kwargs):
    return get_backend("database").search(query=query, **kwargs)


def articles(page):
    return [hit.product.article for hit in page.hits]


def product(article, title, *, stock=0, **fields):
    made = ProductFactory(article=article, title=title, **fields)
    StockRecordFactory(product=made, num_in_stock=stock)
    return made


# 1. Field weights ---------------------------------------------------------------------


def test_a_word_in_the_title_outranks_cross_references_categories_and_descriptions():
    # By title alone the order would be the reverse.
    product("DESC", "A clamp", description="Fits every gearbox")
    in_category = product("CAT", "B clamp")
    in_category.categories.add(Category.add_root(name="Gearbox parts", slug="gp"))
    referenced = product("REF", "C clamp")
    CrossReference.objects.create(product=referenced, brand="Gearbox", number="X-1")
    product("TITLE", "D gearbox")
    get_backend("database").rebuild()

    page = search("gearbox")

    assert articles(page) == ["TITLE", "REF", "CAT", "DESC"]
    assert {hit.matched_on for hit in page.hits} == {"name"}


def test_all_the_words_in_the_title_outrank_words_spread_over_fields():
    spread = product("SPREAD", "A pump", description="with a filter")
    spread.categories.add(Category.add_root(name="Filters", slug="filters"))
    product("TITLE", "B pump filter")
    get_backend("database").rebuild()

    assert articles(search("pump filter")) == ["TITLE", "SPREAD"]


# 2. Codes in the other alphabet --------------------------------------------------------


def test_codes_in_titles_are_found_in_either_alphabet():
    product("IEK-1", "Автоматический выключатель ВА47-29 1P С16")  # Cyrillic В, А, С
    product("BOLT-1", "Bolt DIN 933 M8x40")  # Latin M and x
    get_backend("database").rebuild()

    assert articles(search("BA47-29 C16")) == ["IEK-1"]  # typed in Latin
    assert articles(search("выключатель ba4729")) == ["IEK-1"]
    assert articles(search("М8х40")) == ["BOLT-1"]
    assert articles(search("М8х40 DIN 933")) == ["BOLT-1"]  # typed in Cyrillic


def test_codes_in_cross_references_are_found_in_either_alphabet():
    referenced = product("SCREW-1", "Screw")
    CrossReference.objects.create(
        product=referenced, brand="ГОСТ", number="11738 М6х20"
    )
    get_backend("database").rebuild()

    page = search("11738 M6x20")

    assert articles(page) == ["SCREW-1"]


# 3. Prefixes of every number -----------------------------------------------------------


def test_a_manufacturers_number_typed_up_to_its_suffix_finds_the_product():
    product("X-1", "Bearing", manufacturer_article="6205-2RSH/C3")
    get_backend("database").rebuild()

    for typed in ("6205-2RSH", "6205-2RS", "6205"):
        page = search(typed)
        assert articles(page) == ["X-1"], typed
        assert page.hits[0].matched_on == "manufacturer_article"


def test_a_cross_reference_typed_up_to_its_suffix_finds_the_product():
    referenced = product("X-2", "Bearing")
    CrossReference.objects.create(product=referenced, number="NU205-E-TVP2")
    get_backend("database").rebuild()

    page = search("NU205")

    assert articles(page) == ["X-2"]
    assert page.hits[0].matched_on == "cross_reference"
    assert articles(search("NU205-E")) == ["X-2"]


# 4. Ties -------------------------------------------------------------------------------


def test_an_own_number_outranks_a_cross_reference_in_the_same_tier_even_in_stock():
    referenced = product("A-REF", "A bearing", stock=10)
    CrossReference.objects.create(product=referenced, number="6205-2RS")
    product("B-OWN", "B bearing", manufacturer_article="6205-ZZ")  # out of stock
    get_backend("database").rebuild()

    assert articles(search("6205")) == ["B-OWN", "A-REF"]


def test_an_own_number_in_the_words_outranks_a_cross_reference_in_the_words():
    referenced = product("A-REF", "A bearing 6205 analogue", stock=10)
    CrossReference.objects.create(product=referenced, number="180205")
    product("B-OWN", "B bearing", manufacturer_article="6205-2Z")
    get_backend("database").rebuild()

    assert articles(search("bearing 6205")) == ["B-OWN", "A-REF"]


def test_in_stock_before_out_of_stock_within_a_tier():
    product("A-OUT", "A gearbox")
    product("B-IN", "B gearbox", stock=3)
    product("C-ALLOCATED", "C gearbox")
    get_backend("database").rebuild()

    assert articles(search("gearbox")) == ["B-IN", "A-OUT", "C-ALLOCATED"]


def test_the_companys_previously_ordered_products_first_among_equals(company):
    SellerEntityFactory()  # who invoices the order
    product("A-NEW", "A gearbox", stock=5)
    ordered = stockrecord_make(
        product=ProductFactory(article="B-ORDERED", title="B gearbox"), stock=5
    )
    product("C-OUT", "C gearbox")
    membership = MembershipFactory(company=company, role=Role.BUYER)
    order_place(
        basket_id=basket_make(user=membership.user, items=[(ordered, 1)]).pk,
        strategy=VatStrategy(),
        user=membership.user,
        membership=membership,
        details=checkout_details(
            company=company, payment_method=PaymentMethod.BANK_TRANSFER
        ),
    )
    get_backend("database").rebuild()

    assert OrderedProduct.objects.filter(company=company).count() == 1
    assert articles(search("gearbox", company=company)) == [
        "B-ORDERED", "A-NEW", "C-OUT",
    ]  # fmt: skip
    # Another company's orders are not this buyer's: by title.
    assert articles(search("gearbox")) == ["A-NEW", "B-ORDERED", "C-OUT"]
    other = MembershipFactory(role=Role.BUYER).company
    assert articles(search("gearbox", company=other)) == [
        "A-NEW", "B-ORDERED", "C-OUT",
    ]  # fmt: skip
