"""Who may do what, URL by URL: every cabinet, API, checkout, basket and customer
account URL, for every role, against a map of the expected outcome.

GET every URL and POST every URL that takes a POST, as a visitor, a buyer of a
company that is not approved yet, a buyer, an approver, an accountant and the
administrator of an approved company, and a buyer of another company. URL arguments
name the objects of the acting user's own company (for the pending buyer, the pending
company's); the other company's buyer asks for the first company's objects, so
isolation shows as a 404. Each case also checks what changed: basket lines,
invoices, orders and card payments must change exactly as the map says — a refused
request changes none of them.

A URL that is not in the map fails `test_every_url_is_classified`, so a new URL gets
its row of outcomes before it ships.

The data is built once per module inside a transaction that is rolled back at the
end; every case runs in its own savepoint (pytest-django), so the cases cannot see
each other's changes.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone
from oscar.apps.address.models import Country, UserAddress
from oscar.apps.communication.models import Email, Notification
from oscar.apps.customer.models import ProductAlert
from oscar.apps.wishlists.models import WishList
from wagtail.documents.models import Document

from accounts.models import (
    ApiToken,
    Company,
    CompanyAddress,
    Invitation,
    Membership,
    TeamEvent,
)
from accounts.staff import ACCOUNT_MANAGERS
from cabinet.models import DocumentBundle
from catalog.certificates import product_certificate_add
from catalog.partner.strategy import CompanyPricing
from content.leads.groups import MARKETERS_GROUP
from content.leads.selectors import SALES_MANAGERS_GROUP
from content.leads.services import lead_create
from content.models import Lead
from integrations.models import WebhookDelivery, WebhookEndpoint
from invoicing.models import DeliveryNote, Invoice, Payment
from sales.basket.models import Basket, Line
from sales.checkout.models import ApprovalPolicy, Requisition, RequisitionEvent
from sales.order.models import Order, PaymentMethod
from sales.reservations.models import Reservation, ReservationTerms
from tests.cabinet.factories import order_make, priced_product
from tests.checkout.factories import requisition_make
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory, UserFactory
from tests.integrations.factories import webhook_objects
from tests.invoicing.factories import SellerEntityFactory, invoice_make
from tests.invoicing.stripe_server import FakeStripe, serve
from tests.reservations.factories import reservation_make

ROLES = ("visitor", "pending", "buyer", "approver", "accountant", "admin", "other")
NAMESPACES = (
    "cabinet", "api", "checkout", "basket", "customer", "accounts", "health",
    "downloads", "content_funnel", "punchout",
)  # fmt: skip
EFFECTS = (
    "basket",
    "invoice",
    "order",
    "payment",
    "team",
    "requisition",
    "reservation",
    "webhook",
)
LOGIN = "/accounts/login/"
MATRIX_DOCUMENT = "Matrix brochure"


# -- the data -----------------------------------------------------------------


@dataclass
class Objects:
    """One company's objects as URL arguments name them. Oscar's own account pages
    are per user: their objects belong to the company's buyer."""

    company: Company
    order: Order
    invoice: Invoice
    note: DeliveryNote
    plist: object
    address: UserAddress
    wishlist: WishList
    wishlist_other: WishList
    wishlist_line: object
    alert: ProductAlert
    notification: Notification
    email: Email
    member: Membership
    invitation: Invitation
    requisition: Requisition
    reservation: Reservation
    certificate: object
    bundle: object
    token: ApiToken


@dataclass
class World:
    product: object
    spare: object
    users: dict
    sessions: dict
    objects: dict
    lines: dict

    def of(self, role: str) -> Objects:
        return self.objects["pending" if role == "pending" else "A"]


def _company_objects(*, company, buyer, product, seller) -> Objects:
    from cabinet.models import PurchaseList, PurchaseListLine

    order = order_make(
        company=company, user=buyer, lines=[(product, 2, "100.00")], po_number="PO-1"
    )
    # Out of the way of the numbers checkout gives (100000 + basket id).
    order.number = f"M-{order.pk}"
    order.save(update_fields=["number"])
    note = DeliveryNote.objects.create(
        order=order, company=company, seller=seller, number=order.pk, year=2026
    )
    plist = PurchaseList.objects.create(
        company=company, name="Monthly", created_by=buyer
    )
    PurchaseListLine.objects.create(purchase_list=plist, product=product, quantity=3)
    country = Country.objects.get_or_create(
        iso_3166_1_a2="RU", defaults={"name": "Russia", "is_shipping_country": True}
    )[0]
    address = UserAddress.objects.create(
        user=buyer, first_name="Ivan", last_name="Petrov", line1="ul. Lenina, 1",
        line4="Tula", postcode="300000", country=country,
    )  # fmt: skip
    company_address = CompanyAddress.objects.create(
        company=company, recipient="Ivan Petrov", line1="ul. Lenina, 1", city="Tula"
    )
    wishlist = WishList.objects.create(owner=buyer, name="Favourites")
    wishlist_line = wishlist.lines.create(product=product, title=product.title)
    return Objects(
        company=company,
        order=order,
        invoice=invoice_make(company=company),
        note=note,
        plist=plist,
        address=address,
        wishlist=wishlist,
        wishlist_other=WishList.objects.create(owner=buyer, name="Later"),
        wishlist_line=wishlist_line,
        alert=ProductAlert.objects.create(
            user=buyer, product=product, status=ProductAlert.ACTIVE
        ),
        notification=Notification.objects.create(
            recipient=buyer, subject="Hello", body="Hello"
        ),
        email=Email.objects.create(user=buyer, subject="Hello", body_text="Hello"),
        member=buyer.memberships.get(company=company),
        invitation=Invitation.objects.create(
            company=company,
            email=f"invited@{company.pk}.example",
            role="buyer",
            key_hash=f"{company.pk:064d}",
            expires_at=timezone.now() + timedelta(days=7),
        ),
        requisition=requisition_make(
            company=company, user=buyer, product=product, address=company_address
        ),
        reservation=_reservation_of(company=company, buyer=buyer, product=product),
        certificate=_certificate(company=company, product=product),
        bundle=DocumentBundle.objects.create(
            company=company, refs=[], expires_at=timezone.now() + timedelta(days=1)
        ),
        token=ApiToken.issue(user=buyer, company=company, name="Matrix ERP")[0],
    )


