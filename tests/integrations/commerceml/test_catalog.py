"""1C sends its catalogue (import.xml) and its offers (offers.xml) through the
exchange protocol: products, categories, list prices and stock appear as 1C has
them, through the catalogue import; the same files again change nothing."""

from decimal import Decimal

import pytest

from catalog.models import CrossReference, Product
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceList, PriceListItem
from integrations.models import ExchangeItem, ExchangeLog
from tests.cabinet.factories import priced_product, public_list
from tests.factories import ManufacturerFactory, ProductFactory
from tests.integrations.commerceml.client import fixture

pytestmark = pytest.mark.django_db

BEARING = "a1c3e5f0-7d21-11e9-80d3-00155d0a1f01"
BOLT = "c4d5e6f7-7d21-11e9-80d3-00155d0a1f01"
UNKNOWN = "ffffffff-7d21-11e9-80d3-00155d0a1f01"


def _price(article: str) -> Decimal | None:
    item = PriceListItem.objects.filter(
        price_list=PriceList.objects.public(), product__article=article, min_quantity=1
    ).first()
    return item.price if item else None


def _stock(article: str) -> int | None:
    record = StockRecord.objects.filter(product__article=article).first()
    return record.num_in_stock if record else None


def _category(article: str) -> str:
    return " > ".join(
        c.name
        for c in Product.objects.get(article=article)
        .categories.get()
        .get_ancestors_and_self()
    )


def test_checkauth_answers_the_session_cookie_and_init_the_limits(one_c, client):
    reply = one_c.checkauth()
    assert reply.status == 200
    assert reply.lines[:2] == ["success", "sessionid"]
    assert reply.lines[2] == client.session.session_key
    assert one_c.init() == {"zip": "no", "file_limit": str(10 * 1024 * 1024)}


def test_import_then_offers_make_the_catalogue(one_c, exchanger):
    import_reply, offers_reply = one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )

    assert import_reply.ok, import_reply
    assert "Items waiting for a price (offers.xml): 5." in import_reply.reason
    assert offers_reply.ok, offers_reply
    assert "Products created: 5, updated: 0, unchanged: 0." in offers_reply.reason
    assert f"Offers for unknown items (not in import.xml): 1: {UNKNOWN}" in (
        offers_reply.reason
    )

    bearing = Product.objects.get(article="6205-2RS")
    assert bearing.title == "Подшипник шариковый радиальный 6205-2RS"
    assert bearing.manufacturer.name == "SKF"
    assert (bearing.unit, bearing.vat_rate) == ("pcs", Decimal("20"))
    assert bearing.description.startswith("Закрытый с двух сторон")
    assert _category("6205-2RS") == "Подшипники > Шариковые подшипники"
    assert _category("NU 205 ECP") == "Подшипники > Роликовые подшипники"
    assert _category("DIN125-M8-100") == "Крепёж"
    # The first price type (Оптовая) is the list price; 1C's stock the default
    # warehouse's; characteristics add their stock, negative stock is none.
    assert {
        a: (_price(a), _stock(a))
        for a in ("6205-2RS", "6206-ZZ", "NU 205 ECP", BOLT, "DIN125-M8-100")
    } == {
        "6205-2RS": (Decimal("412.50"), 12),
        "6206-ZZ": (Decimal("1030.00"), 5),
        "NU 205 ECP": (Decimal("2870.00"), 5),
        BOLT: (Decimal("6.80"), 1500),
        "DIN125-M8-100": (Decimal("145.00"), 0),
    }
    washer = Product.objects.get(article="DIN125-M8-100")
    assert (washer.unit, washer.vat_rate) == ("pack", Decimal("10"))
    assert Product.objects.get(article=BOLT).title == "Болт М8х40 DIN 933 оцинкованный"
    assert dict(
        ExchangeItem.objects.values_list("external_id", "product__article")
    ) == {
        BEARING: "6205-2RS",
        "a1c3e5f1-7d21-11e9-80d3-00155d0a1f01": "6206-ZZ",
        "a1c3e5f2-7d21-11e9-80d3-00155d0a1f01": "NU 205 ECP",
        BOLT: BOLT,
        "d8e9f0a1-7d21-11e9-80d3-00155d0a1f01": "DIN125-M8-100",
    }
    steps = list(
        ExchangeLog.objects.order_by("pk").values_list("mode", "filename", "ok", "user")
    )
    assert steps == [
        ("checkauth", "", True, exchanger.pk),
        ("init", "", True, exchanger.pk),
        ("file", "import.xml", True, exchanger.pk),
        ("file", "import.xml", True, exchanger.pk),
        ("import", "import.xml", True, exchanger.pk),
        ("file", "offers.xml", True, exchanger.pk),
        ("file", "offers.xml", True, exchanger.pk),
        ("import", "offers.xml", True, exchanger.pk),
    ]


