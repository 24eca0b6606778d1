"""The listing's layout switch (table by default, cards on request, remembered in the
session and part of the cached list's key) and the price label of the one price
partial."""

from decimal import Decimal

import pytest

from catalog.pricing.engine import PriceQuote
from search.fragments import LISTING_VIEW_SESSION_KEY
from tests.cabinet.factories import priced_product
from tests.pricing.factories import ContractFactory, ContractItemFactory


def test_table_by_default_and_cards_on_request_remembered(client, catalogue):
    page = client.get("/search/?q=подшипник").content.decode()
    assert "listing-table" in page and 'aria-pressed="true" data-view="table"' in page
    page = client.get("/search/?q=подшипник&view=cards").content.decode()
    assert "listing-table" not in page and "product_pod" in page
    assert 'aria-pressed="true" data-view="cards"' in page
    assert client.session[LISTING_VIEW_SESSION_KEY] == "cards"
    page = client.get("/search/?q=подшипник").content.decode()  # remembered
    assert "product_pod" in page and "listing-table" not in page
    sort_links = page.split('class="search-sort"')[1].split("</nav>")[0]
    assert "view=" not in sort_links  # other links do not carry it
    client.get("/search/?q=подшипник&view=table")
    assert client.session[LISTING_VIEW_SESSION_KEY] == "table"


def test_a_bad_view_is_the_default_and_a_visitor_gets_no_session(
    client, catalogue, settings
):
    response = client.get("/search/?q=подшипник&view=<script>")
    assert response.status_code == 200
    assert "listing-table" in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # still a visitor


def test_layout_is_part_of_the_cached_list(client, catalogue, settings):
    settings.SHOP_LISTING_CACHE_SECONDS = 60
    assert "listing-table" in client.get("/search/?q=подшипник").content.decode()
    cards = client.get("/search/?q=подшипник&view=cards").content.decode()
    assert "listing-table" not in cards


@pytest.mark.parametrize(
    ("net", "list_net", "saving"),
    [("88.00", "100.00", 12), ("100.00", "100.00", None), ("50.00", None, None)],
)
def test_saving_against_the_list_price(net, list_net, saving):
    quote = PriceQuote(
        net=Decimal(net),
        gross=Decimal(net),
        vat_rate=Decimal(0),
        currency="RUB",
        rule="contract",
        source="C-1",
        list_net=Decimal(list_net) if list_net else None,
    )
    assert quote.saving_percent == saving


def test_the_price_says_whose_it_is(client, buyer, company):
    listed = priced_product(title="Listed bearing", article="LST-1", price="100.00")
    contracted = priced_product(title="Contract bearing", article="CTR-1")
    contract = ContractFactory(company=company)
    ContractItemFactory(contract=contract, product=contracted, price=Decimal("88"))
    client.force_login(buyer)
    page = client.get(contracted.get_absolute_url()).content.decode()
    assert "Your contract price" in page and "−12 % vs list" in page
    page = client.get(listed.get_absolute_url()).content.decode()
    assert "List price" in page and "vs list" not in page