def _certificate(*, company, product):
    """A certificate of the product the company bought (a small file of its own)."""
    return product_certificate_add(
        product=product,
        title=f"Declaration {company.pk}",
        number=f"D-{company.pk}",
        valid_until=None,
        file=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
        uploaded_by=None,
    )


def _reservation_of(*, company, buyer, product):
    """An active reservation of 1 unit, made by the company's buyer (a pending
    company's as if made before it waited for approval again)."""
    status = company.status
    Company.objects.filter(pk=company.pk).update(status=Company.Status.APPROVED)
    membership = Membership.objects.select_related("company").get(
        company=company, user=buyer
    )
    reservation = reservation_make(membership=membership, items=[(product, 1)])
    Company.objects.filter(pk=company.pk).update(status=status)
    return reservation


def _basket_with(*, user, company, product, status=Basket.OPEN):
    basket = Basket.objects.create(owner=user, status=status)
    basket.strategy = CompanyPricing(company=company)
    line, _created = basket.add_product(product, 1)
    return line


def _build_world() -> World:
    seller = SellerEntityFactory()
    product = priced_product(article="MATRIX-1")
    spare = priced_product(article="MATRIX-2")
    alpha = CompanyFactory(name="Alpha")
    pending = CompanyFactory(
        name="Pending", status=Company.Status.PENDING, approved_at=None
    )
    beta = CompanyFactory(name="Beta")
    users = {"visitor": None}
    for role in ("buyer", "approver", "accountant", "admin"):
        users[role] = MembershipFactory(company=alpha, role=role).user
    users["pending"] = MembershipFactory(company=pending, role="buyer").user
    users["other"] = MembershipFactory(company=beta, role="buyer").user
    objects = {
        "A": _company_objects(
            company=alpha, buyer=users["buyer"], product=product, seller=seller
        ),
        "pending": _company_objects(
            company=pending, buyer=users["pending"], product=product, seller=seller
        ),
    }
    CompanyAddress.objects.create(
        company=beta, recipient="Olga Sidorova", line1="pr. Mira, 5", city="Kazan"
    )
    for company in (alpha, pending):  # an endpoint and a failed delivery each
        webhook_objects(company)
    # A catalogue of the landing pages (`downloads:document`).
    brochure = Document(title=MATRIX_DOCUMENT)
    brochure.file.save(
        "matrix.pdf", SimpleUploadedFile("m.pdf", b"%PDF-1.4\n"), save=False
    )
    brochure.save()
    sessions, lines = {}, {}
    for role, user in users.items():
        if user is None:
            continue
        company = user.memberships.get().company
        # Something in every basket, so a refused invoice or order is refused for
        # the role, not for an empty basket; a saved line to move back.
        lines[role] = _basket_with(user=user, company=company, product=product)
        _basket_with(user=user, company=company, product=spare, status=Basket.SAVED)
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return World(
        product=product,
        spare=spare,
        users=users,
        sessions=sessions,
        objects=objects,
        lines=lines,
    )


