"""Cabinet order history, detail, export and reorder."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cabinet.models import PurchaseList
from catalog.models import Lifecycle, Product
from sales.basket.models import Basket
from tests.cabinet.factories import order_make, priced_product
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListItemFactory,
    StaffFactory,
)
from tests.forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_a():
    return CompanyFactory(name="Alpha Machines")


@pytest.fixture
def alice(company_a):
    return MembershipFactory(company=company_a, role="buyer").user


@pytest.fixture
def bob(company_a):
    return MembershipFactory(company=company_a, role="buyer").user


@pytest.fixture
def bearing():
    return priced_product(title="Bearing 6205-2RS", article="6205-2RS", price="100.00")


@pytest.fixture
def bolt():
    return priced_product(
        title="Bolt DIN 933 M8x30", article="DIN933-M8X30", price="2.50"
    )


def login(client, user):
    client.force_login(user)
    return client


def history(client, **params):
    return client.get(reverse("cabinet:order-list"), params)


def numbers(response):
    return [order.number for order in response.context["page_obj"]]


# --- history ----------------------------------------------------------------------


def test_history_shows_the_whole_company_not_only_mine(client, alice, bob, bearing):
    mine = order_make(
        company=alice.memberships.get().company, user=alice, lines=[(bearing, 1, "100")]
    )
    colleague = order_make(company=mine.company, user=bob, lines=[(bearing, 2, "100")])
    stranger = MembershipFactory(role="buyer").user
    foreign = order_make(
        company=stranger.memberships.get().company,
        user=stranger,
        lines=[(bearing, 3, "100")],
    )
    response = history(login(client, alice))
    assert response.status_code == 200
    assert set(numbers(response)) == {mine.number, colleague.number}
    assert foreign.number not in response.content.decode()


def test_history_filters(client, company_a, alice, bob, bearing, bolt):
    old = order_make(company=company_a, user=alice, lines=[(bolt, 10, "2.5")],
                     status="Completed", po_number="PO-2025-17", days_ago=40)  # fmt: skip
    recent = order_make(company=company_a, user=bob, lines=[(bearing, 1, "100")],
                        status="Pending", po_number="PO-2026-03")  # fmt: skip
    client = login(client, alice)
    assert numbers(history(client, status="Completed")) == [old.number]
    assert numbers(history(client, po_number="2026")) == [recent.number]
    assert numbers(history(client, user=bob.pk)) == [recent.number]
    assert numbers(history(client, article="6205 2rs")) == [recent.number]
    # Cyrillic look-alikes and other separators find the same article.
    assert numbers(history(client, article="din 933/м8х30")) == [old.number]
    # Dates are the shop's local dates.
    day_after = (timezone.localdate(old.date_placed) + timedelta(days=1)).isoformat()
    assert numbers(history(client, date_from=day_after)) == [recent.number]
    assert numbers(history(client, date_to=day_after)) == [old.number]
    assert numbers(history(client, article="NOPE-0000")) == []


def test_bad_filters_are_told_not_500(client, alice, bearing):
    order_make(
        company=alice.memberships.get().company, user=alice, lines=[(bearing, 1, "100")]
    )
    client = login(client, alice)
    response = history(client, date_from="2026-13-45", user="abc", status="Bogus")
    assert response.status_code == 200
    assert response.context["form"].errors
    response = history(client, date_from="2026-05-01", date_to="2026-01-01")
    assert response.status_code == 200
    assert "start date is after the end date" in response.content.decode()
    assert history(client, page="9999").status_code == 200
    assert history(client, article="-" * 60).status_code == 200


def test_export_csv_and_xlsx_escape_formulas(client, company_a, alice, bearing):
    order = order_make(company=company_a, user=alice, lines=[(bearing, 2, "100")],
                       po_number='=HYPERLINK("http://evil")')  # fmt: skip
    client = login(client, alice)
    response = history(client, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][0] == order.number
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert Decimal(rows[1][6]) == Decimal("200.00")

    response = history(client, format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == order.number
    assert values[1][3].startswith("'=")


# --- detail ---------------------------------------------------------------------


def test_order_detail_shows_lines_prices_and_documents(
    client, company_a, alice, bearing, bolt
):
    order = order_make(company=company_a, user=alice,
                       lines=[(bearing, 2, "95.00"), (bolt, 100, "2.40")])  # fmt: skip
    response = login(client, alice).get(
        reverse("cabinet:order-detail", args=[order.number])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "6205-2RS" in html and "DIN933-M8X30" in html
    assert "240.00" in html.replace("\xa0", "").replace(",", ".")
    assert response.context["documents"] == []


def test_order_detail_saves_its_lines_as_a_purchase_list(
    client, company_a, alice, bearing, bolt
):
    order = order_make(company=company_a, user=alice,
                       lines=[(bearing, 2, "95.00"), (bolt, 100, "2.40")])  # fmt: skip
    url = reverse("cabinet:order-detail", args=[order.number])
    html = login(client, alice).get(url).content.decode()
    fields = form_fields(html, "order-to-list")
    assert fields["new_list_name"] == [f"From order {order.number}"]
    response = client.post(reverse("cabinet:list-add-items"), fields)
    assert response.status_code == 302 and response["Location"] == url
    saved = PurchaseList.objects.get(company=company_a)
    assert saved.name == f"From order {order.number}"
    assert sorted(
        (line.product.article, line.quantity) for line in saved.lines.all()
    ) == [("6205-2RS", 2), ("DIN933-M8X30", 100)]


def test_order_of_another_company_is_404_by_page_and_api(client, bearing):
    owner = MembershipFactory(role="buyer").user
    order = order_make(
        company=owner.memberships.get().company, user=owner, lines=[(bearing, 1, "100")]
    )
    intruder = MembershipFactory(role="admin").user
    client = login(client, intruder)
    assert (
        client.get(reverse("cabinet:order-detail", args=[order.number])).status_code
        == 404
    )
    assert (
        client.post(reverse("cabinet:order-reorder", args=[order.number])).status_code
        == 404
    )
    assert (
        client.get(reverse("api:cabinet-order", args=[order.number])).status_code == 404
    )
    assert client.get(reverse("api:cabinet-orders")).json()["count"] == 0
    assert Basket.objects.filter(owner=intruder, lines__isnull=False).count() == 0


def test_accountant_sees_history_but_cannot_reorder(client, company_a, alice, bearing):
    order = order_make(company=company_a, user=alice, lines=[(bearing, 1, "100")])
    accountant = MembershipFactory(company=company_a, role="accountant").user
    client = login(client, accountant)
    assert numbers(history(client)) == [order.number]
    page = client.get(reverse("cabinet:order-detail", args=[order.number]))
    assert page.status_code == 200 and "reorder-form" in page.content.decode()
    assert 'name="scope"' not in page.content.decode()
    assert (
        client.post(reverse("cabinet:order-reorder", args=[order.number])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("cabinet:basket-add"), {"product": bearing.pk, "quantity": 1}
        ).status_code
        == 403
    )


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("cabinet:order-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_user_without_company_gets_a_page_not_an_error(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("cabinet:order-list"))
    assert response.status_code == 200
    assert reverse("accounts:register") in response.content.decode()


# --- reorder ---------------------------------------------------------------------


def basket_of(user):
    return Basket.objects.get(owner=user, status=Basket.OPEN)


def test_reorder_puts_lines_in_the_basket_at_todays_company_price(
    client, company_a, alice, bearing, bolt
):
    terms = CompanyPriceTermsFactory(company=company_a)
    PriceListItemFactory(
        price_list=terms.price_list, product=bearing, price=Decimal("88.00")
    )
    order = order_make(company=company_a, user=alice,
                       lines=[(bearing, 3, "120.00"), (bolt, 50, "3.00")])  # fmt: skip
    response = login(client, alice).post(
        reverse("cabinet:order-reorder", args=[order.number]), {"scope": "all"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "basket:summary"
    )
    lines = {line.product.article: line for line in basket_of(alice).lines.all()}
    assert lines["6205-2RS"].quantity == 3
    assert lines["6205-2RS"].price_excl_tax == Decimal("88.00")  # today's, not 120.00
    assert lines["DIN933-M8X30"].price_excl_tax == Decimal("2.50")  # the list price


def test_reorder_selected_lines_only_and_twice_sums(
    client, company_a, alice, bearing, bolt
):
    order = order_make(
        company=company_a, user=alice, lines=[(bearing, 3, "100"), (bolt, 50, "2.5")]
    )
    bearing_line = order.lines.get(product=bearing)
    client = login(client, alice)
    url = reverse("cabinet:order-reorder", args=[order.number])
    for _ in range(2):
        client.post(url, {"scope": "selected", "line": [bearing_line.pk]})
    lines = list(basket_of(alice).lines.all())
    assert [(line.product_id, line.quantity) for line in lines] == [(bearing.pk, 6)]
    response = client.post(url, {"scope": "selected"})
    assert response.status_code == 302  # nothing chosen: told, nothing added
    assert basket_of(alice).lines.get().quantity == 6


def test_reorder_with_a_discontinued_line_offers_the_successor(
    client, company_a, alice, bearing, bolt
):
    successor = priced_product(
        title="Bearing 6205-2RSH", article="6205-2RSH", price="105.00"
    )
    bearing.lifecycle = Lifecycle.DISCONTINUED
    bearing.successor = successor
    bearing.save()
    order = order_make(
        company=company_a, user=alice, lines=[(bearing, 4, "100"), (bolt, 10, "2.5")]
    )
    client = login(client, alice)
    response = client.post(
        reverse("cabinet:order-reorder", args=[order.number]), {"scope": "all"}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert [p.article for p in report.problems] == ["6205-2RS"]
    assert report.problems[0].replacement.successor == successor
    assert "6205-2RSH" in response.content.decode()
    assert [line.product for line in basket_of(alice).lines.all()] == [bolt]

    # One click takes the successor instead, with the old quantity.
    response = client.post(
        reverse("cabinet:basket-add"), {"product": successor.pk, "quantity": 4}
    )
    assert response.status_code == 302
    assert basket_of(alice).lines.get(product=successor).quantity == 4


def test_reorder_out_of_stock_line_is_added_and_analogues_offered(
    client, company_a, alice
):
    from catalog.analogues import analogue_link

    empty = priced_product(title="Cylinder DSNU-25-100", article="DSNU-25-100", stock=0)
    twin = priced_product(title="Cylinder CP96-25-100", article="CP96-25-100", stock=12)
    analogue_link(product=empty, other=twin)
    order = order_make(company=company_a, user=alice, lines=[(empty, 2, "100")])
    response = login(client, alice).post(
        reverse("cabinet:order-reorder", args=[order.number]), {"scope": "all"}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert [r.product for r in report.out_of_stock] == [empty]
    assert report.out_of_stock[0].analogues == [twin]
    assert basket_of(alice).lines.get().product == empty


def test_reorder_fits_quantities_to_todays_minimum_and_step(
    client, company_a, alice, bolt
):
    order = order_make(company=company_a, user=alice, lines=[(bolt, 30, "2.5")])
    Product.objects.filter(pk=bolt.pk).update(min_order_qty=50, order_step=25)
    response = login(client, alice).post(
        reverse("cabinet:order-reorder", args=[order.number]), {"scope": "all"}
    )
    assert response.status_code == 200
    assert response.context["report"].adjusted[0][0] == "DIN933-M8X30"
    assert basket_of(alice).lines.get().quantity == 50


def test_basket_add_rejects_bad_input_and_changes_nothing(client, alice, bearing):
    client = login(client, alice)
    url = reverse("cabinet:basket-add")
    hidden = priced_product(is_public=False)
    for data in (
        {"product": bearing.pk, "quantity": "-3"},
        {"product": bearing.pk, "quantity": "0"},
        {"product": "abc", "quantity": "1"},
        {"product": hidden.pk, "quantity": "1"},
        {"product": 10**12, "quantity": "1"},
    ):
        assert client.post(url, data).status_code == 302
    assert not Basket.objects.filter(owner=alice, lines__isnull=False).exists()
    response = client.post(
        url, {"product": bearing.pk, "quantity": 2, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("basket:summary")


# --- query budgets ----------------------------------------------------------------


def test_history_page_of_100_orders_has_a_constant_query_count(
    client, company_a, alice, bearing, django_assert_max_num_queries
):
    for i in range(100):
        order_make(
            company=company_a,
            user=alice,
            lines=[(bearing, 1 + i % 3, "100")],
            po_number=f"PO-{i}",
        )
    client = login(client, alice)
    client.get(reverse("cabinet:order-list"))  # warm the session and basket
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cabinet:order-list"))
    assert response.context["page_obj"].paginator.count == 100
    with django_assert_max_num_queries(14):
        history(client, format="csv")


def test_order_detail_query_count_does_not_grow_with_lines(
    client, company_a, alice, django_assert_max_num_queries
):
    products = [priced_product() for _ in range(40)]
    order = order_make(
        company=company_a, user=alice, lines=[(p, 1, "10") for p in products]
    )
    client = login(client, alice)
    url = reverse("cabinet:order-detail", args=[order.number])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


# --- home -----------------------------------------------------------------------


def test_home_shows_company_manager_recent_orders(client, company_a, alice, bearing):
    manager = StaffFactory(
        first_name="Olga", last_name="Smirnova", phone="+7 495 000-00-00"
    )
    company_a.account_manager = manager
    company_a.save()
    order = order_make(company=company_a, user=alice, lines=[(bearing, 1, "100")])
    response = login(client, alice).get(reverse("cabinet:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Olga Smirnova" in html and "+7 495 000-00-00" in html
    assert order.number in html
    assert 'id="quick-order-box"' in html


@pytest.mark.parametrize("role", ["admin", "buyer", "approver", "accountant"])
def test_every_cabinet_link_on_the_home_page_opens_for_the_role(
    client, company_a, role
):
    user = MembershipFactory(company=company_a, role=role).user
    html = login(client, user).get(reverse("cabinet:home")).content.decode()
    links = set(re.findall(r'href="(/cabinet/[^"#]*)"', html))
    assert reverse("cabinet:order-list") in links
    for url in links:
        assert client.get(url).status_code == 200, (role, url)


def test_message_reaches_the_account_manager(
    client, company_a, alice, django_capture_on_commit_callbacks
):
    manager = StaffFactory(email="olga@shop.example")
    company_a.account_manager = manager
    company_a.save()
    client = login(client, alice)
    with django_capture_on_commit_callbacks(execute=True):  # a background task
        response = client.post(
            reverse("cabinet:manager-message"),
            {
                "subject": "Delivery to Kazan",
                "message": "Can you ship 200 bearings by Friday?",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["olga@shop.example"] and sent.reply_to == [alice.email]
    assert "200 bearings" in sent.body and "Alpha Machines" in sent.subject
    client.post(reverse("cabinet:manager-message"), {"subject": "", "message": ""})
    assert len(mail.outbox) == 1


def test_home_in_russian(client, alice):
    client = login(client, alice)
    response = client.get(reverse("cabinet:home"), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Ваш менеджер" in response.content.decode()
