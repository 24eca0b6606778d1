"""Company isolation across the whole cabinet: a member of company B asking for any of
company A's objects, by page, export or API, gets 404 and changes nothing.

The URL map below must name every cabinet and cabinet-API URL: a new URL that is not
in it fails `test_every_cabinet_url_is_covered`, so isolation is decided for each one.
"""

from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.models import ApiToken, CompanyAddress, Invitation
from cabinet.models import DocumentBundle, PurchaseList, PurchaseListLine
from catalog.models import ProductCertificate
from invoicing.models import DeliveryNote
from sales.basket.models import Basket
from tests.cabinet.factories import order_make, priced_product
from tests.checkout.factories import requisition_make
from tests.factories import CompanyFactory, MembershipFactory
from tests.integrations.factories import webhook_objects
from tests.reservations.factories import reservation_make

pytestmark = pytest.mark.django_db

# URL name → how to build its arguments from company A's objects. None: the URL takes
# no object of a company (index pages, forms, API collections); those are checked for
# leaks separately below.
OBJECT_URLS = {
    "cabinet:order-detail": ("GET", lambda a: [a["order"].number]),
    "cabinet:order-reorder": ("POST", lambda a: [a["order"].number]),
    "cabinet:invoice-pdf": ("GET", lambda a: [a["invoice"].pk]),
    "cabinet:invoice-facturx": ("GET", lambda a: [a["invoice"].pk]),
    "cabinet:invoice-ubl": ("GET", lambda a: [a["invoice"].pk]),
    "cabinet:invoice-pay": ("POST", lambda a: [a["invoice"].pk]),
    "cabinet:invoice-issue-order": ("POST", lambda a: [a["order"].pk]),
    "cabinet:delivery-note-pdf": ("GET", lambda a: [a["note"].pk]),
    "cabinet:upd-pdf": ("GET", lambda a: [a["note"].pk]),
    "cabinet:document-certificate": ("GET", lambda a: [a["certificate"].pk]),
    "cabinet:document-bundle": ("GET", lambda a: [a["bundle"].pk]),
    "cabinet:document-bundle-download": ("GET", lambda a: [a["bundle"].pk]),
    "cabinet:list-detail": ("GET", lambda a: [a["list"].pk]),
    "cabinet:list-rename": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-delete": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-update": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-remove": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-add-article": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-order": ("POST", lambda a: [a["list"].pk]),
    "cabinet:list-export": ("GET", lambda a: [a["list"].pk, "csv"]),
    "cabinet:list-import": ("POST", lambda a: [a["list"].pk]),
    "cabinet:team-member-role": ("POST", lambda a: [a["member"].pk]),
    "cabinet:team-member-limits": ("POST", lambda a: [a["member"].pk]),
    "cabinet:team-member-active": ("POST", lambda a: [a["member"].pk]),
    "cabinet:team-invitation-resend": ("POST", lambda a: [a["invitation"].pk]),
    "cabinet:team-invitation-revoke": ("POST", lambda a: [a["invitation"].pk]),
    "cabinet:api-token-revoke": ("POST", lambda a: [a["token"].pk]),
    **{
        f"cabinet:webhook-endpoint-{name}": (
            "POST",
            lambda a: [webhook_objects(a["order"].company)[0].pk],
        )
        for name in ("active", "delete", "test")
    },
    **{
        f"cabinet:webhook-delivery-{name}": (
            method,
            lambda a: [webhook_objects(a["order"].company)[1].pk],
        )
        for name, method in (("detail", "GET"), ("resend", "POST"))
    },
    "api:cabinet-invoice": ("GET", lambda a: [a["invoice"].pk]),
    "api:cabinet-invoice-pdf": ("GET", lambda a: [a["invoice"].pk]),
    "api:cabinet-invoice-facturx": ("GET", lambda a: [a["invoice"].pk]),
    "api:cabinet-invoice-ubl": ("GET", lambda a: [a["invoice"].pk]),
    **{
        f"cabinet:requisition-{name}": (method, lambda a: [a["requisition"].number])
        for name, method in (
            ("detail", "GET"),
            ("comment", "POST"),
            ("approve", "POST"),
            ("changes", "POST"),
            ("reject", "POST"),
            ("withdraw", "POST"),
            ("resubmit", "POST"),
        )
    },
    **{
        f"cabinet:reservation-{name}": (method, lambda a: [a["reservation"].number])
        for name, method in (
            ("detail", "GET"),
            ("convert", "POST"),
            ("extend", "POST"),
            ("cancel", "POST"),
        )
    },
    **{
        f"api:cabinet-reservation{name}": (
            method,
            lambda a: [a["reservation"].number],
        )
        for name, method in (
            ("", "GET"),
            ("-convert", "POST"),
            ("-extend", "POST"),
            ("-cancel", "POST"),
        )
    },
    "api:cabinet-order": ("GET", lambda a: [a["order"].number]),
    "api:cabinet-list-detail": ("GET", lambda a: [a["list"].pk]),
    "api:cabinet-list-items": ("POST", lambda a: [a["list"].pk]),
    "api:cabinet-list-item": (
        "DELETE",
        lambda a: [a["list"].pk, a["list"].lines.get().pk],
    ),
    "api:cabinet-list-to-basket": ("POST", lambda a: [a["list"].pk]),
    "api:cabinet-document-file": ("GET", lambda a: [f"invoice:{a['invoice'].pk}"]),
    **{
        f"api:cabinet-requisition{name}": (
            method,
            lambda a: [a["requisition"].number],
        )
        for name, method in (
            ("", "GET"),
            ("-approve", "POST"),
            ("-reject", "POST"),
            ("-changes", "POST"),
            ("-comment", "POST"),
        )
    },
}
COLLECTION_URLS = {
    "cabinet:home",
    "cabinet:manager-message",
    "cabinet:order-list",
    "cabinet:basket-add",
    "cabinet:quick-order",
    "cabinet:quick-order-add",
    "cabinet:list-index",
    "cabinet:list-create",
    "cabinet:list-add-items",
    "cabinet:invoice-list",
    "cabinet:invoice-issue-basket",
    "cabinet:statement",
    # The quote of the caller's own basket (tests/documents_pdf/test_views.py).
    "cabinet:basket-quote",
    # The document archive: ids travel in the POST (the test below and
    # tests/documents/test_archive.py).
    "cabinet:documents",
    "cabinet:documents-zip",
    "cabinet:documents-send",
    "cabinet:team",
    "cabinet:team-invite",
    # The company's API tokens (tests/cabinet/test_api_tokens.py).
    "cabinet:api-tokens",
    # The company's webhooks (tests/integrations/test_webhooks.py).
    "cabinet:webhooks",
    # The person's own profile: no object in the URL, the signed-in user only
    # (tests/cabinet/test_profile.py).
    "cabinet:profile",
    "cabinet:profile-password",
    "cabinet:profile-notifications",
    "cabinet:approvals",
    "cabinet:approval-rules",
    # Reservations: the list and create (from the caller's own basket), the
    # company's terms.
    "cabinet:reservations",
    "cabinet:reservation-create",
    "cabinet:reservation-settings",
    "api:cabinet-reservations",
    # Serial numbers: ?order= and ?delivery_note= of another company are a 404
    # (tests/serials/test_pages_and_api.py).
    "cabinet:serials",
    "api:cabinet-orders",
    "api:cabinet-lists",
    "api:cabinet-quick-order-resolve",
    "api:cabinet-basket",
    "api:cabinet-basket-lines",
    "api:cabinet-requisitions",
    "api:cabinet-invoices",
    # The archive and the serials by API: ids in the query, another company's a
    # 404 (tests/cabinet/test_documents_api.py, test_serials_api.py).
    "api:cabinet-documents",
    "api:cabinet-serials",
    "api:cabinet-serials-export",
}