@pytest.fixture(scope="module")
def fake_stripe_module():
    fake = FakeStripe()
    server = serve(fake)
    with override_settings(
        STRIPE_API_BASE=f"http://127.0.0.1:{server.server_address[1]}",
        STRIPE_SECRET_KEY="sk_test_local",
        STRIPE_WEBHOOK_SECRET="whsec_test_secret",
        INVOICING_RENDER_PDF_ON_COMMIT=False,
    ):
        yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, fake_stripe_module, tmp_path_factory):
    """Built once, inside a transaction rolled back after the module's last case."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, VAR_DIR=media / "var"),
    ):
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture
def as_role(world, db, fake_stripe_module):
    # Forget the intents and idempotent replies of earlier cases: their payments
    # were rolled back, and SQLite gives their ids out again.
    fake_stripe_module.__init__()

    def client_for(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "visitor":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        return client

    return client_for


# -- what changed -------------------------------------------------------------


def _snapshot() -> dict:
    return {
        "basket": list(
            Line.objects.order_by("pk").values_list("pk", "basket_id", "quantity")
        ),
        "invoice": Invoice.objects.count(),
        "order": Order.objects.count(),
        "payment": Payment.objects.count(),
        "requisition": (
            list(Requisition.objects.order_by("pk").values_list("pk", "status")),
            RequisitionEvent.objects.count(),
            list(ApprovalPolicy.objects.values_list("pk", "amount_above")),
        ),
        "reservation": (
            list(
                Reservation.objects.order_by("pk").values_list(
                    "pk", "status", "extended"
                )
            ),
            list(ReservationTerms.objects.values_list("pk", "days")),
        ),
        "team": (
            TeamEvent.objects.count(),
            list(
                Invitation.objects.order_by("pk").values_list(
                    "pk", "key_hash", "revoked_at"
                )
            ),
            list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        ),
        "webhook": (
            list(WebhookEndpoint.objects.order_by("pk").values_list("pk", "is_active")),
            list(
                WebhookDelivery.objects.order_by("pk").values_list(
                    "pk", "status", "attempts"
                )
            ),
        ),
    }


def _changed(before: dict, after: dict) -> set[str]:
    return {effect for effect in EFFECTS if before[effect] != after[effect]}


# -- the URLs -----------------------------------------------------------------


def _params(pattern) -> list[str]:
    inner = pattern.pattern
    if hasattr(inner, "converters"):
        return list(inner.converters)
    return list(inner.regex.groupindex)


def _walk(resolver, namespace="", params=()):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern, inner, (*params, *_params(pattern)))
        elif pattern.name:
            yield f"{namespace}{pattern.name}", (*params, *_params(pattern))


def url_keys() -> set[str]:
    """Every named URL of the namespaces under test; a name used by two patterns
    (Oscar's wishlists) is told apart by its arguments: `name[arg,arg]`."""
    found = [
        (name, tuple(sorted(params)))
        for name, params in _walk(get_resolver())
        if name.split(":")[0] in NAMESPACES
    ]
    names = [name for name, _params in found]
    return {
        f"{name}[{','.join(params)}]" if names.count(name) > 1 else name
        for name, params in found
    }


def _name(key: str) -> str:
    return key.split("[")[0]


# URL arguments from the acting role's objects (`o`, see `World.of`).
KWARGS = {
    "cabinet:order-detail": lambda w, o: {"number": o.order.number},
    "cabinet:order-reorder": lambda w, o: {"number": o.order.number},
    "cabinet:invoice-pdf": lambda w, o: {"pk": o.invoice.pk},
    "cabinet:invoice-facturx": lambda w, o: {"pk": o.invoice.pk},
    "cabinet:invoice-ubl": lambda w, o: {"pk": o.invoice.pk},
    "cabinet:invoice-pay": lambda w, o: {"pk": o.invoice.pk},
    "cabinet:invoice-issue-order": lambda w, o: {"order_pk": o.order.pk},
    "cabinet:delivery-note-pdf": lambda w, o: {"pk": o.note.pk},
    "cabinet:upd-pdf": lambda w, o: {"pk": o.note.pk},
    "cabinet:document-certificate": lambda w, o: {"pk": o.certificate.pk},
    "cabinet:document-bundle": lambda w, o: {"pk": o.bundle.pk},
    "cabinet:document-bundle-download": lambda w, o: {"pk": o.bundle.pk},
    "cabinet:list-detail": lambda w, o: {"pk": o.plist.pk},
    "cabinet:team-invitation-resend": lambda w, o: {"pk": o.invitation.pk},
    "cabinet:team-invitation-revoke": lambda w, o: {"pk": o.invitation.pk},
    "cabinet:team-member-role": lambda w, o: {"pk": o.member.pk},
    "cabinet:team-member-limits": lambda w, o: {"pk": o.member.pk},
    "cabinet:team-member-active": lambda w, o: {"pk": o.member.pk},
    "cabinet:api-token-revoke": lambda w, o: {"pk": o.token.pk},
    **{
        f"cabinet:webhook-endpoint-{name}": (
            lambda w, o: {"pk": webhook_objects(o.company)[0].pk}
        )
        for name in ("active", "delete", "test")
    },
    **{
        f"cabinet:webhook-delivery-{name}": (
            lambda w, o: {"pk": webhook_objects(o.company)[1].pk}
        )
        for name in ("detail", "resend")
    },
    **{
        f"cabinet:requisition-{name}": (lambda w, o: {"number": o.requisition.number})
        for name in (
            "detail",
            "comment",
            "approve",
            "changes",
            "reject",
            "withdraw",
            "resubmit",
        )
    },
    "accounts:invitation": lambda w, o: {"token": "made-up:token:signature"},
    "punchout:cxml-start": lambda w, o: {"token": "made-up-start-token"},
    "downloads:document": lambda w, o: {
        "document_id": Document.objects.get(title=MATRIX_DOCUMENT).pk
    },
    "cabinet:list-rename": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-delete": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-update": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-remove": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-add-article": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-order": lambda w, o: {"pk": o.plist.pk},
    "cabinet:list-export": lambda w, o: {"pk": o.plist.pk, "fmt": "csv"},
    "cabinet:list-import": lambda w, o: {"pk": o.plist.pk},
    "api:catalog-product": lambda w, o: {"article": w.product.article},
    "api:cabinet-order": lambda w, o: {"number": o.order.number},
    "api:cabinet-invoice": lambda w, o: {"pk": o.invoice.pk},
    "api:cabinet-invoice-pdf": lambda w, o: {"pk": o.invoice.pk},
    "api:cabinet-invoice-facturx": lambda w, o: {"pk": o.invoice.pk},
    "api:cabinet-invoice-ubl": lambda w, o: {"pk": o.invoice.pk},
    "api:cabinet-list-detail": lambda w, o: {"pk": o.plist.pk},
    "api:cabinet-list-items": lambda w, o: {"pk": o.plist.pk},
    "api:cabinet-list-item": lambda w, o: {
        "pk": o.plist.pk,
        "item_pk": o.plist.lines.get().pk,
    },
    "api:cabinet-list-to-basket": lambda w, o: {"pk": o.plist.pk},
    "api:cabinet-document-file": lambda w, o: {"ref": f"invoice:{o.invoice.pk}"},
    **{
        f"api:cabinet-requisition{name}": (
            lambda w, o: {"number": o.requisition.number}
        )
        for name in ("", "-approve", "-reject", "-changes", "-comment")
    },
    **{
        f"cabinet:reservation-{name}": (lambda w, o: {"number": o.reservation.number})
        for name in ("detail", "convert", "extend", "cancel")
    },
    **{
        f"api:cabinet-reservation{name}": (
            lambda w, o: {"number": o.reservation.number}
        )
        for name in ("", "-convert", "-extend", "-cancel")
    },
    "checkout:thank-you": lambda w, o: {"number": o.order.number},
    "basket:add": lambda w, o: {"pk": w.product.pk},
    "basket:vouchers-remove": lambda w, o: {"pk": 999_999},
    "customer:anon-order-form": lambda w, o: {
        "order_number": o.order.number,
        "hash": o.order.verification_hash(),
    },
    "customer:anon-order": lambda w, o: {
        "order_number": o.order.number,
        "hash": o.order.verification_hash(),
    },
    "customer:order": lambda w, o: {"order_number": o.order.number},
    "customer:order-line": lambda w, o: {
        "order_number": o.order.number,
        "line_id": o.order.lines.get().pk,
    },
    "customer:address-detail": lambda w, o: {"pk": o.address.pk},
    "customer:address-delete": lambda w, o: {"pk": o.address.pk},
    "customer:address-change-status": lambda w, o: {
        "pk": o.address.pk,
        "action": "default_for_shipping",
    },
    "customer:email-detail": lambda w, o: {"email_id": o.email.pk},
    "customer:notifications-detail": lambda w, o: {"pk": o.notification.pk},
    "customer:alert-create": lambda w, o: {"pk": w.spare.pk},
    "customer:alerts-confirm": lambda w, o: {"key": o.alert.key or "none"},
    "customer:alerts-cancel-by-key": lambda w, o: {"key": o.alert.key or "none"},
    "customer:alerts-cancel-by-pk": lambda w, o: {"pk": o.alert.pk},
    "customer:wishlists-add-product[product_pk]": lambda w, o: {
        "product_pk": w.spare.pk
    },
    "customer:wishlists-add-product[key,product_pk]": lambda w, o: {
        "key": o.wishlist.key,
        "product_pk": w.spare.pk,
    },
    "customer:wishlists-create-with-product": lambda w, o: {"product_pk": w.spare.pk},
    "customer:wishlists-detail": lambda w, o: {"key": o.wishlist.key},
    "customer:wishlists-update": lambda w, o: {"key": o.wishlist.key},
    "customer:wishlists-delete": lambda w, o: {"key": o.wishlist.key},
    "customer:wishlists-remove-product[key,line_pk]": lambda w, o: {
        "key": o.wishlist.key,
        "line_pk": o.wishlist_line.pk,
    },
    "customer:wishlists-remove-product[key,product_pk]": lambda w, o: {
        "key": o.wishlist.key,
        "product_pk": w.product.pk,
    },
    "customer:wishlists-move-product-to-another": lambda w, o: {
        "key": o.wishlist.key,
        "line_pk": o.wishlist_line.pk,
        "to_key": o.wishlist_other.key,
    },
}


def _checkout_form(w, o, role):
    line = w.lines[role] if role in w.lines else None
    return {
        "basket_id": line.basket_id if line else 0,
        "address": "new",
        "recipient": "Ivan Petrov",
        "line1": "ul. Lenina, 1",
        "city": "Tula",
        "payer": "own",
        "payment_method": PaymentMethod.BANK_TRANSFER,
        "po_number": "PO-MATRIX",
    }


def _basket_formset(w, o, role):
    line = w.lines.get(role)
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk) if line else "",
        "form-0-quantity": "5",
    }


