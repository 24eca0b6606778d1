"""The reservation pages, the basket's "Documents and reservation" panel and the
reservations API: what each shows, posts and refuses, in English and Russian."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.partner.models import StockRecord
from invoicing.models import Invoice, InvoiceStatus
from sales.reservations.models import Reservation, ReservationStatus, ReservationTerms
from tests.cabinet.factories import priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.forms import form_fields
from tests.reservations.factories import address_ensure, basket_for, reservation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(seller):
    membership = MembershipFactory(role="buyer")
    address_ensure(membership.company)
    return membership


@pytest.fixture
def product(db):
    return priced_product(price="100.00", stock=7)


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def _basket_with(client, member, product, quantity):
    """The member's open basket (the one the middleware picks) with a line."""
    basket = basket_for(membership=member, items=[(product, quantity)])
    return basket


def test_the_basket_page_shows_the_three_buttons_to_a_buyer(
    member_client, member, product
):
    _basket_with(member_client, member, product, 2)

    body = member_client.get(reverse("basket:summary")).content.decode()

    assert 'id="basket-documents"' in body
    assert f'action="{reverse("cabinet:invoice-issue-basket")}"' in body
    assert f'action="{reverse("cabinet:reservation-create")}"' in body
    assert f'href="{reverse("cabinet:basket-quote")}"' in body
    assert "Reserve for 3 working days" in body
    assert "Proceed to checkout" in body  # Oscar's own content is kept


def test_the_basket_panel_explains_to_an_accountant(client, product, seller):
    accountant = MembershipFactory(role="accountant")
    client.force_login(accountant.user)
    basket_for(membership=accountant, items=[(product, 1)])

    body = client.get(reverse("basket:summary")).content.decode()

    assert 'id="basket-reserve-form"' not in body
    assert 'id="basket-invoice-form"' not in body
    assert 'id="reserve-refused"' in body
    assert "Your role in this company does not allow this." in body


def test_the_basket_panel_in_russian(member_client, member, product):
    _basket_with(member_client, member, product, 1)
    member_client.cookies["django_language"] = "ru"

    body = member_client.get(reverse("basket:summary")).content.decode()

    assert "Документы и резерв" in body
    assert "Выставить счёт" in body
    assert "Зарезервировать на 3 рабочих дня" in body
    assert "Скачать КП (PDF)" in body


def test_reserving_from_the_basket_page_holds_stock_and_shows_the_reservation(
    member_client, member, product
):
    _basket_with(member_client, member, product, 5)
    page = member_client.get(reverse("basket:summary")).content.decode()
    fields = form_fields(page, "basket-reserve-form")

    response = member_client.post(reverse("cabinet:reservation-create"), fields)

    reservation = Reservation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cabinet:reservation-detail", args=[reservation.number]
    )
    assert StockRecord.objects.get(product=product).num_allocated == 5
    detail = member_client.get(response["Location"]).content.decode()
    assert reservation.invoice.display_number in detail
    assert "Order now" in detail and "Extend" in detail and "Cancel" in detail


def test_reserving_more_than_on_hand_is_told_on_the_basket(
    member_client, member, product
):
    _basket_with(member_client, member, product, 9)

    response = member_client.post(reverse("cabinet:reservation-create"), follow=True)

    body = response.content.decode()
    assert "9 requested, only 7 in stock can be reserved" in body
    assert not Reservation.objects.exists()