def _names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


# Site URLs open to anyone that take no company object: checked for leaks below.
PUBLIC_URLS = {"health:index", "health:web"}


def test_every_cabinet_url_is_covered():
    names = {
        name
        for name in _names(get_resolver())
        if name.startswith(("cabinet:", "api:cabinet-", "health:"))
    }
    assert names == set(OBJECT_URLS) | COLLECTION_URLS | PUBLIC_URLS


@pytest.fixture
def company_a_objects():
    from tests.invoicing.factories import SellerEntityFactory, invoice_make

    company = CompanyFactory(name="Alpha Secret Works")
    owner = MembershipFactory(company=company, role="admin").user
    product = priced_product(article="ALPHA-ONLY-1")
    order = order_make(
        company=company, user=owner, lines=[(product, 2, "50")], po_number="PO-ALPHA-77"
    )
    seller = SellerEntityFactory()
    invoice = invoice_make(company=company)
    note = DeliveryNote.objects.create(
        order=order, company=company, seller=seller, number=1, year=2026
    )
    plist = PurchaseList.objects.create(
        company=company, name="Alpha monthly", created_by=owner
    )
    PurchaseListLine.objects.create(purchase_list=plist, product=product, quantity=5)
    member = MembershipFactory(company=company, role="buyer")
    invitation = Invitation.objects.create(
        company=company,
        email="alpha.invited@example.com",
        role="buyer",
        key_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    requisition = requisition_make(
        company=company,
        user=member.user,
        product=product,
        address=CompanyAddress.objects.create(
            company=company, recipient="Alpha Stores", line1="1 Alpha St", city="Tula"
        ),
    )
    certificate = ProductCertificate.objects.create(
        product=product, title="Alpha declaration", number="D-1", file="x/c.pdf"
    )
    bundle = DocumentBundle.objects.create(
        company=company, refs=[], expires_at=timezone.now() + timedelta(days=1)
    )
    reservation = reservation_make(membership=member, items=[(product, 1)])
    token = ApiToken.issue(user=owner, company=company, name="Alpha ERP")[0]
    return {
        "token": token,
        "reservation": reservation,
        "certificate": certificate,
        "bundle": bundle,
        "requisition": requisition,
        "member": member,
        "invitation": invitation,
        "order": order,
        "invoice": invoice,
        "note": note,
        "list": plist,
        "product": product,
    }


@pytest.fixture
def intruder_client(client):
    intruder = MembershipFactory(role="admin").user  # every permission, other company
    client.force_login(intruder)
    client.intruder = intruder
    return client


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_company_b_gets_404_for_each_object_of_company_a(
    name, company_a_objects, intruder_client
):
    method, args = OBJECT_URLS[name]
    url = reverse(name, args=args(company_a_objects))
    data = {
        "name": "Stolen",
        "quantity": "1",
        "product": company_a_objects["product"].pk,
    }
    if method == "DELETE":
        response = intruder_client.delete(url)
    else:
        response = (
            intruder_client.get(url)
            if method == "GET"
            else intruder_client.post(url, data)
        )
    assert response.status_code == 404, (name, response.status_code)
    plist = company_a_objects["list"]
    plist.refresh_from_db()
    assert plist.name == "Alpha monthly"
    assert plist.lines.get().quantity == 5
    assert not Basket.objects.filter(
        owner=intruder_client.intruder, lines__isnull=False
    ).exists()
    member, invitation = company_a_objects["member"], company_a_objects["invitation"]
    member.refresh_from_db()
    invitation.refresh_from_db()
    assert (member.role, member.is_active, member.spending_limit) == (
        "buyer",
        True,
        None,
    )
    assert (invitation.key_hash, invitation.revoked_at) == ("a" * 64, None)
    token = company_a_objects["token"]
    token.refresh_from_db()
    assert token.revoked_at is None
    requisition = company_a_objects["requisition"]
    requisition.refresh_from_db()
    assert (requisition.status, requisition.events.count()) == ("pending", 1)
    reservation = company_a_objects["reservation"]
    reservation.refresh_from_db()
    assert (reservation.status, reservation.extended, reservation.order_id) == (
        "active",
        False,
        None,
    )


def test_company_b_pages_and_exports_show_nothing_of_company_a(
    company_a_objects, intruder_client
):
    secrets = (
        "Alpha Secret Works",
        "PO-ALPHA-77",
        "PO-REQ",
        "Alpha monthly",
        company_a_objects["reservation"].number,
        company_a_objects["order"].number,
    )
    for url in (
        reverse("cabinet:home"),
        reverse("cabinet:order-list"),
        reverse("cabinet:order-list") + "?format=csv",
        reverse("cabinet:list-index"),
        reverse("cabinet:invoice-list"),
        reverse("cabinet:documents"),
        reverse("cabinet:serials") + "?format=csv",
        reverse("cabinet:approvals"),
        reverse("cabinet:reservations"),
        reverse("api:cabinet-reservations"),
        reverse("api:cabinet-orders"),
        reverse("api:cabinet-lists"),
        reverse("api:cabinet-basket"),
        reverse("api:cabinet-requisitions"),
        reverse("api:cabinet-documents"),
        reverse("api:cabinet-serials"),
        reverse("api:cabinet-serials-export"),
        *(reverse(name) for name in sorted(PUBLIC_URLS)),
    ):
        response = intruder_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_adding_into_another_companys_list_is_404(company_a_objects, intruder_client):
    response = intruder_client.post(
        reverse("cabinet:list-add-items"),
        {
            "list": company_a_objects["list"].pk,
            "product": company_a_objects["product"].pk,
            "quantity": 3,
        },
    )
    assert response.status_code == 404
    assert company_a_objects["list"].lines.get().quantity == 5


def test_company_a_documents_cannot_be_zipped_or_mailed_by_company_b(
    company_a_objects, intruder_client
):
    invoice = company_a_objects["invoice"]
    for ref in (
        f"invoice:{invoice.pk}",
        f"delivery_note:{company_a_objects['note'].pk}",
        f"certificate:{company_a_objects['certificate'].pk}",
    ):
        zipped = intruder_client.post(reverse("cabinet:documents-zip"), {"doc": ref})
        mailed = intruder_client.post(
            reverse("cabinet:documents-send"),
            {"document": ref, "email": intruder_client.intruder.email},
        )
        assert (zipped.status_code, mailed.status_code) == (404, 404), ref
    assert DocumentBundle.objects.count() == 1  # company A's own only