def _saved_formset(w, o, role):
    saved = Line.objects.filter(
        basket__owner=w.users[role], basket__status=Basket.SAVED
    ).first()
    return {
        "saved-TOTAL_FORMS": "1",
        "saved-INITIAL_FORMS": "1",
        "saved-MIN_NUM_FORMS": "0",
        "saved-MAX_NUM_FORMS": "1000",
        "saved-0-id": str(saved.pk) if saved else "",
        "saved-0-move_to_basket": "on",
    }


def _json(body):
    return lambda w, o, role: ("json", body)


# What a POST sends: a form (a dict) or ("json", body) for the API.
POST_DATA = {
    "downloads:document": lambda w, o, role: {"contact": ""},
    "cabinet:manager-message": lambda w, o, role: {"subject": "Hi", "message": "Hi"},
    "cabinet:basket-add": lambda w, o, role: {
        "product": w.spare.pk,
        "quantity": "2",
    },
    "cabinet:order-reorder": lambda w, o, role: {"scope": "all"},
    "cabinet:quick-order": lambda w, o, role: {"text": "MATRIX-2 4"},
    "cabinet:quick-order-add": lambda w, o, role: {"plan": f"1:{w.spare.pk}:4"},
    "cabinet:list-create": lambda w, o, role: {"name": "New list"},
    "cabinet:team-invite": lambda w, o, role: {
        "email": "colleague@example.com",
        "role": "buyer",
    },
    "cabinet:team-invitation-resend": lambda w, o, role: {},
    "cabinet:team-invitation-revoke": lambda w, o, role: {},
    "cabinet:team-member-role": lambda w, o, role: {"role": "approver"},
    "cabinet:team-member-limits": lambda w, o, role: {
        "per_order": "100",
        "per_month": "",
    },
    "cabinet:team-member-active": lambda w, o, role: {"active": "0"},
    "cabinet:api-tokens": lambda w, o, role: {
        "name": "ERP",
        "member": o.member.pk,
        "scopes": ["order"],
    },
    "cabinet:api-token-revoke": lambda w, o, role: {},
    "punchout:oci": lambda w, o, role: {"HOOK_URL": "", "USERNAME": "x"},
    "punchout:oci-transfer": lambda w, o, role: {},
    "punchout:cxml-setup": lambda w, o, role: {"cXML": "<cXML/>"},
    "punchout:cxml-transfer": lambda w, o, role: {},
    # A public address literal: registering sends nothing, and nothing here commits.
    "cabinet:webhooks": lambda w, o, role: {
        "url": "https://93.184.215.14/hooks/shop",
        "events": ["order.placed"],
    },
    "cabinet:webhook-endpoint-active": lambda w, o, role: {"active": "0"},
    "cabinet:webhook-endpoint-delete": lambda w, o, role: {},
    "cabinet:webhook-endpoint-test": lambda w, o, role: {},
    "cabinet:webhook-delivery-resend": lambda w, o, role: {},
    "cabinet:profile": lambda w, o, role: {
        "first_name": "Ivan",
        "last_name": "Petrov",
        "phone": "",
        "language": "en",
    },
    "cabinet:profile-password": lambda w, o, role: {
        "old_password": "s3cret-pass!",
        "new_password1": "Tula-bearings-2026",
        "new_password2": "Tula-bearings-2026",
    },
    "cabinet:profile-notifications": lambda w, o, role: {"on": ["order_placed"]},
    "cabinet:approval-rules": lambda w, o, role: {"amount_above": "1000"},
    "cabinet:requisition-comment": lambda w, o, role: {"text": "Why so many?"},
    "cabinet:requisition-approve": lambda w, o, role: {"comment": "Fine"},
    "cabinet:requisition-changes": lambda w, o, role: {"text": "Take fewer"},
    "cabinet:requisition-reject": lambda w, o, role: {"reason": "Not this month"},
    "cabinet:requisition-withdraw": lambda w, o, role: {},
    "cabinet:requisition-resubmit": lambda w, o, role: {"po_number": "PO-NEW"},
    "cabinet:list-add-items": lambda w, o, role: {
        "list": o.plist.pk,
        "product": w.spare.pk,
        "quantity": "2",
    },
    "cabinet:list-rename": lambda w, o, role: {"name": "Renamed"},
    "cabinet:list-delete": lambda w, o, role: {},
    "cabinet:list-update": lambda w, o, role: {},
    "cabinet:list-remove": lambda w, o, role: {},
    "cabinet:list-add-article": lambda w, o, role: {
        "article": "MATRIX-2",
        "quantity": "1",
    },
    "cabinet:list-order": lambda w, o, role: {},
    "cabinet:list-import": lambda w, o, role: {
        "file": SimpleUploadedFile("list.csv", b"article;quantity\nMATRIX-2;3\n")
    },
    "cabinet:invoice-pay": lambda w, o, role: {"payment_method": "pm_card_visa"},
    "cabinet:invoice-issue-basket": lambda w, o, role: {},
    "cabinet:reservation-create": lambda w, o, role: {},
    "cabinet:reservation-settings": lambda w, o, role: {"days": "5"},
    "cabinet:reservation-convert": lambda w, o, role: {},
    "cabinet:reservation-extend": lambda w, o, role: {},
    "cabinet:reservation-cancel": lambda w, o, role: {},
    "api:cabinet-reservations": _json(b"{}"),
    "api:cabinet-reservation-convert": _json(b"{}"),
    "api:cabinet-reservation-extend": _json(b"{}"),
    "api:cabinet-reservation-cancel": _json(b"{}"),
    "cabinet:invoice-issue-order": lambda w, o, role: {},
    "cabinet:documents-zip": lambda w, o, role: {"doc": f"invoice:{o.invoice.pk}"},
    "cabinet:documents-send": lambda w, o, role: {
        "document": f"invoice:{o.invoice.pk}",
        "email": w.users["buyer"].email,
    },
    "api:lookup": _json(b'{"numbers": ["MATRIX-1"]}'),
    "api:catalog-availability": _json(b'{"items": [{"article": "MATRIX-1"}]}'),
    "api:catalog-prices": _json(b'{"items": [{"article": "MATRIX-1", "quantity": 2}]}'),
    "api:serials": lambda w, o, role: (
        "json",
        json.dumps(
            {"order": o.order.number, "lines": [{"article": "MATRIX-1", "serial": "S"}]}
        ).encode(),
    ),
    "api:cabinet-requisition-approve": _json(b'{"comment": "Fine"}'),
    "api:cabinet-requisition-reject": _json(b'{"reason": "Not this month"}'),
    "api:cabinet-requisition-changes": _json(b'{"text": "Take fewer"}'),
    "api:cabinet-requisition-comment": _json(b'{"text": "Why so many?"}'),
    "api:cabinet-quick-order-resolve": _json(b'{"lines": "MATRIX-2 4"}'),
    "api:cabinet-lists": _json(b'{"name": "API list"}'),
    "api:cabinet-list-items": _json(b'{"items": [{"article": "MATRIX-2"}]}'),
    "api:cabinet-list-to-basket": _json(b"{}"),
    "api:cabinet-basket-lines": lambda w, o, role: (
        "json",
        json.dumps({"items": [{"product": w.product.pk, "quantity": 2}]}).encode(),
    ),
    "checkout:index": _checkout_form,
    "customer:order": lambda w, o, role: {"action": "reorder"},
    "customer:order-line": lambda w, o, role: {"action": "reorder"},
    "basket:summary": _basket_formset,
    "basket:saved": _saved_formset,
    "basket:add": lambda w, o, role: {"quantity": "1"},
    "basket:vouchers-add": lambda w, o, role: {"code": "NOSUCHCODE"},
    "basket:vouchers-remove": lambda w, o, role: {},
    "basket:clear": lambda w, o, role: {},
    "accounts:switch-company": lambda w, o, role: {"company": o.company.pk},
    "accounts:logout": lambda w, o, role: {},
    "customer:logout": lambda w, o, role: {},
}


