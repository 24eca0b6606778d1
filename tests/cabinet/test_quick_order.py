"""Quick order: parsing a messy paste, per-line results, adding to the basket, files,
limits, roles, isolation, query budget and the API."""

import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from cabinet.models import PurchaseList
from cabinet.quickorder.parsing import (
    MAX_LINES,
    QuickOrderRefused,
    quick_order_parse_text,
)
from cabinet.quickorder.selectors import quick_order_resolve
from catalog.models import AnalogueGroup, CompanyPartNumber, CrossReference, Lifecycle
from catalog.partner.strategy import CompanyPricing
from catalog.pricing.models import PriceList
from sales.basket.models import Basket
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PartnerFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)
from tests.forms import form_fields

URL = "/cabinet/quick-order/"
ADD_URL = "/cabinet/quick-order/add/"
API_URL = "/api/v1/cabinet/quick-order/resolve"


# -- parsing (no database) ----------------------------------------------------------


MESSY = (
    "Article\tQty\n"
    "6205-2RS\t4\n"
    "  6205-2rs   2,5  \n"
    "\n"
    "HB-M8/40;3\n"
    "ART-1, 5\n"
    "ART-2,2,5\n"
    "НВ-М8/40 1\n"  # Cyrillic look-alike letters
    "ONLY-ARTICLE\n"
    "---\n"
    "X1 0\n"
    "X2\t-3\n"
    "X3;abc\n"
    '=HYPERLINK("http://evil.example";"6205-2RS")\n'
    "BOLT-M8 7 шт\n" + "A" * 70 + "\t1\n"
)


def _by_line(lines):
    return {line.line: line for line in lines}


def test_parse_a_messy_paste():
    lines = _by_line(quick_order_parse_text(MESSY))
    assert 1 not in lines  # the header is skipped
    assert (lines[2].article, lines[2].quantity, lines[2].also_lines) == (
        "6205-2RS",
        Decimal("6.5"),
        [3],
    )  # tab, spaces, decimal comma; the same article summed
    assert (lines[5].key, lines[5].quantity, lines[5].also_lines) == (
        "hbm840",
        Decimal("4"),
        [8],
    )  # `;` and the Cyrillic НВ-М8/40 are the same number
    assert (lines[6].article, lines[6].quantity) == ("ART-1", Decimal("5"))
    assert (lines[7].article, lines[7].quantity) == ("ART-2", Decimal("2.5"))
    assert (lines[9].article, lines[9].quantity) == ("ONLY-ARTICLE", Decimal("1"))
    assert (lines[15].article, lines[15].quantity) == ("BOLT-M8", Decimal("7"))
    errors = {n: line.error for n, line in lines.items() if line.error}
    assert errors == {
        10: "not a part number",
        11: "the quantity must be positive",
        12: "the quantity must be positive",
        13: "the quantity “abc” is not a number",
        14: "a formula, not a part number",
        16: "the number is longer than 64 characters",
    }
    assert 3 not in lines and 8 not in lines and 4 not in lines


def test_parse_refuses_too_many_lines_quickly():
    with pytest.raises(QuickOrderRefused, match="More than 5000 lines"):
        quick_order_parse_text("A-1 1\n" * (MAX_LINES + 1))
    with pytest.raises(QuickOrderRefused, match="More than 5000 lines"):
        quick_order_parse_text("A-1 1\n" * 100_000)
    with pytest.raises(QuickOrderRefused, match="longer than"):
        quick_order_parse_text("A" * 1_000_001)
    assert len(quick_order_parse_text("\n\n".join(f"A-{i} 1" for i in range(5000)))) == 5000  # fmt: skip


def test_parse_a_standard_prefix_keeps_its_number_as_an_alternative():
    (line,) = quick_order_parse_text("DIN 933\n")
    assert (line.article, line.quantity, line.alternative) == ("DIN", 933, "DIN 933")
    (line,) = quick_order_parse_text("ART-1 933\n")
    assert line.alternative == ""


# -- a catalogue --------------------------------------------------------------------


