"""Notifications: every kind's e-mail in English and Russian with its link, the
person's switches, who is never mailed (inactive people, former members), once per
person and event, and the events wired to it: an order placed at checkout, an
invoice issued, an order shipped, invoices overdue."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from oscar.apps.order.processing import EventHandler
from oscar.apps.order.signals import order_placed

from accounts.models import Role
from accounts.notifications import (
    Kind,
    kinds_switchable,
    notifications_switch,
    notify,
    notify_address,
)
from invoicing.models import DeliveryNote, Invoice
from invoicing.receivers import delivery_note_on_shipped
from sales.basket.models import Basket
from sales.checkout.services import order_place
from sales.order.utils import OrderCreator
from tests.cabinet.factories import order_make, priced_product
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from tests.invoicing.factories import (
    CreditAccountFactory,
    SellerEntityFactory,
    VatStrategy,
    checkout_details,
    invoice_make,
    stockrecord_make,
)

pytestmark = pytest.mark.django_db

BASE = settings.SHOP_BASE_URL.rstrip("/")
NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture(autouse=True)
def _no_pdfs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def acme():
    return CompanyFactory(name="Acme & Sons", email="office@acme.example")


def _requisition(company):
    return SimpleNamespace(
        number="R-00017",
        total_incl_tax=Decimal("12350.50"),
        currency="RUB",
        company=company,
        created_by=None,
        status_label="Approved",
    )


def _context(kind, company, user):
    order = order_make(
        company=company,
        user=user,
        lines=[(priced_product(), 3, "100.00")],
        po_number="PO-9",
    )
    if kind in (Kind.ORDER_PLACED, Kind.ORDER_SHIPPED):
        note = DeliveryNote(
            order=order, company=company, seller=SellerEntityFactory(), year=2026
        )
        note.number = 42
        return {"order": order, "note": note, "note_url": f"{BASE}/note.pdf"}
    if kind in (Kind.RESERVATION_EXPIRING, Kind.RESERVATION_EXPIRED):
        SellerEntityFactory()
        reservation = SimpleNamespace(
            number="RS-000007",
            expires_at=timezone.make_aware(datetime(2026, 3, 4, 23, 59, 59)),
            total_incl_tax=Decimal("12350.50"),
            currency="RUB",
            invoice=invoice_make(company=company, amount="12350.50"),
        )
        return {"reservation": reservation}
    if kind in (Kind.INVOICE_ISSUED, Kind.INVOICE_OVERDUE):
        SellerEntityFactory()
        invoice = invoice_make(company=company, amount="12350.50")
        return {"invoice": invoice, "invoices": [invoice], "company": company}
    return {
        "requisition": _requisition(company),
        "actor": "Olga Approver",
        "reason": "Fewer bolts, please",
    }


# kind → language → (in the subject, in the body)
EXPECTED = {
    Kind.ORDER_PLACED: {
        "en": ("is placed (Acme & Sons)", "Anna Reader placed order"),
        "ru": ("оформлен (Acme & Sons)", "оформил"),
    },
    Kind.ORDER_SHIPPED: {
        "en": ("has shipped", "Delivery note DN-2026-00042 (PDF)"),
        "ru": ("отгружен", "Товарная накладная DN-2026-00042 (PDF)"),
    },
    Kind.INVOICE_ISSUED: {
        "en": ("to Acme & Sons: 12,350.50 RUB", "Amount: 12,350.50 RUB incl. VAT"),
        "ru": (
            f"для Acme & Sons: 12{NBSP}350,50 RUB",
            f"Сумма: 12{NBSP}350,50 RUB с НДС",
        ),
    },
    Kind.INVOICE_OVERDUE: {
        "en": ("Overdue invoices of Acme & Sons", "12,350.50 RUB unpaid"),
        "ru": ("Просроченные счета Acme & Sons", f"не оплачено 12{NBSP}350,50 RUB"),
    },
    Kind.APPROVAL_NEEDED: {
        "en": (
            "R-00017 awaits your approval",
            "Olga Approver asks you to approve requisition R-00017",
        ),
        "ru": ("R-00017 ждёт вашего согласования", "Olga Approver просит согласовать"),
    },
    Kind.REQUISITION_APPROVED: {
        "en": ("R-00017 is approved", "Olga Approver approved requisition R-00017"),
        "ru": ("R-00017 согласована", "Olga Approver согласовал(а) заявку R-00017"),
    },
    Kind.REQUISITION_REJECTED: {
        "en": ("R-00017 is rejected", "Reason: Fewer bolts, please"),
        "ru": ("R-00017 отклонена", "Причина: Fewer bolts, please"),
    },
    Kind.CHANGES_REQUESTED: {
        "en": ("Changes requested to requisition R-00017", "What to change: Fewer"),
        "ru": ("Нужны изменения по заявке R-00017", "Что изменить: Fewer"),
    },
    Kind.RESERVATION_EXPIRING: {
        "en": ("Reservation RS-000007 ends tomorrow", "held for you until 03/04/2026"),
        "ru": (
            "Резерв RS-000007 заканчивается завтра",
            "закреплён за вами до 04.03.2026",
        ),
    },
    Kind.RESERVATION_EXPIRED: {
        "en": ("Reservation RS-000007 has expired", "the goods went back to stock"),
        "ru": ("Срок резерва RS-000007 истёк", "товар вернулся в свободный остаток"),
    },
}


def test_every_kind_that_can_be_switched_off_has_its_expectations():
    assert set(EXPECTED) == set(kinds_switchable())


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_kind_is_rendered_in_the_readers_language_with_its_link(
    kind, language, acme, django_capture_on_commit_callbacks
):
    reader = UserFactory(first_name="Anna", last_name="Reader", language=language)
    context = _context(kind, acme, reader)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        keys = notify(
            kind=kind,
            users=[reader],
            context=context,
            path="/cabinet/somewhere/",
            key=f"test:{kind}",
        )

    assert keys == [f"test:{kind}:{reader.pk}"]
    [sent] = mail.outbox
    subject, body = EXPECTED[kind][language]
    assert sent.to == [reader.email]
    assert subject in sent.subject, sent.subject
    assert "\n" not in sent.subject
    assert body in sent.body, sent.body
    assert "Anna Reader" in sent.body
    assert f"{BASE}/cabinet/somewhere/" in sent.body
    assert f"{BASE}/cabinet/profile/" in sent.body  # where to switch it off
    assert "&amp;" not in sent.subject + sent.body  # plain text, not HTML


@pytest.mark.parametrize(
    "language,subject,body",
    [
        ("en", "Acme & Sons invites you to order with them", "invites you to join"),
        ("ru", "Acme & Sons приглашает вас", "приглашает вас в Acme & Sons"),
    ],
)
def test_the_invitation_goes_to_an_address_and_cannot_be_switched_off(
    language, subject, body, acme, django_capture_on_commit_callbacks
):
    invitation = SimpleNamespace(
        company=acme, get_role_display=lambda: str(Role.BUYER.label)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(
            kind=Kind.INVITATION,
            email="new@example.com",
            language=language,
            context={"invitation": invitation, "inviter": "Ivan Admin", "days": 7},
            path="/accounts/invitation/abc/",
            key="test:invitation",
        )

    [sent] = mail.outbox
    assert sent.to == ["new@example.com"]
    assert subject in sent.subject and body in sent.body, (sent.subject, sent.body)
    assert f"{BASE}/accounts/invitation/abc/" in sent.body
    assert "/cabinet/profile/" not in sent.body
    assert Kind.INVITATION not in kinds_switchable()
    with pytest.raises(ValueError):
        notifications_switch(user=UserFactory(), off=[Kind.INVITATION])


def test_a_switched_off_kind_is_not_sent_and_the_others_are(
    acme, django_capture_on_commit_callbacks
):
    reader = UserFactory()
    notifications_switch(user=reader, off=[Kind.ORDER_SHIPPED])
    order = order_make(company=acme, user=reader, lines=[])

    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Kind.ORDER_SHIPPED, Kind.ORDER_PLACED):
            notify(
                kind=kind,
                users=[reader],
                context={"order": order},
                path="/",
                key=f"test:{kind}",
            )

    assert [m.subject for m in mail.outbox] == [
        f"Order {order.number} is placed (Acme & Sons)"
    ]


def test_unknown_kinds_are_refused_and_nothing_changes():
    reader = UserFactory()
    notifications_switch(user=reader, off=[Kind.INVOICE_ISSUED])

    with pytest.raises(ValueError):
        notifications_switch(user=reader, off=[Kind.ORDER_PLACED, "no_such_kind"])

    reader.refresh_from_db()
    assert reader.notifications_off == [Kind.INVOICE_ISSUED]
    with pytest.raises(ValueError):
        notify(kind="no_such_kind", users=[reader], context={}, path="/", key="x")


def test_inactive_people_are_not_mailed_and_each_person_once_per_event(
    acme, django_capture_on_commit_callbacks
):
    active, inactive = UserFactory(), UserFactory(is_active=False)
    order = order_make(company=acme, user=active, lines=[])

    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):  # the same event told twice
            notify(
                kind=Kind.ORDER_PLACED,
                users=[active, inactive, active],
                context={"order": order},
                path="/",
                key=f"order.placed:{order.pk}",
            )

    assert [m.to for m in mail.outbox] == [[active.email]]


def test_an_unknown_language_falls_back_to_the_default(
    acme, django_capture_on_commit_callbacks
):
    reader = UserFactory(language="xx")
    order = order_make(company=acme, user=reader, lines=[])

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.ORDER_PLACED,
            users=[reader],
            context={"order": order},
            path="/",
            key="t",
        )

    assert mail.outbox[0].subject == f"Order {order.number} is placed (Acme & Sons)"


# -- the events ---------------------------------------------------------------


@pytest.fixture
def team(acme):
    manager = StaffFactory(language="ru", first_name="Maria", last_name="Manager")
    acme.account_manager = manager
    acme.save()
    buyer = MembershipFactory(company=acme, role=Role.BUYER).user
    accountant = MembershipFactory(
        company=acme, role=Role.ACCOUNTANT, user=UserFactory(language="ru")
    ).user
    former = MembershipFactory(company=acme, role=Role.ACCOUNTANT, is_active=False)
    return SimpleNamespace(
        manager=manager, buyer=buyer, accountant=accountant, former=former.user
    )


def _place_order(company, buyer):
    SellerEntityFactory()
    CreditAccountFactory(company=company)
    basket = Basket.objects.create(owner=buyer)
    basket.strategy = VatStrategy()
    basket.add_product(stockrecord_make(price="1000.00").product, 2)
    return order_place(
        basket_id=basket.pk,
        strategy=basket.strategy,
        user=buyer,
        membership=buyer.memberships.get(company=company),
        details=checkout_details(company=company, po_number="PO-77"),
    )


def test_an_order_placed_tells_the_buyer_the_manager_and_the_accountants(
    acme, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        placed = _place_order(acme, team.buyer)

    order, invoice = placed.order, placed.invoice
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == sorted(
        [team.buyer.email, team.manager.email, team.accountant.email]
    )
    to_buyer = by_address[team.buyer.email]
    assert to_buyer.subject == f"Order {order.number} is placed (Acme & Sons)"
    assert "PO number: PO-77" in to_buyer.body
    assert "1 line, 2,400.00 RUB incl. VAT" in to_buyer.body
    assert f"{BASE}/cabinet/orders/{order.number}/" in to_buyer.body
    to_manager = by_address[team.manager.email]
    assert to_manager.subject == f"Заказ {order.number} оформлен (Acme & Sons)"
    assert f"{BASE}/dashboard/orders/{order.number}/" in to_manager.body
    to_accountant = by_address[team.accountant.email]
    assert invoice.display_number in to_accountant.subject
    assert "Счёт" in to_accountant.subject
    assert f"{BASE}/cabinet/invoices/" in to_accountant.body


def test_an_order_whose_transaction_fails_tells_nobody(
    acme, team, django_capture_on_commit_callbacks
):
    order = order_make(company=acme, user=team.buyer, lines=[])

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            order_placed.send(sender=OrderCreator, order=order, user=team.buyer)
            raise RuntimeError("the checkout failed after the order was created")

    assert mail.outbox == []


def test_shipping_tells_the_buyer_and_names_the_delivery_note(
    acme, team, django_capture_on_commit_callbacks
):
    SellerEntityFactory(is_default=True)
    order = order_make(
        company=acme, user=team.buyer, lines=[(priced_product(), 1, "10.00")]
    )
    handler = EventHandler(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        handler.handle_order_status_change(order, "Processing")
        handler.handle_order_status_change(order, "Shipped")
    with django_capture_on_commit_callbacks(execute=True):  # told again: no new mail
        delivery_note_on_shipped(
            sender=None, order=order, old_status="Processing", new_status="Shipped"
        )

    note = DeliveryNote.objects.get(order=order)
    [sent] = mail.outbox
    assert sent.to == [team.buyer.email]
    assert sent.subject == f"Order {order.number} has shipped (Acme & Sons)"
    assert f"Delivery note {note.display_number} (PDF):" in sent.body
    assert f"{BASE}/cabinet/invoices/delivery-notes/{note.pk}/pdf/" in sent.body
    assert f"{BASE}/cabinet/orders/{order.number}/" in sent.body


def test_a_former_member_is_not_told_of_the_companys_events(
    acme, team, django_capture_on_commit_callbacks
):
    SellerEntityFactory()
    membership = team.buyer.memberships.get(company=acme)
    membership.is_active = False
    membership.save()
    order = order_make(company=acme, user=team.buyer, lines=[], status="Processing")

    with django_capture_on_commit_callbacks(execute=True):
        invoice_make(company=acme)
        EventHandler(StaffFactory()).handle_order_status_change(order, "Shipped")

    assert [m.to for m in mail.outbox] == [[team.accountant.email]]  # the invoice


def test_overdue_invoices_honour_the_switches_and_fall_back_to_the_company(
    acme, team, django_capture_on_commit_callbacks
):
    SellerEntityFactory()
    late = invoice_make(company=acme)
    Invoice.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    notifications_switch(user=team.manager, off=[Kind.INVOICE_OVERDUE])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_overdue_invoices")

    [sent] = mail.outbox
    assert sent.to == [team.accountant.email]
    assert sent.subject == "Просроченные счета Acme & Sons"
    assert late.display_number in sent.body
    assert f"{BASE}/cabinet/invoices/?status=overdue" in sent.body

    # Without an accountant in the team, the company's own address is told.
    acme.memberships.filter(role=Role.ACCOUNTANT).update(is_active=False)
    again = invoice_make(company=acme)
    Invoice.objects.filter(pk=again.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_overdue_invoices")
    assert [m.to for m in mail.outbox] == [["office@acme.example"]]