def _request(client, world, key, method, role):
    objects = world.of(role)
    kwargs = KWARGS.get(key, lambda w, o: {})(world, objects)
    url = reverse(_name(key), kwargs=kwargs)
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    data = POST_DATA.get(key, lambda w, o, role: {})(world, objects, role)
    if isinstance(data, tuple):
        return client.post(url, data=data[1], content_type="application/json")
    return client.post(url, data)


def _outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(LOGIN):
        return "login"
    return str(response.status_code)


# -- the map ------------------------------------------------------------------

# URL → method → the outcome for each role, in the order of ROLES:
#
#     visitor  pending  buyer  approver  accountant  admin  other
#
# "login": a redirect to the login page; a number: the status code; "+basket",
# "+invoice", "+order", "+payment": what the request changes (nothing else may
# change). "pending" is a buyer of a company not approved yet; "other" a buyer of
# another company, asking for the first company's objects.
MAP = {
    # Our account pages (before Oscar's): login, registration, company switch.
    "accounts:login": {"GET": "200 302 302 302 302 302 302"},
    "accounts:register": {"GET": "200 302 302 302 302 302 302"},
    "accounts:register-done": {"GET": "login 200 200 200 200 200 200"},
    # Signing out takes a POST; a GET asks (a visitor is sent home). Oscar's
    # `customer:logout` names the same path, ours.
    "accounts:logout": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 302 302 302 302 302 302",
    },
    "accounts:switch-company": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 302",
    },
    # An invitation link: a made-up token is explained, for everyone (the real
    # flows: tests/cabinet/test_team.py).
    "accounts:invitation": {"GET": "410 410 410 410 410 410 410"},
    # A counted download: a link without its page's token is gated, so everyone
    # gets the short form; an empty form is shown again (tests/content/).
    "downloads:document": {
        "GET": "200 200 200 200 200 200 200",
        "POST": "200 200 200 200 200 200 200",
    },
    # The funnel report (Wagtail admin): nobody of a customer's roles opens the
    # admin — Wagtail sends them to its login; staff: tests/content/test_funnel.py.
    "content_funnel:report": {"GET": "302 302 302 302 302 302 302"},
    # Load balancers' probe: anyone may read it (it names no host, path or key).
    "health:index": {"GET": "200 200 200 200 200 200 200"},
    "health:web": {"GET": "200 200 200 200 200 200 200"},
    # The JSON API: 401 without a session or token; company data is scoped.
    "api:index": {"GET": "200 200 200 200 200 200 200"},
    # The OpenAPI description and its documentation page: public (tests/api/).
    "api:openapi-json": {"GET": "200 200 200 200 200 200 200"},
    "api:openapi-view": {"GET": "200 200 200 200 200 200 200"},
    "api:search": {"GET": "200 200 200 200 200 200 200"},
    "api:lookup": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "200 200 200 200 200 200 200",
    },
    "api:price-explain": {"GET": "401 403 403 403 403 403 403"},  # staff only
    # The catalogue for anyone, at the caller's prices (tests/api/test_catalog_api.py).
    "api:catalog-product": {"GET": "200 200 200 200 200 200 200"},
    "api:catalog-availability": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "200 200 200 200 200 200 200",
    },
    "api:catalog-prices": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "200 200 200 200 200 200 200",
    },
    "api:serials": {  # staff only (tests/serials/test_pages_and_api.py)
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 403 403 403 403 403",
    },
    "api:cabinet-orders": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-order": {"GET": "401 200 200 200 200 200 404"},
    # Invoices for ERP clients: like the invoices page (tokens need `finance`).
    "api:cabinet-invoices": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-invoice": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-invoice-pdf": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-invoice-facturx": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-invoice-ubl": {"GET": "401 200 200 200 200 200 404"},
    # Lists as on their pages: those who may order edit (a pending company too),
    # filling the basket needs approval; the other company's list is a 404.
    "api:cabinet-lists": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 201 201 201 403 201 201",
    },
    "api:cabinet-list-detail": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-list-items": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 200 200 200 403 200 404",
    },
    "api:cabinet-list-item": {
        "GET": "405 405 405 405 405 405 405",
        "DELETE": "401 204 204 204 403 204 404",
    },
    "api:cabinet-list-to-basket": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 200+basket 200+basket 403 200+basket 404",
    },
    # The archive and the serials as on their pages (tokens: `finance`, `read`).
    "api:cabinet-documents": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-document-file": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-serials": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-serials-export": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-quick-order-resolve": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 200 200 200 200 200 200",
    },
    "api:cabinet-basket": {"GET": "401 200 200 200 200 200 200"},
    # Requisitions, as on the pages (tests/checkout/test_approvals_api.py).
    "api:cabinet-requisitions": {"GET": "401 200 200 200 200 200 200"},
    "api:cabinet-requisition": {"GET": "401 200 200 200 404 200 404"},
    "api:cabinet-requisition-approve": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 403 200+invoice+order+requisition+webhook 404 "
        "200+invoice+order+requisition+webhook 404",
    },
    "api:cabinet-requisition-reject": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 403 200+requisition 404 200+requisition 404",
    },
    "api:cabinet-requisition-changes": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 403 200+requisition 404 200+requisition 404",
    },
    "api:cabinet-requisition-comment": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 200+requisition 200+requisition 200+requisition 404 "
        "200+requisition 404",
    },
    "api:cabinet-basket-lines": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 200+basket 200+basket 403 200+basket 200+basket",
    },
    # Oscar's basket doors: a refusal is a message and a redirect.
    "basket:summary": {
        "GET": "200 200 200 200 200 200 200",
        "POST": "302 302 302+basket 302+basket 302 302+basket 302+basket",
    },
    "basket:add": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "302 302 302+basket 302+basket 302 302+basket 302+basket",
    },
    "basket:saved": {
        "GET": "login 302 302 302 302 302 302",
        "POST": "login 302 302+basket 302+basket 302 302+basket 302+basket",
    },
    "basket:vouchers-add": {
        "GET": "302 302 302 302 302 302 302",
        "POST": "302 302 302 302 302 302 302",
    },
    "basket:vouchers-remove": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "302 302 302 302 302 302 302",
    },
    # Removing lines needs no role: anyone may empty their own basket.
    "basket:clear": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "302 302+basket 302+basket 302+basket 302+basket 302+basket 302+basket",
    },
    # The cabinet.
    "cabinet:home": {"GET": "login 200 200 200 200 200 200"},
    # Reservations: every member sees the company's; buyers and administrators
    # reserve (the prepayment invoice), extend and cancel (a credit note); those
    # who order convert one into an order (its invoice kept: no new invoice); the
    # terms are the administrator's; another company's is a 404.
    "cabinet:reservations": {"GET": "login 200 200 200 200 200 200"},
    "cabinet:reservation-create": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+invoice+reservation 403 403 302+invoice+reservation "
        "302+invoice+reservation",
    },
    "cabinet:reservation-settings": {
        "GET": "login 403 403 403 403 200 403",
        "POST": "login 403 403 403 403 302+reservation 403",
    },
    "cabinet:reservation-detail": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:reservation-convert": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+order+reservation+webhook 302+order+reservation+webhook 403 "
        "302+order+reservation+webhook 404",
    },
    "cabinet:reservation-extend": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+invoice+reservation 403 403 302+invoice+reservation 404",
    },
    "cabinet:reservation-cancel": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+invoice+reservation 403 403 302+invoice+reservation 404",
    },
    "api:cabinet-reservations": {
        "GET": "401 200 200 200 200 200 200",
        "POST": "401 403 201+invoice+reservation 403 403 201+invoice+reservation "
        "201+invoice+reservation",
    },
    "api:cabinet-reservation": {"GET": "401 200 200 200 200 200 404"},
    "api:cabinet-reservation-convert": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 200+order+reservation+webhook 200+order+reservation+webhook 403 "
        "200+order+reservation+webhook 404",
    },
    "api:cabinet-reservation-extend": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 200+invoice+reservation 403 403 200+invoice+reservation 404",
    },
    "api:cabinet-reservation-cancel": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "401 403 200+invoice+reservation 403 403 200+invoice+reservation 404",
    },
    "cabinet:manager-message": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 302",  # no manager: message, redirect
    },
    "cabinet:order-list": {"GET": "login 200 200 200 200 200 200"},
    # Approvals: a requisition is seen by its buyer and by those who approve (an
    # accountant or another company: 404); only approvers decide, never on their
    # own; the buyer comments and withdraws; the rules are the administrator's.
    "cabinet:approvals": {"GET": "login 200 200 200 200 200 200"},
    "cabinet:approval-rules": {
        "GET": "login 403 403 403 403 200 403",
        "POST": "login 403 403 403 403 302+requisition 403",
    },
    "cabinet:requisition-detail": {"GET": "login 200 200 200 404 200 404"},
    "cabinet:requisition-comment": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302+requisition 302+requisition 302+requisition 404 "
        "302+requisition 404",
    },
    "cabinet:requisition-approve": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 302+invoice+order+requisition+webhook 404 "
        "302+invoice+order+requisition+webhook 404",
    },
    "cabinet:requisition-changes": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 302+requisition 404 302+requisition 404",
    },
    "cabinet:requisition-reject": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 302+requisition 404 302+requisition 404",
    },
    "cabinet:requisition-withdraw": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302+requisition 302+requisition 302 404 302 404",
    },
    "cabinet:requisition-resubmit": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302 302 404 302 404",
    },
    "cabinet:order-detail": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:order-reorder": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+basket 302+basket 403 302+basket 404",
    },
    "cabinet:basket-add": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+basket 302+basket 403 302+basket 302+basket",
    },
    "cabinet:quick-order": {
        "GET": "login 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200",
    },
    "cabinet:quick-order-add": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+basket 302+basket 403 302+basket 302+basket",
    },
    # Lists: members who may order edit them (a pending company may prepare its
    # lists), accountants only look; filling the basket from one needs approval.
    "cabinet:list-index": {"GET": "login 200 200 200 200 200 200"},
    "cabinet:list-create": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 302",
    },
    "cabinet:list-add-items": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-detail": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:list-rename": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-delete": {
        "GET": "login 200 200 200 403 200 404",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-update": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-remove": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-add-article": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 302 302 302 403 302 404",
    },
    "cabinet:list-order": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "login 403 302+basket 302+basket 403 302+basket 404",
    },
    "cabinet:list-export": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:list-import": {
        "GET": "login 200 200 200 403 200 404",
        "POST": "login 302 302 302 403 302 404",
    },
    # Invoices: issuing needs an approved company and a role that orders; paying
    # by card is open to every role, also while the company waits for approval.
    "cabinet:invoice-list": {"GET": "login 200 200 200 200 200 200"},
    # Serial numbers: every role sees and exports its own company's.
    "cabinet:serials": {"GET": "login 200 200 200 200 200 200"},
    # The team: its administrators only (also while the company awaits approval:
    # "pending" is a buyer there, refused like every non-admin).
    "cabinet:team": {"GET": "login 403 403 403 403 200 403"},
    "cabinet:team-invite": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:team-invitation-resend": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:team-invitation-revoke": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:team-member-role": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:team-member-limits": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:team-member-active": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    # Punchout (SAP OCI): the entry needs the procurement system's parameters (400
    # without them, for anyone); the transfer needs an open punchout session.
    "punchout:oci": {
        "GET": "400 400 400 400 400 400 400",
        "POST": "400 400 400 400 400 400 400",
    },
    "punchout:oci-transfer": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "403 403 403 403 403 403 403",
    },
    # Punchout (cXML): the setup takes a cXML document as text/xml only (a form is
    # 415, for anyone); a made-up start link opens nothing; the transfer needs an
    # open cXML punchout session.
    "punchout:cxml-setup": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "415 415 415 415 415 415 415",
    },
    "punchout:cxml-start": {"GET": "404 404 404 404 404 404 404"},
    "punchout:cxml-transfer": {
        "GET": "405 405 405 405 405 405 405",
        "POST": "403 403 403 403 403 403 403",
    },
    # API tokens: the company's administrators only.
    "cabinet:api-tokens": {
        "GET": "login 403 403 403 403 200 403",
        "POST": "login 403 403 403 403 302+team 403",
    },
    "cabinet:api-token-revoke": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+team 403",
    },
    # Webhooks: the company's administrators only (a test event and a resend are
    # deliveries queued for the worker).
    "cabinet:webhooks": {
        "GET": "login 403 403 403 403 200 403",
        "POST": "login 403 403 403 403 302+webhook 403",
    },
    "cabinet:webhook-endpoint-active": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+webhook 403",
    },
    "cabinet:webhook-endpoint-delete": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+webhook 403",
    },
    "cabinet:webhook-endpoint-test": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+webhook 403",
    },
    "cabinet:webhook-delivery-detail": {"GET": "login 403 403 403 403 200 403"},
    "cabinet:webhook-delivery-resend": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302+webhook 403",
    },
    # The profile: every signed-in person's own, with or without a company.
    "cabinet:profile": {
        "GET": "login 200 200 200 200 200 200",
        "POST": "login 302 302 302 302 302 302",
    },
    "cabinet:profile-password": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 302",
    },
    "cabinet:profile-notifications": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 302",
    },
    "cabinet:invoice-pdf": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:invoice-facturx": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:invoice-ubl": {"GET": "login 200 200 200 200 200 404"},
    # The card form writes nothing; the POST of a card starts and confirms a payment.
    "cabinet:invoice-pay": {
        "GET": "login 200 200 200 200 200 404",
        "POST": "login 302+payment 302+payment 302+payment 302+payment 302+payment 404",
    },
    "cabinet:invoice-issue-basket": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+invoice 302+invoice 403 302+invoice 302+invoice",
    },
    "cabinet:invoice-issue-order": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 403 302+invoice 302+invoice 403 302+invoice 404",
    },
    "cabinet:delivery-note-pdf": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:upd-pdf": {"GET": "login 200 200 200 200 200 404"},
    # The quote of the caller's own basket: whoever may order (the other
    # company's buyer gets the quote of their own basket).
    "cabinet:basket-quote": {"GET": "login 403 200 200 403 200 200"},
    "cabinet:statement": {"GET": "login 403 403 200 200 200 403"},
    # The document archive: every role reads its company's documents (statements
    # only with view_finance, tests/documents/); a ZIP of an invoice whose PDF is
    # not rendered yet goes to the worker (a redirect to its bundle); mail goes to
    # a member (the pending company's buyer is refused with a message, 302).
    "cabinet:documents": {"GET": "login 200 200 200 200 200 200"},
    "cabinet:documents-zip": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 404",
    },
    "cabinet:documents-send": {
        "GET": "login 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 404",
    },
    "cabinet:document-certificate": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:document-bundle": {"GET": "login 200 200 200 200 200 404"},
    "cabinet:document-bundle-download": {"GET": "login 302 302 302 302 302 404"},
    # Checkout.
    "checkout:index": {
        "GET": "login 403 200 200 403 200 200",
        "POST": "login 403 302+invoice+order+webhook 302+invoice+order+webhook 403 "
        "302+invoice+order+webhook 302+invoice+order",
    },
    "checkout:thank-you": {"GET": "login 200 200 200 200 200 404"},
    # Oscar's customer pages are per user: the company's objects of this kind
    # belong to its buyer, so the other members get 404.
    "customer:login": {"GET": "200 302 302 302 302 302 302"},
    "customer:logout": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 302 302 302 302 302 302",
    },
    "customer:register": {"GET": "200 302 302 302 302 302 302"},
    "customer:summary": {"GET": "login 302 302 302 302 302 302"},
    "customer:change-password": {"GET": "login 200 200 200 200 200 200"},
    # Oscar's consumer pages send a company's member to the cabinet page
    # (`shop.views.oscar_consumer_page`).
    "customer:profile-view": {"GET": "login 302 302 302 302 302 302"},
    "customer:profile-update": {"GET": "login 302 302 302 302 302 302"},
    "customer:profile-delete": {"GET": "login 302 302 302 302 302 302"},
    "customer:order-list": {"GET": "login 302 302 302 302 302 302"},
    # Oscar's own order pages: reading is Oscar's; reorder (POST) and the line page
    # (Oscar ships no template for it) go to the cabinet's order page, which is
    # company-scoped (404 there for a foreign order).
    "customer:order": {
        "GET": "login 200 200 404 404 404 404",
        "POST": "login 302 302 302 302 302 302",
    },
    "customer:order-line": {
        "GET": "login 302 302 302 302 302 302",
        "POST": "login 302 302 302 302 302 302",
    },
    "customer:anon-order-form": {"GET": "200 200 200 200 200 200 200"},
    "customer:anon-order": {"GET": "302 302 302 302 302 302 302"},  # user orders
    "customer:address-list": {"GET": "login 200 200 200 200 200 200"},
    "customer:address-create": {"GET": "login 200 200 200 200 200 200"},
    "customer:address-detail": {"GET": "login 200 200 404 404 404 404"},
    "customer:address-delete": {"GET": "login 200 200 404 404 404 404"},
    "customer:address-change-status": {"GET": "login 302 302 404 404 404 404"},
    "customer:email-list": {"GET": "login 200 200 200 200 200 200"},
    "customer:email-detail": {"GET": "login 200 200 404 404 404 404"},
    "customer:notifications-inbox": {"GET": "login 200 200 200 200 200 200"},
    "customer:notifications-archive": {"GET": "login 200 200 200 200 200 200"},
    "customer:notifications-update": {"GET": "login 405 405 405 405 405 405"},
    "customer:notifications-detail": {"GET": "login 200 200 404 404 404 404"},
    "customer:alerts-list": {"GET": "login 302 302 302 302 302 302"},
    "customer:alert-create": {"GET": "302 302 302 302 302 302 302"},
    "customer:alerts-confirm": {"GET": "404 302 302 302 302 302 302"},
    "customer:alerts-cancel-by-key": {"GET": "404 302 302 302 302 302 302"},
    "customer:alerts-cancel-by-pk": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-list": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-add-product[product_pk]": {
        "GET": "login 302 302 302 302 302 302"
    },
    "customer:wishlists-add-product[key,product_pk]": {
        "GET": "login 302 302 302 302 302 302"
    },
    "customer:wishlists-create": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-create-with-product": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-detail": {"GET": "404 302 302 302 302 302 302"},
    "customer:wishlists-update": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-delete": {"GET": "login 302 302 302 302 302 302"},
    "customer:wishlists-remove-product[key,line_pk]": {
        "GET": "login 302 302 302 302 302 302"
    },
    "customer:wishlists-remove-product[key,product_pk]": {
        "GET": "login 302 302 302 302 302 302"
    },
    "customer:wishlists-move-product-to-another": {
        "GET": "login 302 302 302 302 302 302"
    },
}


