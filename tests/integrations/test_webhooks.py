"""Webhooks out: a company administrator registers an endpoint on
/cabinet/webhooks/ (its secret shown once); orders placed and shipped and invoices
issued are POSTed to it, signed, by the worker; a refused answer is tried again
with backoff, then failed and sent again by hand; bad URLs are refused; nobody but
the company's administrators sees or changes them."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.apps.order.processing import EventHandler
from oscar.apps.order.signals import order_placed

from accounts.models import Role
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.integrations.factories import webhook_objects
from tests.integrations.receiver import receiver_start, receiver_stop
from tests.invoicing.factories import SellerEntityFactory, invoice_make
from tests.workers import DATABASE_TASKS, tasks_run

pytestmark = pytest.mark.django_db

PAGE = "/cabinet/webhooks/"
EVENTS = ["order.placed", "order.shipped", "invoice.issued"]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    running = receiver_start()
    yield running
    receiver_stop(running)


@pytest.fixture
def admin(company):
    return MembershipFactory(company=company, role=Role.ADMIN)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin.user)
    return client


def _secret(response) -> str:
    html = response.content.decode()
    marker = 'id="webhook-secret-value"'
    assert marker in html, "the secret is not shown"
    return html[html.index(marker) :].split('value="', 1)[1].split('"', 1)[0]


def _register(admin_client, receiver, events=EVENTS) -> WebhookEndpoint:
    response = admin_client.post(
        PAGE, {"url": receiver.url, "events": events, "description": "1C"}, follow=True
    )
    assert response.redirect_chain == [(PAGE, 302)]
    receiver.secret = _secret(response)
    return WebhookEndpoint.objects.get()


def _place(company, user):
    order = order_make(
        company=company,
        user=user,
        lines=[(priced_product(article="HOOK-1"), 3, "100.00")],
        po_number="PO-HOOK",
    )
    order_placed.send(sender=None, order=order, user=user)
    return order


def _make_due():
    """The clock moves past the next attempt: the waiting task becomes ready."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_placed_order_is_posted_signed_and_the_receiver_verifies_it(
    admin_client, admin, company, receiver, django_capture_on_commit_callbacks
):
    endpoint = _register(admin_client, receiver)
    assert endpoint.secret == receiver.secret  # shown once: the page forgets it
    assert receiver.secret not in admin_client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        order = _place(company, admin.user)

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request["verified"] is True
    headers = request["headers"]
    assert headers["X-Shop-Event"] == "order.placed"
    assert headers["X-Shop-Delivery"] == str(delivery.pk)
    assert headers["X-Shop-Signature"].startswith("sha256=")
    assert abs(int(headers["X-Shop-Timestamp"]) - timezone.now().timestamp()) < 60
    assert headers["Content-Type"] == "application/json"
    body = request["body"]
    assert (body["id"], body["event"]) == (delivery.pk, "order.placed")
    assert body["data"]["order"]["number"] == order.number
    assert body["data"]["order"]["po_number"] == "PO-HOOK"
    assert body["data"]["order"]["total_incl_tax"] == "360.00"
    assert body["data"]["order"]["lines"][0]["article"] == "HOOK-1"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    page = admin_client.get(PAGE).content.decode()
    assert "webhook-delivery-delivered" in page and "Order placed" in page


def test_a_forged_signature_is_refused_by_the_receiver(
    admin_client, admin, company, receiver, django_capture_on_commit_callbacks
):
    _register(admin_client, receiver)
    receiver.secret = "whsec_not-the-one-we-were-given"
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    assert receiver.requests[0]["verified"] is False
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 401)
    assert delivery.response_body == "bad signature"


def test_a_500_is_retried_with_backoff_then_delivered(
    admin_client, admin, company, receiver, settings, django_capture_on_commit_callbacks
):
    _register(admin_client, receiver)
    settings.TASKS = DATABASE_TASKS
    receiver.statuses = [500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    assert receiver.requests == []  # queued for the worker, not sent in the request

    tasks_run()  # the webhook, and the order's e-mails
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "pending",
        1,
        500,
    )
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert wait == timedelta(minutes=1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert tasks_run() == 0 and len(receiver.requests) == 1  # not due yet

    _make_due()
    assert tasks_run() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "delivered",
        2,
        200,
    )
    assert [r["verified"] for r in receiver.requests] == [True, True]
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]