@pytest.fixture
def catalogue(db, company):
    public = PriceListFactory(
        code="list", name="List", kind=PriceList.Kind.LIST, currency="RUB"
    )
    terms = CompanyPriceTermsFactory(company=company)
    warehouse = PartnerFactory(
        code="main", lead_time_min_days=5, lead_time_max_days=7, restock_days=0
    )
    group = AnalogueGroup.objects.create()

    def make(article, *, stock=100, price="100.00", company_price="91.00", **kw):
        product = ProductFactory(article=article, vat_rate=Decimal("20"), **kw)
        if stock is not None:
            StockRecordFactory(product=product, partner=warehouse, num_in_stock=stock)
        PriceListItemFactory(price_list=public, product=product, price=Decimal(price))
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal(company_price)
        )
        return product

    p = {
        "bearing": make("6205-2RS"),
        "bolt": make("BOLT-M8", min_order_qty=10, order_step=5),
        "kit_a": make("KIT-A"),
        "kit_b": make("KIT-B"),
        "oos": make("OOS-1", stock=0, analogue_group=group),
        "analogue": make("ANA-1", analogue_group=group),
        "new": make("NEW-1"),
        "hidden": make("HID-1", is_public=False),
        "request_only": make("REQ-1", stock=None),
        "din": make("DIN 933 M8"),
    }
    p["old"] = make("OLD-1", lifecycle=Lifecycle.DISCONTINUED, successor=p["new"])
    CrossReference.objects.create(product=p["kit_a"], number="X-100")
    CrossReference.objects.create(product=p["kit_b"], number="X-100")
    CrossReference.objects.create(product=p["din"], number="DIN 933")
    CompanyPartNumber.objects.create(
        company=company, product=p["kit_a"], number="OUR-1"
    )
    return p


def _resolve(text, company):
    strategy = CompanyPricing(company=company)
    results = quick_order_resolve(
        lines=quick_order_parse_text(text), company=company, strategy=strategy
    )
    return {r.parsed.line: r for r in results}


def test_resolve_gives_a_result_per_line(catalogue, company):
    p = catalogue
    r = _resolve(
        "6205-2RS\t3\nX-100 2\n6205-2RZ 1\nOOS-1 4\nOLD-1 1\nBOLT-M8 12\n"
        "OUR-1 1\nREQ-1 1\nDIN 933\nX9;0\nHID-1 1\n",
        company,
    )
    assert (r[1].status, r[1].product, r[1].quantity, r[1].notes) == (
        "found", p["bearing"], 3, []
    )  # fmt: skip
    assert r[2].status == "ambiguous"
    assert set(r[2].candidates) == {p["kit_a"], p["kit_b"]}
    assert r[3].status == "not_found" and r[3].suggestions[0] == p["bearing"]
    assert r[4].status == "out_of_stock" and r[4].orderable
    assert r[4].suggestions == [p["analogue"]]
    assert "Back-order: 5–7 days" in r[4].notes
    assert r[5].status == "discontinued" and not r[5].orderable
    assert r[5].successor == p["new"] and r[5].options[0] == p["new"]
    assert (r[6].status, r[6].quantity) == ("found", 15)
    assert r[6].notes == ["rounded up to a multiple of 5 (order step)"]
    assert (r[7].status, r[7].product) == ("found", p["kit_a"])  # own part number
    assert r[8].status == "out_of_stock" and not r[8].orderable
    assert "on request only — ask your account manager" in r[8].notes
    assert (r[9].product, r[9].quantity) == (p["din"], 1)  # "DIN 933" is a number
    assert (r[10].status, r[10].notes) == ("error", ["the quantity must be positive"])
    assert r[11].status == "not_found"  # not public


def test_quantity_raised_to_the_minimum_is_told(catalogue, company):
    r = _resolve("BOLT-M8 2,5\n", company)
    assert r[1].quantity == 10
    assert r[1].notes == [
        "rounded up to whole units",
        "raised to the minimum order quantity 10",
    ]


# -- pages --------------------------------------------------------------------------


def _results(client, text):
    response = client.post(URL, {"lines": text})
    assert response.status_code == 200
    return response


def test_resolve_page_and_add_all_at_the_company_price(buyer_client, buyer, catalogue):
    response = _results(
        buyer_client, "6205-2RS\t3\nBOLT-M8 12\nX-100 1\nOOS-1 2\nnope-1 1\n"
    )
    html = response.content.decode()
    assert 'id="quick-order-add-all"' in html
    assert "rounded up to a multiple of 5 (order step)" in html
    plan = response.context["plan"]
    kit = catalogue["kit_b"].pk
    response = buyer_client.post(ADD_URL, {"plan": plan, "choice-3": str(kit)})
    assert response.status_code == 302 and response["Location"] == "/basket/"
    basket = Basket.objects.get(owner=buyer, status="Open")
    lines = {
        line.product.article: (line.quantity, line.price_excl_tax)
        for line in basket.lines.all()
    }
    assert lines == {
        "6205-2RS": (3, Decimal("91.00")),
        "BOLT-M8": (15, Decimal("91.00")),
        "KIT-B": (1, Decimal("91.00")),
        "OOS-1": (2, Decimal("91.00")),
    }


def test_results_show_the_company_price_at_the_line_quantity(buyer_client, catalogue):
    response = _results(buyer_client, "6205-2RS 3\n")
    (row,) = response.context["rows"]
    assert (row.result.price.excl_tax, row.result.price.currency) == (
        Decimal("91.00"),
        "RUB",
    )


