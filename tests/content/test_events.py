"""Target actions: the visitor id cookie, one event per action (landing view,
registration, first order, quote and invoice request) and the visitor's anonymous
actions handed to the person at login and registration."""

import json
import logging
import uuid

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse
from oscar.apps.order.signals import order_placed

from accounts.models import Company
from content.models import Event, HomePage, LandingPage, Lead
from content.receivers import first_order_record
from content.tracking import (
    VISITOR_COOKIE,
    event_record,
    event_record_quietly,
    visitor_id_from_request,
)
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "email": "olga@zavod.example",
    "password": "Strong-pass-2024",
    "first_name": "Olga",
    "last_name": "Petrova",
    "phone": "+7 495 123-45-67",
    "legal_name": "OOO Zavod",
    "country": "RU",
    "tax_id": "7736207543",
    "kpp": "773601001",
    "industry": "manufacturing",
}


@pytest.fixture
def landing():
    home = HomePage.objects.get()
    page = LandingPage(
        title="For builders",
        slug="builders",
        industry="construction",
        body=json.dumps([]),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _visitor(client) -> str:
    return client.cookies[VISITOR_COOKIE].value


# -- the visitor id -------------------------------------------------------------


def test_a_first_visit_gets_a_visitor_cookie_and_its_landing_view_carries_it(
    client, landing
):
    response = client.get("/builders/?utm_source=yandex&utm_campaign=spring")

    assert response.status_code == 200
    cookie = response.cookies[VISITOR_COOKIE]
    assert uuid.UUID(cookie.value)
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (
        True,
        "Lax",
        365 * 24 * 60 * 60,
    )
    event = Event.objects.get()
    assert (event.kind, event.visitor_id, event.page_id) == (
        Event.Kind.LANDING_VIEW,
        cookie.value,
        landing.pk,
    )
    assert (event.utm_source, event.utm_campaign) == ("yandex", "spring")


def test_the_visitor_cookie_is_given_once_and_kept(client, landing):
    client.get("/builders/")
    visitor = _visitor(client)

    response = client.get("/builders/")

    assert VISITOR_COOKIE not in response.cookies
    assert list(Event.objects.values_list("visitor_id", flat=True)) == [visitor] * 2


@pytest.mark.parametrize(
    "path", ["/health/", "/api/v1/", "/cms/login/", "/static/x.css", "/media/x.png"]
)
def test_files_probes_the_api_and_the_admin_get_no_visitor_cookie(client, path):
    response = client.get(path)

    assert VISITOR_COOKIE not in response.cookies


def test_an_error_page_and_a_post_give_no_visitor_cookie(client):
    assert VISITOR_COOKIE not in client.get("/no-such-page/").cookies
    assert VISITOR_COOKIE not in client.post("/leads/", {}).cookies


def test_a_forged_visitor_cookie_is_replaced(client, landing):
    client.cookies[VISITOR_COOKIE] = "not-a-uuid"

    response = client.get("/builders/")

    assert uuid.UUID(response.cookies[VISITOR_COOKIE].value)
    assert Event.objects.get().visitor_id == response.cookies[VISITOR_COOKIE].value


def test_the_cookie_is_secure_over_https(client, landing, settings):
    response = client.get("/builders/", secure=True)

    assert response.cookies[VISITOR_COOKIE]["secure"] is True


# -- landing views --------------------------------------------------------------


def test_an_editor_viewing_a_landing_page_is_not_a_visit(client, landing):
    client.force_login(StaffFactory())

    client.get("/builders/")

    assert not Event.objects.exists()


def test_other_pages_are_no_landing_views(client, landing):
    client.get("/")

    assert not Event.objects.exists()


def test_a_signed_in_buyer_landing_view_carries_person_and_company(client, landing):
    membership = MembershipFactory()
    client.force_login(membership.user)

    client.get("/builders/")

    event = Event.objects.get()
    assert (event.user, event.company) == (membership.user, membership.company)


# -- recording never breaks the action ------------------------------------------


def test_a_failed_event_write_is_logged_and_the_action_goes_on(
    client, landing, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("content.tracking.event_record", broken)

    with caplog.at_level(logging.ERROR, logger="content.tracking"):
        response = client.get("/builders/")

    assert response.status_code == 200
    assert not Event.objects.exists()
    (record,) = [r for r in caplog.records if r.name == "content.tracking"]
    assert "landing_view" in record.getMessage()
    assert record.exc_info[1].args == ("database gone",)


def test_a_failed_write_leaves_the_surrounding_transaction_usable():
    company = CompanyFactory()

    assert event_record_quietly(kind=None, company=company) is None
    # The savepoint rolled back alone: the transaction still takes writes.
    assert event_record(kind=Event.Kind.DOWNLOAD, company=company).pk


def test_the_visitor_id_of_a_request_is_a_uuid_or_blank():
    request = RequestFactory().get("/")
    request.COOKIES[VISITOR_COOKIE] = "'; DROP TABLE"
    assert visitor_id_from_request(request) == ""
    good = str(uuid.uuid4())
    request.COOKIES[VISITOR_COOKIE] = good
    assert visitor_id_from_request(request) == good


# -- merging at login and registration ------------------------------------------


def test_login_hands_the_visitors_events_and_leads_to_the_person(client, landing):
    membership = MembershipFactory()
    client.get("/builders/")
    visitor = _visitor(client)
    lead = Lead.objects.create(phone="+79000000001", visitor_id=visitor)
    other = Event.objects.create(kind=Event.Kind.LANDING_VIEW, visitor_id="someone")

    client.force_login(membership.user)
    request = RequestFactory().get("/")
    request.COOKIES[VISITOR_COOKIE] = visitor
    request.session = client.session
    user_logged_in.send(
        sender=type(membership.user), request=request, user=membership.user
    )

    event = Event.objects.get(visitor_id=visitor)
    assert (event.user, event.company) == (membership.user, membership.company)
    lead.refresh_from_db()
    assert (lead.user, lead.company) == (membership.user, membership.company)
    other.refresh_from_db()
    assert other.user is None


def test_logging_in_through_the_form_merges_the_visitor(client, landing):
    membership = MembershipFactory(user__email="ivan@alpha.example")
    membership.user.set_password("Strong-pass-2024")
    membership.user.save()
    client.get("/builders/")

    response = client.post(
        "/accounts/login/",
        {
            "login-username": "ivan@alpha.example",
            "login-password": "Strong-pass-2024",
            "login_submit": "1",
        },
    )

    assert response.status_code == 302
    assert Event.objects.get(kind=Event.Kind.LANDING_VIEW).user == membership.user


def test_registration_is_recorded_and_takes_the_visitors_earlier_actions(
    client, landing
):
    client.get("/builders/?utm_source=yandex")
    visitor = _visitor(client)
    lead = Lead.objects.create(email="olga@zavod.example", visitor_id=visitor)

    response = client.post("/accounts/register/", REGISTRATION)

    assert response.status_code == 302
    company = Company.objects.get(tax_id="7736207543")
    registration = Event.objects.get(kind=Event.Kind.REGISTRATION)
    assert (registration.visitor_id, registration.company, registration.user.email) == (
        visitor,
        company,
        "olga@zavod.example",
    )
    assert registration.utm_source == "yandex"
    view = Event.objects.get(kind=Event.Kind.LANDING_VIEW)
    assert (view.user, view.company) == (registration.user, company)
    lead.refresh_from_db()
    assert (lead.user, lead.company) == (registration.user, company)


# -- first orders ---------------------------------------------------------------


def test_only_the_companys_first_order_is_a_first_order():
    membership = MembershipFactory()
    product = priced_product(article="EV-1")
    orders = [
        order_make(
            company=membership.company,
            user=membership.user,
            lines=[(product, 1, "10.00")],
        )
        for _ in range(2)
    ]

    for order in orders:
        order_placed.send(sender=None, order=order, user=membership.user)

    event = Event.objects.get(kind=Event.Kind.FIRST_ORDER)
    assert (event.company, event.user, event.path) == (
        membership.company,
        membership.user,
        f"order:{orders[0].number}",
    )


def test_each_company_has_its_own_first_order():
    product = priced_product(article="EV-2")
    for membership in (MembershipFactory(), MembershipFactory()):
        order = order_make(
            company=membership.company,
            user=membership.user,
            lines=[(product, 1, "10.00")],
        )
        first_order_record(sender=None, order=order)

    assert Event.objects.filter(kind=Event.Kind.FIRST_ORDER).count() == 2


def test_an_order_without_a_company_is_no_first_order():
    membership = MembershipFactory()
    order = order_make(
        company=membership.company,
        user=membership.user,
        lines=[(priced_product(article="EV-3"), 1, "10.00")],
    )
    order.company = None

    first_order_record(sender=None, order=order)

    assert not Event.objects.exists()


# -- quotes and invoices from the basket -----------------------------------------


def _basket_with_product(client, membership):
    from catalog.partner.strategy import CompanyPricing
    from sales.basket.models import Basket

    basket = Basket.objects.create(owner=membership.user)
    basket.strategy = CompanyPricing(company=membership.company)
    basket.add_product(priced_product(article="EV-Q"), 2)
    client.force_login(membership.user)
    return basket


def test_a_quote_of_the_basket_is_a_quote_request(client, settings, tmp_path):
    from tests.invoicing.factories import SellerEntityFactory

    settings.MEDIA_ROOT = tmp_path
    SellerEntityFactory()
    membership = MembershipFactory(role="buyer")
    _basket_with_product(client, membership)

    response = client.get(reverse("cabinet:basket-quote"))

    assert response.status_code == 200, response.content[:300]
    event = Event.objects.get()
    assert (event.kind, event.user, event.company) == (
        Event.Kind.QUOTE_REQUEST,
        membership.user,
        membership.company,
    )


def test_an_invoice_issued_from_the_basket_is_an_invoice_request(
    client, settings, tmp_path
):
    from tests.invoicing.factories import SellerEntityFactory

    settings.MEDIA_ROOT = tmp_path
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False
    SellerEntityFactory()
    membership = MembershipFactory(role="buyer")
    _basket_with_product(client, membership)

    response = client.post(reverse("cabinet:invoice-issue-basket"))

    assert response.status_code == 302
    assert response["Location"] == reverse("cabinet:invoice-list")
    event = Event.objects.get()
    assert (event.kind, event.company) == (
        Event.Kind.INVOICE_REQUEST,
        membership.company,
    )


def test_a_refused_invoice_records_nothing(client):
    membership = MembershipFactory(role="accountant")
    _basket_with_product(client, membership)

    client.post(reverse("cabinet:invoice-issue-basket"))

    assert not Event.objects.exists()