def test_failed_after_the_last_attempt_then_sent_again_by_hand(
    admin_client, admin, company, receiver, settings, django_capture_on_commit_callbacks
):
    _register(admin_client, receiver)
    settings.TASKS = DATABASE_TASKS
    receiver.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    waits = []
    for _attempt in range(6):
        _make_due()
        tasks_run()
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
    assert len(receiver.requests) == 6
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
    ]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "failed",
        6,
        503,
    )
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    page = admin_client.get(PAGE).content.decode()
    assert "webhook-delivery-failed" in page and "Send again" in page

    receiver.statuses = [200]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{PAGE}deliveries/{delivery.pk}/resend/", follow=True
        )
    assert "The delivery is sent again." in response.content.decode()
    assert tasks_run() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.requests) == 7


def test_a_delivered_delivery_is_not_sent_again(admin_client, company, receiver):
    _endpoint, delivery = webhook_objects(company)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="delivered")
    response = admin_client.post(f"{PAGE}deliveries/{delivery.pk}/resend/", follow=True)
    assert "Only a failed delivery can be sent again." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_a_network_error_is_recorded_and_retried(
    admin_client, admin, company, receiver, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = WebhookEndpoint.objects.create(
        company=company,
        url=f"http://127.0.0.1:{port}/hook",
        events=["order.placed"],
        secret="whsec_closed",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "pending",
        1,
        None,
    )
    assert "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(minutes=1)


def test_redirects_are_not_followed_and_answers_are_cut_at_2_kb(
    admin_client, admin, company, receiver, django_capture_on_commit_callbacks
):
    _register(admin_client, receiver)
    receiver.statuses = [302]
    receiver.headers_out = {"Location": "http://127.0.0.1:1/elsewhere"}
    receiver.reply_body = b"x" * 10_000
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert delivery.response_body == "x" * 2048


def test_shipped_and_invoiced_are_sent_once_to_the_endpoints_that_asked(
    admin_client,
    admin,
    company,
    receiver,
    django_capture_on_commit_callbacks,
):
    SellerEntityFactory()
    shipped = _register(admin_client, receiver, events=["order.shipped"])
    order = order_make(
        company=company,
        user=admin.user,
        lines=[(priced_product(article="HOOK-2"), 1, "10.00")],
        status="Processing",
    )
    with django_capture_on_commit_callbacks(execute=True):
        EventHandler(admin.user).handle_order_status_change(order, "Shipped")
        invoice_make(company=company)  # no endpoint asked for invoices
    assert [r["headers"]["X-Shop-Event"] for r in receiver.requests] == [
        "order.shipped"
    ]
    assert receiver.requests[0]["body"]["data"]["order"]["number"] == order.number
    assert shipped.deliveries.get().status == "delivered"

    shipped.events = ["invoice.issued"]
    shipped.save()
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_make(company=company)
    body = receiver.requests[-1]["body"]
    assert body["event"] == "invoice.issued"
    assert body["data"]["invoice"]["number"] == invoice.display_number
    assert body["data"]["invoice"]["total_incl_vat"] == str(invoice.total_incl_vat)


def test_an_endpoint_switched_off_gets_nothing(
    admin_client, admin, company, receiver, django_capture_on_commit_callbacks
):
    endpoint = _register(admin_client, receiver)
    response = admin_client.post(
        f"{PAGE}{endpoint.pk}/active/", {"active": "0"}, follow=True
    )
    assert "is off." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _place(company, admin.user)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_test_event_is_sent_from_the_page_and_shown_in_the_log(
    admin_client, receiver, django_capture_on_commit_callbacks
):
    endpoint = _register(admin_client, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{PAGE}{endpoint.pk}/test/", follow=True)
    assert "A test event is on its way." in response.content.decode()
    [request] = receiver.requests
    assert request["verified"] and request["headers"]["X-Shop-Event"] == "webhook.test"
    delivery = WebhookDelivery.objects.get()
    detail = admin_client.get(f"{PAGE}deliveries/{delivery.pk}/").content.decode()
    assert "Test event" in detail and "{&quot;ok&quot;: true}" in detail


def test_removing_an_endpoint_removes_its_deliveries(admin_client, company):
    endpoint, _delivery = webhook_objects(company)
    response = admin_client.post(f"{PAGE}{endpoint.pk}/delete/", follow=True)
    assert "is removed." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "url,error",
    [
        ("http://erp.example.com/hook", "must start with https://"),
        ("ftp://erp.example.com/hook", "must start with https://"),
        ("https://10.1.2.3/hook", "private or local address"),
        ("https://192.168.0.10/hook", "private or local address"),
        ("https://127.0.0.1:8443/hook", "private or local address"),
        ("https://localhost/hook", "private or local address"),
        ("https://[::1]/hook", "private or local address"),
        ("https://169.254.169.254/latest/meta-data", "private or local address"),
        ("https://[::ffff:10.0.0.1]/hook", "private or local address"),
        ("https://erp.example.com/\x00hook", "Null characters are not allowed"),
        ("https://erp.example.com/a\x07b", "control characters"),
        ("https://erp.example.com/" + "a" * 5000, "at most 2000 characters"),
        ("https://user:pw@erp.example.com/hook", "user name or password"),
        ("https://erp.example.com:99999/hook", "Enter a valid URL"),
        ("not a url", "control characters"),
    ],
)
def test_bad_urls_are_refused_and_nothing_is_saved(admin_client, url, error):
    response = admin_client.post(PAGE, {"url": url, "events": ["order.placed"]})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "events,error",
    [
        (["order.cancelled"], "Select a valid choice"),
        (["webhook.test"], "Select a valid choice"),
        ([], "This field is required"),
    ],
)
def test_unknown_or_no_events_are_refused(admin_client, events, error, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    response = admin_client.post(
        PAGE, {"url": "https://127.0.0.1/hook", "events": events}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_http_to_the_test_server_needs_both_settings(admin_client, settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    response = admin_client.post(
        PAGE, {"url": "http://127.0.0.1:9/hook", "events": ["order.placed"]}
    )
    assert "private or local address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("role", [Role.BUYER, Role.APPROVER, Role.ACCOUNTANT])
def test_only_administrators_see_or_change_webhooks(client, company, role):
    endpoint, delivery = webhook_objects(company)
    client.force_login(MembershipFactory(company=company, role=role).user)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}deliveries/{delivery.pk}/").status_code == 403
    for path in (
        PAGE,
        f"{PAGE}{endpoint.pk}/active/",
        f"{PAGE}{endpoint.pk}/delete/",
        f"{PAGE}{endpoint.pk}/test/",
        f"{PAGE}deliveries/{delivery.pk}/resend/",
    ):
        response = client.post(
            path, {"url": "https://erp.example.com/x", "events": ["order.placed"]}
        )
        assert response.status_code == 403, path
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert endpoint.is_active and delivery.status == "failed"
    assert WebhookEndpoint.objects.count() == 1
    assert "Webhooks" not in client.get("/cabinet/").content.decode()


def test_another_companys_endpoint_and_delivery_are_404(admin_client, admin):
    endpoint, delivery = webhook_objects(CompanyFactory(name="Foreign Works"))
    assert admin_client.get(f"{PAGE}deliveries/{delivery.pk}/").status_code == 404
    for path in (
        f"{PAGE}{endpoint.pk}/active/",
        f"{PAGE}{endpoint.pk}/delete/",
        f"{PAGE}{endpoint.pk}/test/",
        f"{PAGE}deliveries/{delivery.pk}/resend/",
        f"{PAGE}{2**63}/delete/",
    ):
        assert admin_client.post(path, {"active": "0"}).status_code == 404, path
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert (endpoint.is_active, delivery.status, delivery.attempts) == (
        True,
        "failed",
        6,
    )
    page = admin_client.get(PAGE).content.decode()
    assert endpoint.url not in page


def test_the_page_reads_in_few_queries(
    admin_client, company, django_assert_max_num_queries
):
    endpoint, _delivery = webhook_objects(company)
    for n in range(30):
        endpoint.deliveries.create(event="order.placed", key=f"k{n}", payload={})
    with django_assert_max_num_queries(15):
        response = admin_client.get(PAGE)
    assert response.content.decode().count('class="webhook-delivery ') == 31


def test_the_page_in_russian(admin_client, company):
    webhook_objects(company)
    admin_client.cookies["django_language"] = "ru"
    page = admin_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Вебхуки" in page and "Отправить снова" in page
