"""Purchase lists: pages, the add endpoint, ordering into the basket, export/import,
isolation between companies, roles, the API and query budgets."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from accounts.models import ApiToken
from cabinet.lists.services import ListItem, purchase_list_add_items
from cabinet.models import PurchaseList
from catalog.analogues import analogue_link
from catalog.models import CompanyPartNumber, Lifecycle
from catalog.pricing.models import PriceList
from sales.basket.models import Basket
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# -- fixtures ------------------------------------------------------------------


@pytest.fixture
def public_list(db):
    return PriceListFactory(
        code="list", name="List price", kind=PriceList.Kind.LIST, currency="RUB"
    )


@pytest.fixture
def terms(company, public_list):
    """The company buys from its own wholesale list."""
    return CompanyPriceTermsFactory(company=company)


def _priced(public_list, terms, *, article, title=None, stock=100, price="91.00"):
    product = ProductFactory(article=article, title=title or f"Product {article}")
    StockRecordFactory(product=product, num_in_stock=stock)
    PriceListItemFactory(price_list=public_list, product=product, price=Decimal("100"))
    PriceListItemFactory(
        price_list=terms.price_list, product=product, price=Decimal(price)
    )
    return product


@pytest.fixture
def products(public_list, terms):
    return [
        _priced(public_list, terms, article="6205-2RS", price="91.00"),
        _priced(public_list, terms, article="DIN933-M8", price="12.50"),
        _priced(public_list, terms, article="IEK-C16", price="300.00"),
    ]


@pytest.fixture
def plist(company, buyer, products):
    purchase_list = PurchaseList.objects.create(
        company=company, name="Workshop", created_by=buyer
    )
    purchase_list_add_items(
        purchase_list=purchase_list,
        items=[ListItem(p, q) for p, q in zip(products, (2, 10, 1), strict=True)],
    )
    return purchase_list


def _member(company, role="buyer"):
    return MembershipFactory(company=company, role=role).user


def _client_for(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _lines(purchase_list) -> dict[str, int]:
    return {
        line.product.article: line.quantity
        for line in purchase_list.lines.select_related("product")
    }


def _basket(user) -> dict[str, tuple[int, Decimal]]:
    basket = Basket.objects.get(owner=user, status=Basket.OPEN)
    return {
        line.product.article: (line.quantity, line.price_excl_tax)
        for line in basket.lines.select_related("product")
    }


# -- create, rename, delete ----------------------------------------------------


def test_create_rename_delete(buyer_client, company, buyer):
    response = buyer_client.post(reverse("cabinet:list-create"), {"name": "  Tools "})
    purchase_list = PurchaseList.objects.get(company=company)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cabinet:list-detail", args=[purchase_list.pk]
    )
    assert purchase_list.name == "Tools" and purchase_list.created_by == buyer

    # the same name in another case is the same list
    response = buyer_client.post(
        reverse("cabinet:list-create"), {"name": "tools"}, follow=True
    )
    assert "A list named “tools” already exists." in _messages(response)
    assert PurchaseList.objects.filter(company=company).count() == 1

    buyer_client.post(
        reverse("cabinet:list-rename", args=[purchase_list.pk]), {"name": "Spares"}
    )
    purchase_list.refresh_from_db()
    assert purchase_list.name == "Spares"

    index = buyer_client.get(reverse("cabinet:list-index")).content.decode()
    assert "Spares" in index and escape(buyer.get_full_name()) in index

    page = buyer_client.get(reverse("cabinet:list-delete", args=[purchase_list.pk]))
    assert page.status_code == 200 and "Spares" in page.content.decode()
    response = buyer_client.post(
        reverse("cabinet:list-delete", args=[purchase_list.pk])
    )
    assert response["Location"] == reverse("cabinet:list-index")
    assert not PurchaseList.objects.filter(pk=purchase_list.pk).exists()


def test_empty_name_is_refused(buyer_client, company):
    response = buyer_client.post(
        reverse("cabinet:list-create"), {"name": "   "}, follow=True
    )
    assert "Give the list a name." in _messages(response)
    assert not PurchaseList.objects.exists()


def test_index_shows_lines_count_and_creator(buyer_client, plist, buyer):
    html = buyer_client.get(reverse("cabinet:list-index")).content.decode()
    assert "Workshop" in html
    assert '<td class="text-right">3</td>' in html
    assert escape(buyer.get_full_name()) in html


# -- adding lines ---------------------------------------------------------------


def test_product_page_offers_the_company_lists(client, buyer, plist, products):
    url = products[0].get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert 'id="add-to-list"' not in anonymous
    client.force_login(buyer)
    html = client.get(url).content.decode()
    assert 'id="add-to-list"' in html
    assert f'<option value="{plist.pk}">Workshop</option>' in html
    assert reverse("cabinet:list-add-items") in html


def test_product_page_spends_one_query_on_the_lists(client, buyer, plist, products):
    url = products[0].get_absolute_url()
    client.force_login(buyer)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    lists_queries = [
        q for q in ctx.captured_queries if "cabinet_purchaselist" in q["sql"]
    ]
    assert len(lists_queries) == 1


def test_product_page_hides_the_form_without_company_or_for_accountants(
    client, company, products
):
    url = products[0].get_absolute_url()
    client.force_login(UserFactory())
    assert 'id="add-to-list"' not in client.get(url).content.decode()
    client.force_login(_member(company, role="accountant"))
    assert 'id="add-to-list"' not in client.get(url).content.decode()


def test_product_page_form_posts_to_a_new_list(buyer_client, company, products):
    url = products[0].get_absolute_url()
    response = buyer_client.post(
        reverse("cabinet:list-add-items"),
        {
            "product": products[0].pk,
            "quantity": "4",
            "list": "",
            "new_list_name": "Maintenance",
            "next": url,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    purchase_list = PurchaseList.objects.get(company=company, name="Maintenance")
    assert _lines(purchase_list) == {"6205-2RS": 4}


def test_add_items_endpoint_sums_duplicates_and_keeps_order(
    buyer_client, plist, products
):
    new = ProductFactory(article="NEW-1")
    response = buyer_client.post(
        reverse("cabinet:list-add-items"),
        {
            "product": [new.pk, products[0].pk, new.pk],
            "quantity": ["1", "3", "2"],
            "list": str(plist.pk),
        },
    )
    assert response["Location"] == reverse("cabinet:list-detail", args=[plist.pk])
    assert _lines(plist) == {"6205-2RS": 5, "DIN933-M8": 10, "IEK-C16": 1, "NEW-1": 3}
    order = list(
        plist.lines.order_by("position").values_list("product__article", flat=True)
    )
    assert order == ["6205-2RS", "DIN933-M8", "IEK-C16", "NEW-1"]


@pytest.mark.parametrize(
    "data",
    [
        {"product": ["{p}"], "quantity": ["0"]},
        {"product": ["{p}"], "quantity": ["-2"]},
        {"product": ["{p}"], "quantity": ["1.5"]},
        {"product": ["{p}", "{p}"], "quantity": ["1"]},
        {"product": ["abc"], "quantity": ["1"]},
        {"product": ["{hidden}"], "quantity": ["1"]},
        {"product": ["999999"], "quantity": ["1"]},
        {"product": ["99999999999999999999999"], "quantity": ["1"]},
        {"product": ["{p}"], "quantity": ["NaN"]},
        {"product": [], "quantity": []},
    ],
)
def test_add_items_endpoint_refuses_bad_input(buyer_client, plist, products, data):
    hidden = ProductFactory(article="HID-1", is_public=False)
    values = {"p": products[0].pk, "hidden": hidden.pk}
    post = {k: [v.format(**values) for v in vs] for k, vs in data.items()}
    post["list"] = str(plist.pk)
    before = _lines(plist)
    response = buyer_client.post(reverse("cabinet:list-add-items"), post, follow=True)
    assert response.status_code == 200
    assert any(
        m.startswith(("Quantities", "Unknown product", "Nothing to add"))
        for m in _messages(response)
    )
    assert _lines(plist) == before


def test_add_items_endpoint_ignores_an_unsafe_next(buyer_client, plist, products):
    response = buyer_client.post(
        reverse("cabinet:list-add-items"),
        {
            "product": products[0].pk,
            "quantity": 1,
            "list": plist.pk,
            "next": "https://evil.example.com/",
        },
    )
    assert response["Location"] == reverse("cabinet:list-detail", args=[plist.pk])


def test_new_list_needs_a_free_name(buyer_client, plist, products):
    response = buyer_client.post(
        reverse("cabinet:list-add-items"),
        {"product": products[0].pk, "quantity": 1, "new_list_name": "WORKSHOP"},
        follow=True,
    )
    assert "A list named “WORKSHOP” already exists." in _messages(response)
    assert PurchaseList.objects.count() == 1


def test_add_by_article_and_company_number(buyer_client, company, plist, products):
    extra = ProductFactory(article="BELT-1000")
    CompanyPartNumber.objects.create(company=company, product=extra, number="OUR-77")
    url = reverse("cabinet:list-add-article", args=[plist.pk])
    buyer_client.post(url, {"article": "din 933 m8", "quantity": "5", "note": "x"})
    buyer_client.post(url, {"article": "OUR-77", "quantity": "2"})
    response = buyer_client.post(
        url, {"article": "NOPE-1", "quantity": "1"}, follow=True
    )
    assert "“NOPE-1” is not in the catalogue." in _messages(response)
    response = buyer_client.post(
        url, {"article": "BELT-1000", "quantity": "0"}, follow=True
    )
    assert "Enter an article and a positive whole quantity." in _messages(response)
    assert _lines(plist) == {
        "6205-2RS": 2, "DIN933-M8": 15, "IEK-C16": 1, "BELT-1000": 2,
    }  # fmt: skip


def test_edit_quantities_and_remove_lines(buyer_client, plist):
    lines = {line.product.article: line for line in plist.lines.all()}
    url = reverse("cabinet:list-update", args=[plist.pk])
    buyer_client.post(url, {f"qty-{lines['6205-2RS'].pk}": "7"})
    assert _lines(plist)["6205-2RS"] == 7
    response = buyer_client.post(url, {f"qty-{lines['6205-2RS'].pk}": "0"}, follow=True)
    assert "Quantities must be positive whole numbers: 0" in _messages(response)
    assert _lines(plist)["6205-2RS"] == 7
    buyer_client.post(
        reverse("cabinet:list-remove", args=[plist.pk]),
        {"line": [lines["DIN933-M8"].pk, lines["IEK-C16"].pk]},
    )
    assert _lines(plist) == {"6205-2RS": 7}


# -- the detail page and ordering -----------------------------------------------


def test_detail_shows_company_prices_and_availability(buyer_client, plist):
    html = buyer_client.get(reverse("cabinet:list-detail", args=[plist.pk]))
    html = html.content.decode()
    assert "6205-2RS" in html and "DIN933-M8" in html
    assert "91.00" in html and "12.50" in html and "100.00" not in html
    assert "In stock: 100" in html
    assert 'formaction="' + reverse("cabinet:list-order", args=[plist.pk]) in html


def test_order_all_puts_lines_in_the_basket_at_company_prices(
    buyer_client, buyer, plist
):
    response = buyer_client.post(
        reverse("cabinet:list-order", args=[plist.pk]), {"scope": "all"}
    )
    assert response["Location"] == reverse("basket:summary")
    assert _basket(buyer) == {
        "6205-2RS": (2, Decimal("91.00")),
        "DIN933-M8": (10, Decimal("12.50")),
        "IEK-C16": (1, Decimal("300.00")),
    }


def test_order_selected_uses_the_quantities_on_screen(buyer_client, buyer, plist):
    lines = {line.product.article: line for line in plist.lines.all()}
    bolt = lines["DIN933-M8"]
    buyer_client.post(
        reverse("cabinet:list-order", args=[plist.pk]),
        {
            "scope": "selected",
            "line": [bolt.pk],
            f"qty-{bolt.pk}": "25",
            f"qty-{lines['6205-2RS'].pk}": "3",
        },
    )
    assert _basket(buyer) == {"DIN933-M8": (25, Decimal("12.50"))}
    assert _lines(plist)["DIN933-M8"] == 10  # the list itself is unchanged


def test_order_selected_without_selection(buyer_client, plist):
    response = buyer_client.post(
        reverse("cabinet:list-order", args=[plist.pk]),
        {"scope": "selected"},
        follow=True,
    )
    assert "Select the lines to order." in _messages(response)


def test_order_fits_quantities_to_moq_and_step_and_says_so(
    buyer_client, buyer, plist, products
):
    products[1].min_order_qty = 50
    products[1].order_step = 25
    products[1].save()
    response = buyer_client.post(
        reverse("cabinet:list-order", args=[plist.pk]), {"scope": "all"}, follow=True
    )
    assert _basket(buyer)["DIN933-M8"][0] == 50
    assert "DIN933-M8: raised to the minimum order quantity 50" in _messages(response)


def test_discontinued_line_is_refused_and_its_successor_offered(
    buyer_client, buyer, plist, products, public_list, terms
):
    successor = _priced(public_list, terms, article="6205-2RS-NEW", price="95.00")
    old = products[0]
    old.lifecycle = Lifecycle.DISCONTINUED
    old.successor = successor
    old.save()
    response = buyer_client.post(
        reverse("cabinet:list-order", args=[plist.pk]), {"scope": "all"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "cabinet:list-detail", args=[plist.pk]
    )
    assert (
        "6205-2RS is not added: discontinued. Its successor: 6205-2RS-NEW."
        in _messages(response)
    )
    assert set(_basket(buyer)) == {"DIN933-M8", "IEK-C16"}
    html = response.content.decode()
    old_line = plist.lines.get(product=old)
    row = html[html.index(f'id="line-{old_line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Discontinued" in row and "6205-2RS-NEW" in row
    assert f'form="offer-{old_line.pk}-{successor.pk}"' in row
    # the offer adds the successor to the list with the same quantity
    buyer_client.post(
        reverse("cabinet:list-add-items"),
        {"list": plist.pk, "product": successor.pk, "quantity": old_line.quantity},
    )
    assert _lines(plist)["6205-2RS-NEW"] == 2


def test_out_of_stock_line_offers_in_stock_analogues(
    buyer_client, plist, products, public_list, terms
):
    empty = products[2]
    empty.stockrecords.update(num_in_stock=0)
    stocked = _priced(public_list, terms, article="ABB-C16")
    analogue_link(product=empty, other=stocked)
    html = buyer_client.get(reverse("cabinet:list-detail", args=[plist.pk]))
    html = html.content.decode()
    line = plist.lines.get(product=empty)
    row = html[html.index(f'id="line-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Out of stock" in row and "ABB-C16" in row


# -- export and import ----------------------------------------------------------


def test_export_csv_and_xlsx_escape_formulas(buyer_client, plist, products):
    products[0].title = '=HYPERLINK("http://evil")'
    products[0].save()
    line = plist.lines.get(product=products[0])
    line.note = "@note"
    line.save()
    response = buyer_client.get(reverse("cabinet:list-export", args=[plist.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == ["article", "name", "manufacturer", "quantity", "note"]
    assert rows[1] == ["6205-2RS", '\'=HYPERLINK("http://evil")', "", "2", "'@note"]
    assert [r[0] for r in rows[1:]] == ["6205-2RS", "DIN933-M8", "IEK-C16"]

    response = buyer_client.get(reverse("cabinet:list-export", args=[plist.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1][:4] == ["6205-2RS", '\'=HYPERLINK("http://evil")', None, "2"]
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, never a formula
    assert buyer_client.get(f"/cabinet/lists/{plist.pk}/export.pdf").status_code == 404


def test_export_then_import_into_another_list_round_trips(buyer_client, company, plist):
    data = buyer_client.get(
        reverse("cabinet:list-export", args=[plist.pk, "xlsx"])
    ).content
    other = PurchaseList.objects.create(company=company, name="Copy")
    upload = io.BytesIO(data)
    upload.name = "copy.xlsx"
    response = buyer_client.post(
        reverse("cabinet:list-import", args=[other.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert _lines(other) == _lines(plist)


def _csv(text: str, name="lines.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_import_csv_adds_and_sums(buyer_client, plist, products):
    extra = ProductFactory(article="NEW-9")
    body = "Article;Quantity;Note\n6205-2RS;3;\nnew-9;2,0;for line 2\nNEW 9;1;\n"
    response = buyer_client.post(
        reverse("cabinet:list-import", args=[plist.pk]),
        {"file": _csv(body)},
        follow=True,
    )
    assert "Imported: 1 new lines, 1 lines with more quantity." in _messages(response)
    assert _lines(plist) == {"6205-2RS": 5, "DIN933-M8": 10, "IEK-C16": 1, "NEW-9": 3}
    assert plist.lines.get(product=extra).note == "for line 2"


def test_import_csv_with_errors_writes_nothing(buyer_client, plist, products):
    ProductFactory(article="HID-1", is_public=False)
    body = (
        "article,quantity,note\n"
        "6205-2RS,3,\n"
        "UNKNOWN-1,2,\n"
        "DIN933-M8,0,\n"
        "IEK-C16,-1,\n"
        ",4,\n"
        "HID-1,1,\n"
        "DIN933-M8,abc,\n"
    )
    before = _lines(plist)
    response = buyer_client.post(
        reverse("cabinet:list-import", args=[plist.pk]), {"file": _csv(body)}
    )
    assert response.status_code == 400
    errors = [(e.line, e.column) for e in response.context["errors"]]
    assert errors == [
        (3, "article"), (4, "quantity"), (5, "quantity"), (6, "article"),
        (7, "article"), (8, "quantity"),
    ]  # fmt: skip
    reasons = [e.reason for e in response.context["errors"]]
    assert reasons[0] == "“UNKNOWN-1” is not in the catalogue"
    assert reasons[1] == "“0” is not a positive whole number"
    html = response.content.decode()
    assert "Nothing is imported: 6 errors." in html and "UNKNOWN-1" in html
    assert _lines(plist) == before


def test_import_refuses_binary_files_and_missing_columns(buyer_client, plist):
    url = reverse("cabinet:list-import", args=[plist.pk])
    binary = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    binary.name = "lines.csv"
    response = buyer_client.post(url, {"file": binary})
    assert response.status_code == 400
    assert "binary data" in response.context["errors"][0].reason

    response = buyer_client.post(url, {"file": _csv("sku;qty\nA;1\n")})
    assert response.context["errors"][0].column == "article, quantity"

    response = buyer_client.post(url, {"file": _csv("")})
    assert response.context["errors"][0].reason == "The file is empty."

    response = buyer_client.post(url, {})
    assert response.status_code == 400 and response.context["file_error"]


def test_import_xlsx(buyer_client, plist, products):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["article", "quantity"])
    sheet.append(["IEK-C16", 4])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "lines.xlsx"
    buyer_client.post(reverse("cabinet:list-import", args=[plist.pk]), {"file": buffer})
    assert _lines(plist)["IEK-C16"] == 5


# -- access: anonymous, no company, isolation, roles ----------------------------


def _list_urls(purchase_list) -> list[tuple[str, str, dict]]:
    pk = purchase_list.pk
    line = purchase_list.lines.first()
    return [
        ("get", reverse("cabinet:list-detail", args=[pk]), {}),
        ("get", reverse("cabinet:list-export", args=[pk, "csv"]), {}),
        ("get", reverse("cabinet:list-export", args=[pk, "xlsx"]), {}),
        ("get", reverse("cabinet:list-import", args=[pk]), {}),
        ("post", reverse("cabinet:list-import", args=[pk]), {"file": _csv("article;quantity\n6205-2RS;1\n")}),
        ("get", reverse("cabinet:list-delete", args=[pk]), {}),
        ("post", reverse("cabinet:list-delete", args=[pk]), {}),
        ("post", reverse("cabinet:list-rename", args=[pk]), {"name": "Mine"}),
        ("post", reverse("cabinet:list-update", args=[pk]), {f"qty-{line.pk}": "9"}),
        ("post", reverse("cabinet:list-remove", args=[pk]), {"line": line.pk}),
        ("post", reverse("cabinet:list-add-article", args=[pk]), {"article": "6205-2RS", "quantity": 1}),
        ("post", reverse("cabinet:list-order", args=[pk]), {"scope": "all"}),
        ("post", reverse("cabinet:list-add-items"), {"list": pk, "product": line.product_id, "quantity": 1}),
    ]  # fmt: skip


def test_another_company_gets_404_everywhere(client, plist):
    before = (_lines(plist), plist.name)
    other = _member(CompanyFactory())
    client.force_login(other)
    for method, url, data in _list_urls(plist):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert (_lines(plist), PurchaseList.objects.get(pk=plist.pk).name) == before
    index = client.get(reverse("cabinet:list-index")).content.decode()
    assert "Workshop" not in index


def test_anonymous_is_sent_to_login(client, plist):
    for method, url, data in [
        ("get", reverse("cabinet:list-index"), {}),
        *_list_urls(plist),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert reverse("customer:login") in response["Location"]


def test_user_without_company_gets_a_clear_page(client, plist):
    client.force_login(UserFactory())
    response = client.get(reverse("cabinet:list-index"))
    assert response.status_code == 403
    assert "not linked to one yet" in response.content.decode()
    assert (
        client.get(reverse("cabinet:list-detail", args=[plist.pk])).status_code == 403
    )


def test_accountant_views_but_cannot_edit_or_order(client, company, plist):
    accountant = _member(company, role="accountant")
    client.force_login(accountant)
    html = client.get(reverse("cabinet:list-detail", args=[plist.pk])).content.decode()
    assert "6205-2RS" in html and "91.00" in html
    assert "Order all" not in html and 'name="line"' not in html
    index = client.get(reverse("cabinet:list-index")).content.decode()
    assert "Workshop" in index and 'id="list-create"' not in index
    export = client.get(reverse("cabinet:list-export", args=[plist.pk, "csv"]))
    assert export.status_code == 200
    before = (_lines(plist), plist.name)
    edits = [u for u in _list_urls(plist) if u[0] == "post" or "delete" in u[1]]
    edits += [
        ("get", reverse("cabinet:list-import", args=[plist.pk]), {}),
        ("post", reverse("cabinet:list-create"), {"name": "Mine"}),
    ]
    for method, url, data in edits:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert (_lines(plist), PurchaseList.objects.get(pk=plist.pk).name) == before
    assert PurchaseList.objects.count() == 1
    assert not Basket.objects.filter(owner=accountant, lines__isnull=False).exists()


def test_colleagues_share_the_lists(client, company, plist):
    colleague = _member(company, role="approver")
    client.force_login(colleague)
    response = client.post(
        reverse("cabinet:list-rename", args=[plist.pk]), {"name": "Shared"}
    )
    assert response.status_code == 302
    plist.refresh_from_db()
    assert plist.name == "Shared"


# -- API ------------------------------------------------------------------------


def test_api_lists_and_lines_with_token(client, company, buyer, plist):
    _, key = ApiToken.issue(user=buyer, company=company, name="ERP")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    data = client.get("/api/v1/cabinet/lists/", **auth).json()
    assert [(r["id"], r["name"], r["lines"]) for r in data["results"]] == [
        (plist.pk, "Workshop", 3)
    ]
    data = client.get(f"/api/v1/cabinet/lists/{plist.pk}/", **auth).json()
    assert [(line["article"], line["quantity"], line["price_excl_tax"]) for line in data["lines"]] == [
        ("6205-2RS", 2, "91.00"), ("DIN933-M8", 10, "12.50"), ("IEK-C16", 1, "300.00"),
    ]  # fmt: skip
    assert data["lines"][0]["availability"] == "in_stock"


def test_api_isolation_and_auth(client, plist):
    other_company = CompanyFactory()
    other = _member(other_company)
    _, key = ApiToken.issue(user=other, company=other_company, name="ERP")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/cabinet/lists/", **auth).json() == {"results": []}
    response = client.get(f"/api/v1/cabinet/lists/{plist.pk}/", **auth)
    assert response.status_code == 404 and response.json()["detail"]
    assert client.get("/api/v1/cabinet/lists/").status_code == 401
    bad = client.get("/api/v1/cabinet/lists/", HTTP_AUTHORIZATION="Token nope")
    assert bad.status_code == 401
    client.force_login(other)  # session auth: the same scoping
    assert client.get(f"/api/v1/cabinet/lists/{plist.pk}/").status_code == 404


# -- query budgets --------------------------------------------------------------


def _fill(purchase_list, count, public_list, terms):
    items = [
        ListItem(
            _priced(public_list, terms, article=f"{purchase_list.name}-{i:04d}"), i + 1
        )
        for i in range(count)
    ]
    purchase_list_add_items(purchase_list=purchase_list, items=items)


def test_index_query_budget(
    buyer_client, company, buyer, products, django_assert_max_num_queries
):
    for i in range(30):
        PurchaseList.objects.create(
            company=company, name=f"List {i}", created_by=_member(company)
        )
    buyer_client.get(reverse("cabinet:list-index"))  # warm caches
    with django_assert_max_num_queries(15):
        response = buyer_client.get(reverse("cabinet:list-index"))
    assert response.content.decode().count("/cabinet/lists/") >= 30


def _detail_queries(client, purchase_list) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cabinet:list-detail", args=[purchase_list.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_detail_query_budget_does_not_grow_with_lines(
    buyer_client, company, public_list, terms, django_assert_max_num_queries
):
    small = PurchaseList.objects.create(company=company, name="Small")
    big = PurchaseList.objects.create(company=company, name="Big")
    _fill(small, 5, public_list, terms)
    _fill(big, 100, public_list, terms)
    for purchase_list in (small, big):  # the flagging path runs too
        first, second = [line.product for line in purchase_list.lines.all()[:2]]
        first.lifecycle, first.successor = Lifecycle.DISCONTINUED, second
        first.save()
    buyer_client.get(reverse("cabinet:list-detail", args=[small.pk]))  # warm caches
    few = _detail_queries(buyer_client, small)
    many = _detail_queries(buyer_client, big)
    assert few == many
    with django_assert_max_num_queries(24):
        response = buyer_client.get(reverse("cabinet:list-detail", args=[big.pk]))
    html = response.content.decode()
    assert html.count('name="line"') == 100 and html.count("Discontinued") == 1


def test_api_query_budget(client, company, buyer, public_list, terms,
                          django_assert_max_num_queries):  # fmt: skip
    purchase_list = PurchaseList.objects.create(company=company, name="Big")
    _fill(purchase_list, 100, public_list, terms)
    client.force_login(buyer)
    with django_assert_max_num_queries(20):
        data = client.get(f"/api/v1/cabinet/lists/{purchase_list.pk}/").json()
    assert len(data["lines"]) == 100


def test_pages_render_in_russian(buyer_client, plist):
    for url in [
        reverse("cabinet:list-index"),
        reverse("cabinet:list-detail", args=[plist.pk]),
        reverse("cabinet:list-import", args=[plist.pk]),
        reverse("cabinet:list-delete", args=[plist.pk]),
    ]:
        response = buyer_client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 200, url
        assert '<html lang="ru"' in response.content.decode(), url