def _state():
    return {
        "products": sorted(
            Product.objects.values_list(
                "article", "title", "manufacturer__name", "unit", "vat_rate",
                "description", "date_updated",
            )
        ),
        "prices": sorted(
            PriceListItem.objects.values_list("product__article", "price", "pk")
        ),
        "stock": sorted(
            StockRecord.objects.values_list("product__article", "num_in_stock", "pk")
        ),
        "categories": sorted(
            Product.objects.values_list("article", "categories__pk")
        ),
        "items": sorted(
            ExchangeItem.objects.values_list("external_id", "data", "updated_at")
        ),
    }  # fmt: skip


def test_the_same_files_again_change_nothing(one_c):
    files = (
        ("import.xml", fixture("import.xml")),
        ("offers.xml", fixture("offers.xml")),
    )
    one_c.send_catalog(*files)
    before = _state()

    import_reply, offers_reply = one_c.send_catalog(*files)

    assert "Products created: 0, updated: 0, unchanged: 5." in import_reply.reason
    assert "Products created: 0, updated: 0, unchanged: 5." in offers_reply.reason
    assert _state() == before


def test_the_price_type_named_in_the_settings_is_imported(one_c, settings):
    settings.COMMERCEML_PRICE_TYPE = "Розничная"
    _import, offers = one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )
    assert offers.ok
    assert (_price("6205-2RS"), _price("6206-ZZ"), _price(BOLT)) == (
        Decimal("495.00"),
        Decimal("1240.00"),
        Decimal("9.50"),
    )
    # No retail price in 1C: said so, not created.
    assert (
        "NU 205 ECP: no price of the imported type; not created yet." in offers.reason
    )
    assert not Product.objects.filter(article="NU 205 ECP").exists()


def test_a_price_type_missing_from_the_file_is_refused(one_c, settings):
    one_c.send_catalog(("import.xml", fixture("import.xml")))
    settings.COMMERCEML_PRICE_TYPE = "Дилерская"
    [reply] = one_c.send_catalog(("offers.xml", fixture("offers.xml")))
    assert reply.failed
    assert reply.reason == (
        "The price type Дилерская is not in the file (it has: Оптовая, Розничная)."
    )
    assert not Product.objects.exists()


def test_windows_1251_without_namespace(one_c):
    import_reply, offers_reply = one_c.send_catalog(
        ("import.xml", fixture("import_cp1251.xml")),
        ("offers.xml", fixture("offers.xml")),
    )
    assert import_reply.ok and offers_reply.ok, (import_reply, offers_reply)
    assert Product.objects.get(article="6206-ZZ").title == (
        "Подшипник шариковый радиальный 6206-ZZ"
    )
    assert _category("DIN125-M8-100") == "Крепеж"
    assert Product.objects.count() == 5


def test_an_existing_product_is_updated_and_keeps_what_1c_does_not_send(one_c):
    public_list()
    product = priced_product(
        article="6206-ZZ",
        title="Old title",
        manufacturer=ManufacturerFactory(name="Old brand"),
        manufacturer_article="6206-2Z/C3",
        pack_size=2,
        price="999.00",
    )
    CrossReference.objects.create(product=product, number="80206")
    ProductFactory(article="UNRELATED-1")

    [reply] = one_c.send_catalog(("import.xml", fixture("import.xml")))

    assert "Products created: 0, updated: 1, unchanged: 0." in reply.reason
    assert "Items waiting for a price (offers.xml): 4." in reply.reason
    product.refresh_from_db()
    assert product.title == "Подшипник шариковый радиальный 6206-ZZ"
    assert product.manufacturer.name == "FAG"
    assert (product.manufacturer_article, product.pack_size) == ("6206-2Z/C3", 2)
    assert list(product.cross_references.values_list("number", flat=True)) == ["80206"]
    assert _price("6206-ZZ") == Decimal("999.00")
    assert ExchangeItem.objects.get(article="6206-ZZ").product == product
    assert Product.objects.count() == 2


def test_a_file_posted_as_a_form_body_is_taken_as_it_is(one_c):
    """Some 1C versions label the body application/x-www-form-urlencoded."""
    assert one_c.checkauth().ok
    one_c.init()
    data = fixture("import.xml")
    response = one_c.client.post(
        "/exchange/1c/?type=catalog&mode=file&filename=import.xml",
        data,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.content.decode().startswith("success")
    reply = one_c.import_file("import.xml")
    assert reply.ok, reply
    assert ExchangeItem.objects.count() == 5
