"""The product page: numbers, stock per warehouse, analogues in stock first, successor."""

import pytest

from catalog.analogues import analogue_link
from catalog.models import CrossReference, Lifecycle
from tests.factories import PartnerFactory, ProductFactory, StockRecordFactory

pytestmark = pytest.mark.django_db


def _with_stock(product, qty, partner):
    StockRecordFactory(product=product, partner=partner, num_in_stock=qty)
    return product


def test_page_shows_numbers_warehouses_and_analogues(client):
    msk = PartnerFactory(
        name="Moscow", code="msk", lead_time_min_days=0, lead_time_max_days=1
    )
    far = PartnerFactory(
        name="Supplier",
        code="sup",
        lead_time_min_days=5,
        lead_time_max_days=7,
        restock_days=0,
    )
    product = ProductFactory(article="6205-2RS-SKF", manufacturer_article="6205-2RSH")
    _with_stock(product, 0, msk)
    _with_stock(product, 0, far)
    CrossReference.objects.create(product=product, kind="standard", number="180205")
    empty = ProductFactory(article="6205-2RS-NSK")
    stocked = _with_stock(ProductFactory(article="6205-2RS-FAG"), 40, msk)
    analogue_link(product=product, other=empty)
    analogue_link(product=product, other=stocked)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "180205" in html and "6205-2RSH" in html
    # nothing on hand: the promise is the slowest carrying warehouse's lead time
    assert "5–7 days" in html and "0–1 days" not in html
    # out of stock: the in-stock analogue is listed first and highlighted
    assert html.index("6205-2RS-FAG") < html.index("6205-2RS-NSK")
    assert "is-highlighted" in html


def test_in_stock_product_lists_warehouses_with_stock(client):
    msk = PartnerFactory(
        name="Moscow", code="msk", lead_time_min_days=0, lead_time_max_days=1
    )
    ekb = PartnerFactory(
        name="Ekaterinburg", code="ekb", lead_time_min_days=2, lead_time_max_days=3
    )
    product = ProductFactory(article="DIN933-M8x40")
    _with_stock(product, 120, msk)
    _with_stock(product, 0, ekb)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "In stock: 120" in html
    assert "Moscow" in html and "in stock 120" in html and "0–1 days" in html
    assert "Ekaterinburg" not in html


def test_discontinued_product_points_to_successor(client):
    new = ProductFactory(article="NEW-1")
    old = ProductFactory(
        article="OLD-1", lifecycle=Lifecycle.DISCONTINUED, successor=new
    )
    html = client.get(old.get_absolute_url()).content.decode()
    assert "discontinued" in html
    assert new.get_absolute_url() in html


def test_page_with_20_analogues_and_10_crossrefs_has_a_query_budget(
    client, django_assert_max_num_queries
):
    """Budget: 40 queries whatever the number of analogues (session, basket, strategy,
    categories, relations, stock — none per related product)."""
    warehouse = PartnerFactory(code="msk")
    product = _with_stock(ProductFactory(article="MAIN"), 5, warehouse)
    for i in range(10):
        CrossReference.objects.create(product=product, number=f"REF-{i}")
    for i in range(20):
        other = _with_stock(ProductFactory(article=f"AN-{i}"), i, warehouse)
        analogue_link(product=product, other=other)
    client.get(product.get_absolute_url())  # warm caches (site, content types)
    with django_assert_max_num_queries(40):
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("AN-") >= 20