def test_a_discontinued_line_can_take_its_successor(buyer_client, buyer, catalogue):
    response = _results(buyer_client, "OLD-1 2\n")
    html = response.content.decode()
    successor = catalogue["new"].pk
    assert f'name="choice-1" id="choice-1-{successor}"' in html
    buyer_client.post(
        ADD_URL, {"plan": response.context["plan"], "choice-1": str(successor)}
    )
    basket = Basket.objects.get(owner=buyer, status="Open")
    assert [(line.product.article, line.quantity) for line in basket.lines.all()] == [
        ("NEW-1", 2)
    ]


def test_the_page_works_in_russian(buyer_client, catalogue):
    response = buyer_client.get(URL, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    response = buyer_client.post(
        URL, {"lines": "6205-2RS 1\nnope 0"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200 and 'lang="ru"' in response.content.decode()


def test_skipped_and_unchosen_lines_are_not_added(buyer_client, buyer, catalogue):
    plan = _results(buyer_client, "6205-2RS 1\nX-100 1\nNEW-1 1\n").context["plan"]
    response = buyer_client.post(ADD_URL, {"plan": plan, "skip": ["3"]}, follow=True)
    basket = Basket.objects.get(owner=buyer, status="Open")
    assert [line.product.article for line in basket.lines.all()] == ["6205-2RS"]
    text = response.content.decode()
    assert "1 line added to the basket." in text
    assert "No product chosen, not added: line(s) 2." in text


def test_accountant_sees_results_but_cannot_add(client, company, catalogue):
    accountant = MembershipFactory(company=company, role="accountant").user
    client.force_login(accountant)
    response = _results(client, "6205-2RS 1\n")
    html = response.content.decode()
    assert 'data-status="found"' in html
    assert "quick-order-add-all" not in html
    assert "Your role does not allow ordering" in html
    plan = response.context["plan"]
    assert client.post(ADD_URL, {"plan": plan}).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(ADD_URL, {"plan": "1:1:1"}).status_code == 302


def test_user_without_company_gets_a_page(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "Register a business" in response.content.decode()
    assert client.post(ADD_URL, {"plan": "1:1:1"}).status_code == 403


def test_forged_ids_of_a_hidden_product_are_refused(client, catalogue):
    company_b = CompanyFactory()
    user_b = MembershipFactory(company=company_b, role="buyer").user
    client.force_login(user_b)
    hidden = catalogue["hidden"].pk
    response = client.post(
        ADD_URL, {"plan": f"1:{hidden}:1 2:0:1", "choice-2": str(hidden)}, follow=True
    )
    assert "Not available, not added: line(s) 1, 2." in response.content.decode()
    assert not Basket.objects.filter(owner=user_b, lines__isnull=False).exists()


def test_5001_lines_are_refused(buyer_client, catalogue):
    text = "".join(f"A-{i} 1\n" for i in range(MAX_LINES + 1))
    response = buyer_client.post(URL, {"lines": text})
    assert response.status_code == 200
    assert "More than 5000 lines: split the list into parts." in (
        response.content.decode()
    )
    assert "rows" not in response.context


def test_a_binary_file_renamed_csv_is_refused(buyer_client, catalogue):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    upload.name = "order.csv"
    response = buyer_client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert "This is not a CSV or XLSX file (it contains binary data)." in (
        response.content.decode()
    )


def test_xlsx_upload(buyer_client, catalogue):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Article", "Quantity"])
    sheet.append(["6205-2RS", 4])
    sheet.append(["BOLT-M8", 2.5])
    sheet.append(['=HYPERLINK("http://x","6205-2RS")', 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "order.xlsx"
    response = buyer_client.post(URL, {"file": buffer})
    rows = {row.result.parsed.line: row.result for row in response.context["rows"]}
    assert (rows[2].status, rows[2].quantity) == ("found", 4)
    assert (rows[3].status, rows[3].quantity) == ("found", 10)
    assert rows[4].status == "error"


def test_csv_upload_with_semicolons_and_cp1251(buyer_client, catalogue):
    data = "Артикул;Кол-во\r\n6205-2RS;2,5\r\n".encode("cp1251")
    upload = io.BytesIO(data)
    upload.name = "order.csv"
    response = buyer_client.post(URL, {"file": upload})
    (row,) = response.context["rows"]
    assert (row.result.status, row.result.quantity) == ("found", 3)


def test_resolve_queries_do_not_grow_with_the_lines(
    buyer_client, catalogue, django_assert_max_num_queries
):
    products = [ProductFactory(article=f"Q-{i:04d}") for i in range(200)]
    _results(buyer_client, "warm-up 1")  # the session's basket and site are made
    counts = []
    for n in (20, 200):
        text = "\n".join(f"{p.article} 1" for p in products[:n])
        with CaptureQueriesContext(connection) as ctx:
            assert len(_results(buyer_client, text).context["rows"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # Close numbers cost one query per not-found line, for the first ten only.
    text = "\n".join(f"{p.article} 1" for p in products)
    text += "".join(f"\nnope-{i:03d} 1" for i in range(30))
    with django_assert_max_num_queries(counts[1] + 10):
        _results(buyer_client, text)


# -- API ----------------------------------------------------------------------------


def _api(key, body):
    return Client(enforce_csrf_checks=True).post(
        API_URL,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def test_api_resolves_lines(buyer, company, catalogue):
    _, key = ApiToken.issue(user=buyer, company=company, name="ERP")
    response = _api(key, {"lines": "6205-2RS 2\nX-100 1\nX9 0\n"})
    assert response.status_code == 200
    results = response.json()["results"]
    first = results[0]
    assert (first["line"], first["status"], first["quantity"]) == (1, "found", 2)
    assert first["product"]["article"] == "6205-2RS"
    assert (first["product"]["price"], first["product"]["currency"]) == (
        "109.20",
        "RUB",
    )  # 91.00 + 20 % VAT, the company's price
    assert results[1]["status"] == "ambiguous" and len(results[1]["candidates"]) == 2
    assert results[2]["status"] == "error"
    items = _api(key, {"items": [{"article": "BOLT-M8", "qty": "2,5"}]}).json()
    assert items["results"][0]["quantity"] == 10


def test_api_token_of_company_b_sees_only_its_own_numbers(catalogue, company):
    company_b = CompanyFactory()
    user_b = MembershipFactory(company=company_b, role="buyer").user
    CompanyPartNumber.objects.create(
        company=company_b, product=catalogue["bearing"], number="B-OWN"
    )
    _, key = ApiToken.issue(user=user_b, company=company_b, name="ERP")
    results = _api(key, {"lines": "OUR-1 1\nB-OWN 1"}).json()["results"]
    assert [r["status"] for r in results] == ["not_found", "found"]
    assert results[1]["product"]["article"] == "6205-2RS"


def test_api_errors(client, buyer, company, catalogue):
    from tests.factories import UserFactory

    assert _api("nope", {"lines": "x"}).status_code == 401
    client.force_login(UserFactory())
    no_company = client.post(API_URL, "{}", content_type="application/json")
    assert no_company.status_code == 403
    client.logout()
    _, key = ApiToken.issue(user=buyer, company=company, name="ERP")
    assert _api(key, {"numbers": []}).status_code == 400
    assert _api(key, {"lines": "A 1\n" * 5001}).status_code == 400
    anonymous = client.post(API_URL, "{}", content_type="application/json")
    assert anonymous.status_code == 401


def test_found_lines_are_saved_to_a_new_purchase_list(buyer_client, company, catalogue):
    html = _results(buyer_client, "6205-2RS 3\nBOLT-M8 12\nnope-1 1\n").content.decode()
    fields = form_fields(html, "quick-order-to-list")
    assert fields["list"] == [""] and fields["new_list_name"][0].startswith(
        "Quick order"
    )
    fields["new_list_name"] = ["Monthly bearings"]
    response = buyer_client.post("/cabinet/lists/add/", fields)
    assert response.status_code == 302
    saved = PurchaseList.objects.get(company=company, name="Monthly bearings")
    assert sorted((x.product.article, x.quantity) for x in saved.lines.all()) == [
        ("6205-2RS", 3),
        ("BOLT-M8", 15),
    ]
    # The next paste goes into the list just made, chosen in the select.
    html = _results(buyer_client, "KIT-A 2\n").content.decode()
    assert f'<option value="{saved.pk}">Monthly bearings</option>' in html
    fields = form_fields(html, "quick-order-to-list") | {"list": [str(saved.pk)]}
    buyer_client.post("/cabinet/lists/add/", fields)
    assert saved.lines.count() == 3


def test_a_quantity_that_is_not_a_number_adds_nothing(buyer_client, buyer, catalogue):
    # `1:57:NaN` answered 500: a NaN Decimal refuses to be compared.
    product_id = catalogue["bearing"].pk
    plan = " ".join(
        f"1:{product_id}:{quantity}" for quantity in ("NaN", "sNaN", "Infinity", "-0")
    )
    response = buyer_client.post(ADD_URL, {"plan": plan}, follow=True)
    assert response.status_code == 200
    basket = Basket.objects.filter(owner=buyer, status="Open").first()
    assert basket is None or not basket.lines.exists()
