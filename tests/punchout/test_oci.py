"""SAP OCI 4.0 punchout, with a procurement system written here: it opens the shop
with HOOK_URL, USERNAME and PASSWORD, the buyer fills the basket at their own
price, the shop posts the NEW_ITEM-* fields back to the hook (a real HTTP server
on 127.0.0.1) — through the Django client and through a real browser, which
enforces the page's Content-Security-Policy. Bad calls open nothing."""

import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode
from urllib.request import Request, urlopen

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.models import Company, Role
from sales.basket.models import Basket
from tests.cabinet.factories import priced_product
from tests.factories import CompanyFactory, MembershipFactory

PASSWORD = "Punch-out-2026"


class Procurement:
    """The procurement system's side: the hook that receives the basket."""

    def __init__(self):
        self.received: list[list[tuple[str, str]]] = []
        owner = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                owner.received.append(parse_qsl(body, keep_blank_values=True))
                page = b"<html><body><h1>Basket received</h1></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.hook = f"http://127.0.0.1:{self.server.server_port}/sap/bc/srm/hook?sid=42"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def items(self, n: int = 0) -> dict[str, str]:
        return dict(self.received[n])


@pytest.fixture
def procurement():
    system = Procurement()
    yield system
    system.server.shutdown()


@pytest.fixture
def buyer_member(db):
    company = CompanyFactory(status=Company.Status.APPROVED)
    member = MembershipFactory(company=company, role=Role.BUYER)
    member.user.set_password(PASSWORD)
    member.user.save()
    return member


def _start(client, hook, user, password=PASSWORD, **extra):
    params = {"HOOK_URL": hook, "USERNAME": user.email, "PASSWORD": password, **extra}
    return client.get(reverse("punchout:oci") + "?" + urlencode(params))


@pytest.mark.django_db
def test_oci_round_trip_returns_the_basket_to_the_hook(
    client, procurement, buyer_member
):
    product = priced_product(article="6205-2RS", price="250.00")
    start = _start(client, procurement.hook, buyer_member.user, **{"~TARGET": "_top"})
    assert start.status_code == 302
    assert client.get(reverse("basket:summary")).wsgi_request.user == buyer_member.user
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 4})
    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert 'data-testid="punchout-transfer"' in basket_page
    assert (
        reverse("checkout:index") not in basket_page.split("punchout-transfer")[1][:400]
    )

    page = client.post(reverse("punchout:oci-transfer"))
    assert page.status_code == 200
    assert "form-action 'self' http://127.0.0.1:" in page["Content-Security-Policy"]
    form = BeautifulSoup(page.content, "html.parser").select_one("#oci-transfer")
    assert form["action"] == procurement.hook and form["target"] == "_top"
    fields = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert dict(fields)["NEW_ITEM-VENDORMAT[1]"] == "6205-2RS"
    # The basket is handed over: emptied, and the punchout session ended.
    assert not Basket.objects.filter(owner=buyer_member.user, lines__isnull=False)
    assert client.post(reverse("punchout:oci-transfer")).status_code == 403

    # What the browser posts, the procurement system receives.
    urlopen(Request(procurement.hook, data=urlencode(fields).encode()), timeout=5)
    items = procurement.items()
    assert items["NEW_ITEM-QUANTITY[1]"] == "4"
    assert Decimal(items["NEW_ITEM-PRICE[1]"]) == Decimal("250.00")
    assert items["NEW_ITEM-UNIT[1]"] == "PCE"
    assert items["NEW_ITEM-CURRENCY[1]"] == "RUB"
    assert items["NEW_ITEM-EXT_PRODUCT_ID[1]"] == str(product.pk)
    assert len(items["NEW_ITEM-DESCRIPTION[1]"]) <= 40


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hook",
    [
        "",
        "javascript:alert(1)",
        "ftp://erp.example/hook",
        "http://erp.example/hook\r\nSet-Cookie: x=1",
        "http://erp.example/" + "a" * 5000,
        "http://erp.example/hook\x00",
        "/relative/hook",
    ],
)
def test_a_bad_hook_opens_nothing(client, buyer_member, hook):
    response = _start(client, hook, buyer_member.user)
    assert response.status_code == 400
    if "\x00" not in hook:  # a NUL byte is refused before any view (400 page)
        assert "HOOK_URL" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_users_open_nothing(client, procurement, buyer_member):
    assert (
        _start(client, procurement.hook, buyer_member.user, "wrong").status_code == 400
    )
    accountant = MembershipFactory(company=buyer_member.company, role=Role.ACCOUNTANT)
    accountant.user.set_password(PASSWORD)
    accountant.user.save()
    pending = MembershipFactory(
        company=CompanyFactory(status=Company.Status.PENDING), role=Role.ADMIN
    )
    pending.user.set_password(PASSWORD)
    pending.user.save()
    for user in (accountant.user, pending.user):
        response = _start(client, procurement.hook, user)
        assert response.status_code == 400, user.email
        assert "may not order" in response.content.decode()
        assert "_auth_user_id" not in client.session
    bare = client.get(reverse("punchout:oci"))
    assert bare.status_code == 400


@pytest.mark.django_db
def test_guessing_passwords_locks_the_account_out(client, procurement, buyer_member):
    for _ in range(6):
        _start(client, procurement.hook, buyer_member.user, "guess")
    response = _start(client, procurement.hook, buyer_member.user)
    assert response.status_code in (400, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_transfer_needs_a_punchout_and_a_basket(client, procurement, buyer_member):
    client.force_login(buyer_member.user)
    assert client.post(reverse("punchout:oci-transfer")).status_code == 403
    _start(client, procurement.hook, buyer_member.user)
    response = client.post(reverse("punchout:oci-transfer"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "empty" in " ".join(str(m) for m in response.context["messages"])
    assert client.get(reverse("punchout:oci-transfer")).status_code == 405


@pytest.mark.django_db
def test_the_shops_checkout_is_closed_during_a_punchout(
    client, procurement, buyer_member
):
    product = priced_product(article="6206-2RS", price="300.00")
    _start(client, procurement.hook, buyer_member.user)
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    for method in (client.get, client.post):
        response = method(reverse("checkout:index"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("basket:summary")
        assert "procurement system" in " ".join(
            str(m) for m in response.context["messages"]
        )
    assert not buyer_member.company.orders.exists()
    client.post(reverse("punchout:oci-transfer"))
    client.force_login(buyer_member.user)  # an ordinary session again
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    assert client.get(reverse("checkout:index")).status_code == 200