def _cases():
    for key in sorted(MAP):
        for method, row in MAP[key].items():
            for role, expected in zip(ROLES, row.split(), strict=True):
                yield pytest.param(
                    key, method, role, expected, id=f"{key}-{method}-{role}"
                )


def test_every_url_is_classified():
    assert url_keys() - set(MAP) == set(), "URLs without a row in MAP"
    assert set(MAP) - url_keys() == set(), "rows in MAP for URLs that do not exist"


def test_the_map_is_well_formed():
    for key, methods in MAP.items():
        assert set(methods) <= {"GET", "POST", "DELETE"}, key
        assert ("POST" in methods) == (key in POST_DATA), key
        for row in methods.values():
            assert len(row.split()) == len(ROLES), key


@pytest.mark.parametrize("key,method,role,expected", _cases())
def test_role_url(world, as_role, key, method, role, expected):
    status, *effects = expected.split("+")
    before = _snapshot()

    response = _request(as_role(role), world, key, method, role)

    assert (_outcome(response), _changed(before, _snapshot())) == (status, set(effects))


# --- The Wagtail admin's lead pages (`content.leads_admin`) -------------------------
# Staff doors outside the storefront's namespaces: a visitor and a buyer are sent to
# the admin's login and change nothing; the lead groups and superusers get in. The
# account manager and the sales manager may change leads; so may the marketer.