def test_the_list_page_shows_lines_expiry_invoice_and_actions_in_few_queries(
    member_client, member, django_assert_max_num_queries
):
    for _ in range(6):
        reservation_make(membership=member, items=[(priced_product(stock=5), 2)] * 1)

    with django_assert_max_num_queries(30):
        response = member_client.get(reverse("cabinet:reservations"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="list-group-item reservation-row"') == 6
    assert body.count("left)") == 6  # the countdown
    assert body.count("Invoice 20") == 6
    assert body.count(">Extend</button>") == 6


def test_the_list_page_in_russian(member_client, member, product):
    reservation_make(membership=member, items=[(product, 1)])
    member_client.cookies["django_language"] = "ru"

    body = member_client.get(reverse("cabinet:reservations")).content.decode()

    assert "Резервы" in body and "Активен" in body and "Продлить" in body


def test_a_foreign_reservation_is_404_on_every_page(member, product, client):
    reservation = reservation_make(membership=member, items=[(product, 1)])
    client.force_login(MembershipFactory(role="admin").user)

    assert (
        client.get(
            reverse("cabinet:reservation-detail", args=[reservation.number])
        ).status_code
        == 404
    )
    for name in ("convert", "extend", "cancel"):
        url = reverse(f"cabinet:reservation-{name}", args=[reservation.number])
        assert client.post(url).status_code == 404
    assert (
        client.get(
            reverse("api:cabinet-reservation", args=[reservation.number])
        ).status_code
        == 404
    )
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ACTIVE


def test_cancel_and_double_convert_on_the_pages(member_client, member, product):
    first = reservation_make(membership=member, items=[(product, 2)])
    second = reservation_make(membership=member, items=[(product, 3)])

    member_client.post(reverse("cabinet:reservation-cancel", args=[first.number]))
    member_client.post(reverse("cabinet:reservation-convert", args=[second.number]))
    again = member_client.post(
        reverse("cabinet:reservation-convert", args=[second.number]), follow=True
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ReservationStatus.CANCELLED
    assert second.status == ReservationStatus.CONVERTED
    assert "This reservation is already an order." in again.content.decode()
    assert StockRecord.objects.get(product=product).num_allocated == 3
    assert Invoice.objects.get(pk=first.invoice_id).status == InvoiceStatus.CANCELLED


@pytest.mark.parametrize("raw", ["-1", "0", "NaN", "11", "2.5", "1e1", "abc", ""])
def test_the_terms_page_refuses_bad_days(client, raw, seller):
    admin = MembershipFactory(role="admin")
    client.force_login(admin.user)

    response = client.post(reverse("cabinet:reservation-settings"), {"days": raw})

    assert response.status_code == 400
    assert not ReservationTerms.objects.filter(company=admin.company).exists() or (
        ReservationTerms.objects.get(company=admin.company).days == 3
    )


def test_the_terms_page_saves_days_within_the_staff_maximum(client, seller):
    admin = MembershipFactory(role="admin")
    ReservationTerms.objects.create(company=admin.company, max_days=6)
    client.force_login(admin.user)
    page = client.get(reverse("cabinet:reservation-settings")).content.decode()
    fields = form_fields(page, "reservation-terms-form")
    fields["days"] = "6"

    response = client.post(reverse("cabinet:reservation-settings"), fields)

    assert response.status_code == 302
    assert ReservationTerms.objects.get(company=admin.company).days == 6
    too_many = client.post(reverse("cabinet:reservation-settings"), {"days": "7"})
    assert too_many.status_code == 400
    assert "Choose from 1 to 6 working days." in too_many.content.decode()


def test_the_api_lists_creates_and_acts(member_client, member, product):
    _basket_with(member_client, member, product, 4)

    created = member_client.post(
        reverse("api:cabinet-reservations"), data=b"{}", content_type="application/json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert [line["quantity"] for line in data["lines"]] == [4]
    assert data["total_incl_tax"] == "480.00" and data["invoice"]
    listing = member_client.get(reverse("api:cabinet-reservations")).json()
    assert [r["number"] for r in listing["results"]] == [data["number"]]

    extended = member_client.post(
        reverse("api:cabinet-reservation-extend", args=[data["number"]])
    )
    assert extended.status_code == 200 and extended.json()["extended"] is True
    twice = member_client.post(
        reverse("api:cabinet-reservation-extend", args=[data["number"]])
    )
    assert twice.status_code == 400 and "only once" in twice.json()["detail"]
    converted = member_client.post(
        reverse("api:cabinet-reservation-convert", args=[data["number"]])
    )
    assert converted.status_code == 200 and converted.json()["order"]
    assert StockRecord.objects.get(product=product).num_allocated == 4


def test_a_repeat_with_the_same_idempotency_key_reserves_once(
    member_client, member, product
):
    _basket_with(member_client, member, product, 4)
    url = reverse("api:cabinet-reservations")

    first = member_client.post(url, HTTP_IDEMPOTENCY_KEY="reserve-po-9")
    again = member_client.post(url, HTTP_IDEMPOTENCY_KEY="reserve-po-9")

    assert first.status_code == again.status_code == 201, first.content
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Reservation.objects.count() == 1


def test_the_api_refuses_an_accountant_and_a_pending_company(client, product, seller):
    for membership in (
        MembershipFactory(role="accountant"),
        MembershipFactory(company=CompanyFactory(status="pending")),
    ):
        address_ensure(membership.company)
        basket_for(membership=membership, items=[(product, 1)])
        client.force_login(membership.user)
        response = client.post(
            reverse("api:cabinet-reservations"),
            data=json.dumps({}),
            content_type="application/json",
        )
        assert response.status_code == 403
    assert not Reservation.objects.exists()


def test_the_cabinet_navigation_links_reservations(member_client):
    body = member_client.get(reverse("cabinet:home")).content.decode()

    assert f'href="{reverse("cabinet:reservations")}"' in body


def test_money_is_decimal_in_the_api(member_client, member, product):
    reservation = reservation_make(membership=member, items=[(product, 1)])

    data = member_client.get(
        reverse("api:cabinet-reservation", args=[reservation.number])
    ).json()

    assert Decimal(data["total_excl_tax"]) == Decimal("100.00")
    assert data["lines"][0]["unit_price_incl_tax"] == "120.00"


def test_the_cabinet_home_counts_the_companys_active_reservations(
    member_client, member, product
):
    home = reverse("cabinet:home")
    assert 'id="reservations-active"' not in member_client.get(home).content.decode()
    first = reservation_make(membership=member, items=[(product, 1)])
    reservation_make(membership=member, items=[(product, 1)])
    colleague = MembershipFactory(company=member.company, role="accountant")
    member_client.force_login(colleague.user)  # the company's, not the person's

    body = member_client.get(home).content.decode()

    assert "2 reservations of your company are active" in body
    assert reverse("cabinet:reservations") in body
    Reservation.objects.filter(pk=first.pk).update(status=ReservationStatus.CANCELLED)
    member_client.cookies["django_language"] = "ru"
    body = member_client.get(home).content.decode()
    assert "1 резерв вашей компании активен" in body
    other = MembershipFactory(company=CompanyFactory(), role="buyer")
    member_client.force_login(other.user)
    assert 'id="reservations-active"' not in member_client.get(home).content.decode()