LEAD_ROLES = ("visitor", "buyer", "marketer", "sales", "account_manager", "superuser")
LEAD_MAP = {
    # url name: {method: outcomes by LEAD_ROLES}
    "leads:index": {"GET": "302 302 200 200 200 200"},
    "leads:index_results": {"GET": "302 302 200 200 200 200"},
    "leads:edit": {
        "GET": "302 302 200 200 200 200",
        "POST": "302 302 302+lead 302+lead 302+lead 302+lead",
    },
    # Erasing a lead (a person's request) is the superuser's alone; Wagtail sends
    # anyone else back with a "permission denied" message.
    "leads:delete": {"GET": "302 302 302 302 302 200"},
}


def _lead_url_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", []):
            if getattr(inner, "namespace", None) == "leads":
                names |= {f"leads:{p.name}" for p in inner.url_patterns}
    return names


@pytest.fixture
def lead_clients(db):
    users = {
        "buyer": MembershipFactory().user,
        "marketer": UserFactory(),
        "sales": StaffFactory(),
        "account_manager": StaffFactory(),
        "superuser": StaffFactory(is_superuser=True),
    }
    for role, group in (
        ("marketer", MARKETERS_GROUP),
        ("sales", SALES_MANAGERS_GROUP),
        ("account_manager", ACCOUNT_MANAGERS),
    ):
        users[role].groups.add(Group.objects.get(name=group))
    CompanyFactory(account_manager=users["account_manager"])

    def client_for(role):
        client = Client()
        if role in users:
            client.force_login(users[role])
        return client

    return client_for


def _lead_cases():
    for name, methods in sorted(LEAD_MAP.items()):
        for method, row in methods.items():
            for role, expected in zip(LEAD_ROLES, row.split(), strict=True):
                yield pytest.param(
                    name, method, role, expected, id=f"{name}-{method}-{role}"
                )


def test_every_lead_admin_url_is_classified(db):
    assert _lead_url_names() == set(LEAD_MAP)


@pytest.mark.parametrize("name,method,role,expected", _lead_cases())
def test_lead_admin_url(lead_clients, name, method, role, expected):
    lead = lead_create(kind="consultation", email="lead@firm.example")
    status, *effects = expected.split("+")
    args = [lead.pk] if name in ("leads:edit", "leads:delete") else []
    client = lead_clients(role)
    if method == "GET":
        response = client.get(reverse(name, args=args))
    else:
        response = client.post(
            reverse(name, args=args), {"action": "status", "status": "mql"}
        )
    changed = {"lead"} if Lead.objects.get().status != Lead.Status.NEW else set()
    assert (str(response.status_code), changed) == (status, set(effects))
