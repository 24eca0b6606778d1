"""Approval rules and requisitions: every rule kind, what a requisition freezes, the
buyer → approver → changes → resubmit → approve → order + invoice flow through the
pages, two levels, changed prices, discontinued products, who may do what, bad input,
and the e-mails each step sends."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import ActionRefused, Role
from catalog.models import Lifecycle
from catalog.partner.models import StockRecord
from invoicing.models import Invoice
from sales.basket.models import Basket
from sales.checkout.approvals import (
    Changes,
    PricesChanged,
    requisition_approve,
    requisition_comment,
    requisition_reject,
    requisition_request_changes,
    requisition_resubmit,
    requisition_withdraw,
)
from sales.checkout.models import (
    ApprovalPolicy,
    Requisition,
    RequisitionEvent,
    RequisitionStatus,
)
from sales.checkout.requisitions import approval_queue
from sales.checkout.rules import RequisitionError, approval_verdict, policy_update
from sales.checkout.services import order_place
from sales.order.models import Order, PaymentMethod
from tests.checkout.test_checkout import form_data
from tests.factories import CompanyFactory, MembershipFactory, ProductFactory
from tests.invoicing.factories import (
    VatStrategy,
    basket_make,
    checkout_details,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vat_strategy")]


@pytest.fixture
def membership(buyer):
    return buyer.memberships.get()


@pytest.fixture
def approver(company):
    return MembershipFactory(company=company, role=Role.APPROVER)


@pytest.fixture
def admin(company):
    return MembershipFactory(company=company, role=Role.ADMIN)


def _limits(membership, *, per_order=None, per_month=None):
    membership.spending_limit, membership.monthly_limit = per_order, per_month
    membership.save()


def _submit(membership, stockrecord, quantity=2, **details):
    """Checkout of `quantity` × 1,200.00 incl. VAT by the member."""
    basket = basket_make(user=membership.user, items=[(stockrecord, quantity)])
    return order_place(
        basket_id=basket.pk,
        strategy=VatStrategy(),
        user=membership.user,
        membership=membership,
        details=checkout_details(
            company=membership.company,
            payment_method=PaymentMethod.BANK_TRANSFER,
            **details,
        ),
    )


def _verdict(membership, amount):
    return approval_verdict(
        membership=membership,
        amount=Decimal(amount),
        currency="RUB",
        user=membership.user,
    )


# -- the rules ------------------------------------------------------------------------


def test_no_rule_no_approval(membership):
    assert not _verdict(membership, "1000000.00").needed


def test_above_the_limit_per_order_needs_approval(membership):
    _limits(membership, per_order=Decimal("2399.99"))

    verdict = _verdict(membership, "2400.00")

    assert verdict.levels == 1
    assert [r.rule for r in verdict.reasons] == ["limit_order"]
    assert "above the limit of RUB2,399.99 per order" in (verdict.reasons[0].text)
    assert not _verdict(membership, "2399.99").needed


def test_above_the_monthly_limit_counts_this_months_orders(
    membership, stockrecord, approver, seller
):
    _limits(membership, per_month=Decimal("3000.00"))
    placed = _submit(membership, stockrecord, quantity=2)  # 2,400.00: within
    assert placed.order is not None

    verdict = _verdict(membership, "1200.00")  # 3,600.00 this month

    assert [r.rule for r in verdict.reasons] == ["limit_month"]
    assert "3,600.00" in verdict.reasons[0].text
    Order.objects.update(status="Cancelled")
    assert not _verdict(membership, "1200.00").needed


def test_a_role_that_always_needs_approval(membership, admin):
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[Role.BUYER],
        amount_above=None,
        second_level_above=None,
    )

    assert [r.rule for r in _verdict(membership, "1.00").reasons] == ["role"]
    assert not _verdict(admin, "1.00").needed


def test_a_company_wide_amount_applies_to_every_role(membership, admin):
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[],
        amount_above=Decimal("5000.00"),
        second_level_above=None,
    )

    assert not _verdict(membership, "5000.00").needed
    assert [r.rule for r in _verdict(membership, "5000.01").reasons] == ["amount"]
    assert _verdict(admin, "5000.01").needed


def test_above_the_second_amount_two_approvals(membership, admin):
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[],
        amount_above=Decimal("5000.00"),
        second_level_above=Decimal("20000.00"),
    )

    assert _verdict(membership, "19999.99").levels == 1
    verdict = _verdict(membership, "20000.01")
    assert verdict.levels == 2
    assert [r.rule for r in verdict.reasons] == ["amount", "second_level"]


def test_with_the_limit_rule_off_an_order_above_the_limit_is_refused(membership, admin):
    _limits(membership, per_order=Decimal("100.00"))
    ApprovalPolicy.objects.create(company=membership.company, over_limits=False)

    with pytest.raises(RequisitionError, match="above the limit of RUB100.00"):
        _verdict(membership, "100.01")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"amount_above": Decimal("-1")}, "zero or more"),
        ({"second_level_above": Decimal("NaN")}, "zero or more"),
        (
            {"amount_above": Decimal("500"), "second_level_above": Decimal("500")},
            "must be above",
        ),
        ({"roles": ["director"]}, "roles from the list"),
    ],
)
def test_bad_rules_are_refused_and_nothing_changes(admin, fields, message):
    values = {
        "over_limits": True,
        "roles": [],
        "amount_above": None,
        "second_level_above": None,
        **fields,
    }
    with pytest.raises(RequisitionError, match=message):
        policy_update(membership=admin, **values)
    assert not ApprovalPolicy.objects.exists()


def test_only_an_administrator_sets_the_rules(approver):
    with pytest.raises(ActionRefused) as raised:
        policy_update(
            membership=approver,
            over_limits=True,
            roles=[],
            amount_above=None,
            second_level_above=None,
        )
    assert "does not allow" in str(raised.value)
    assert not ApprovalPolicy.objects.exists()


def test_the_rules_page_rejects_non_numeric_amounts(client, admin):
    client.force_login(admin.user)

    response = client.post(
        "/cabinet/approvals/rules/",
        {"over_limits": "on", "amount_above": "lots", "second_level_above": "-5"},
    )

    assert response.status_code == 400
    assert not ApprovalPolicy.objects.exists()
    saved = client.post(
        "/cabinet/approvals/rules/",
        {"amount_above": "50000", "second_level_above": "200000", "roles": ["buyer"]},
    )
    assert saved.status_code == 302
    policy = ApprovalPolicy.objects.get()
    assert (policy.over_limits, policy.roles) == (False, ["buyer"])
    assert policy.amount_above == Decimal("50000")


# -- what a requisition freezes -----------------------------------------------------------


def test_an_order_that_needs_approval_becomes_a_requisition(
    membership, stockrecord, approver, seller
):
    _limits(membership, per_order=Decimal("1000.00"))

    placed = _submit(membership, stockrecord, quantity=2, po_number="PO-9")

    requisition = placed.requisition
    assert placed.order is None and placed.invoice is None
    assert requisition.status == RequisitionStatus.PENDING
    assert requisition.number.startswith("R-")
    assert (requisition.total_incl_tax, requisition.po_number) == (
        Decimal("2400.00"),
        "PO-9",
    )
    line = requisition.lines.get()
    assert (line.quantity, line.unit_price_incl_tax) == (2, Decimal("1200.00"))
    assert (Order.objects.count(), Invoice.objects.count()) == (0, 0)
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 0
    assert requisition.basket.status == Basket.FROZEN
    assert not Basket.open.filter(owner=membership.user).exists()


def test_without_anyone_to_approve_the_order_is_refused(
    membership, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))

    with pytest.raises(Exception, match="nobody else in your company can approve"):
        _submit(membership, stockrecord)

    assert not Requisition.objects.exists()
    assert Basket.objects.get().status == Basket.OPEN


# -- the whole flow through the pages ----------------------------------------------------


def test_buyer_approver_changes_resubmit_approve_order_and_invoice(
    client,
    buyer,
    membership,
    approver,
    stockrecord,
    seller,
    settings,
    django_capture_on_commit_callbacks,
):
    def post(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    settings.SHOP_BASE_URL = "https://shop.example"
    approver.user.language = "ru"
    approver.user.save()
    _limits(membership, per_order=Decimal("3000.00"))
    basket = basket_make(user=buyer, items=[(stockrecord, 3)])  # 3,600.00
    client.force_login(buyer)

    page = client.get("/checkout/")
    assert "This order needs approval in your company." in page.content.decode()
    assert "Send for approval" in page.content.decode()
    response = post(
        "/checkout/",
        form_data(basket, po_number="PO-1", payment_method=PaymentMethod.BANK_TRANSFER),
    )

    requisition = Requisition.objects.get()
    url = f"/cabinet/approvals/{requisition.number}/"
    assert response["Location"] == url
    assert Order.objects.count() == 0
    sent = mail.outbox[-1]
    assert sent.to == [approver.user.email]
    assert requisition.number in sent.subject
    assert "https://shop.example" + url in sent.body

    # The approver comments, then asks for changes.
    client.force_login(approver.user)
    queue = client.get("/cabinet/approvals/").content.decode()
    assert f"row-{requisition.number}" in queue
    post(url + "comment/", {"text": "Нужно ли столько?"})
    post(url + "changes/", {"text": "Возьмите два, не три."})
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.CHANGES_REQUESTED
    assert mail.outbox[-1].to == [buyer.email]
    assert "Возьмите два" in mail.outbox[-1].body

    # The buyer changes the quantity and sends it again.
    client.force_login(buyer)
    detail = client.get(url).content.decode()
    assert "Возьмите два, не три." in detail and 'id="resubmit-form"' in detail
    line = requisition.basket.lines.get()
    response = post(
        url + "resubmit/",
        {f"qty-{line.pk}": "2", "po_number": "PO-2", "note": "Исправил на два."},
    )
    assert response.status_code == 302
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.PENDING
    assert (requisition.round, requisition.po_number) == (2, "PO-2")
    assert requisition.total_incl_tax == Decimal("2400.00")
    assert requisition.lines.get().quantity == 2

    # The approver approves: the order and its invoice are placed for the buyer.
    client.force_login(approver.user)
    response = post(url + "approve/", {"comment": "Согласовано"}, follow=True)
    assert "order" in response.content.decode().lower()
    requisition.refresh_from_db()
    order = requisition.order
    assert requisition.status == RequisitionStatus.APPROVED
    assert (order.user, order.po_number, order.total_incl_tax) == (
        buyer,
        "PO-2",
        Decimal("2400.00"),
    )
    assert Invoice.objects.get(order=order).total_incl_vat == Decimal("2400.00")
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 2
    kinds = list(requisition.events.values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "comment",
        "changes_requested",
        "resubmitted",
        "approved",
        "ordered",
    ]
    approved_mail = [m for m in mail.outbox if m.to == [buyer.email]][-1]
    assert (
        order.number in approved_mail.body
        or requisition.number in approved_mail.subject
    )


def test_two_approvals_one_of_them_an_administrator(
    membership, approver, admin, stockrecord, seller, company
):
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[],
        amount_above=Decimal("1000.00"),
        second_level_above=Decimal("2000.00"),
    )
    second_approver = MembershipFactory(company=company, role=Role.APPROVER)
    number = _submit(membership, stockrecord).requisition.number

    first = requisition_approve(
        membership=approver, number=number, strategy=VatStrategy()
    )
    assert first.waiting and Order.objects.count() == 0
    with pytest.raises(RequisitionError, match="approved it already"):
        requisition_approve(membership=approver, number=number, strategy=VatStrategy())
    with pytest.raises(RequisitionError, match="must come from an administrator"):
        requisition_approve(
            membership=second_approver, number=number, strategy=VatStrategy()
        )

    final = requisition_approve(membership=admin, number=number, strategy=VatStrategy())

    assert final.order is not None and Order.objects.count() == 1


def test_changed_prices_are_confirmed_by_the_approver(
    membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    StockRecord.objects.filter(pk=stockrecord.pk).update(price=Decimal("1100.00"))

    with pytest.raises(PricesChanged) as changed:
        requisition_approve(membership=approver, number=number, strategy=VatStrategy())
    assert (changed.value.submitted, changed.value.now) == (
        Decimal("2400.00"),
        Decimal("2640.00"),
    )
    assert Order.objects.count() == 0
    with pytest.raises(PricesChanged):
        requisition_approve(
            membership=approver,
            number=number,
            strategy=VatStrategy(),
            confirm_total=Decimal("2400.00"),
        )

    decision = requisition_approve(
        membership=approver,
        number=number,
        strategy=VatStrategy(),
        confirm_total=Decimal("2640.00"),
    )
    assert decision.order.total_incl_tax == Decimal("2640.00")


def test_the_approve_page_shows_the_new_total_to_confirm(
    client, membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    StockRecord.objects.filter(pk=stockrecord.pk).update(price=Decimal("1100.00"))
    client.force_login(approver.user)

    response = client.post(f"/cabinet/approvals/{number}/approve/")

    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="confirm-new-total"' in body and 'value="2640.00"' in body
    assert Order.objects.count() == 0


def test_a_discontinued_product_is_told_with_its_successor(
    membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    successor = ProductFactory(article="NEW-2", title="Новый подшипник")
    product = stockrecord.product
    product.lifecycle, product.successor = Lifecycle.DISCONTINUED, successor
    product.save()

    with pytest.raises(RequisitionError, match="its successor is NEW-2"):
        requisition_approve(membership=approver, number=number, strategy=VatStrategy())

    assert Requisition.objects.get().status == RequisitionStatus.PENDING
    assert Order.objects.count() == 0


# -- who may do what, and bad input -------------------------------------------------------


def test_a_buyer_cannot_approve_their_own_requisition(
    company, stockrecord, seller, approver
):
    own = MembershipFactory(company=company, role=Role.ADMIN)
    policy_update(
        membership=own,
        over_limits=True,
        roles=[],
        amount_above=Decimal("1.00"),
        second_level_above=None,
    )
    number = _submit(own, stockrecord).requisition.number

    with pytest.raises(RequisitionError, match="your own requisition"):
        requisition_approve(membership=own, number=number, strategy=VatStrategy())
    assert Order.objects.count() == 0


def test_an_accountant_cannot_approve(
    company, membership, approver, stockrecord, seller, client
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    accountant = MembershipFactory(company=company, role=Role.ACCOUNTANT)
    client.force_login(accountant.user)

    assert client.get(f"/cabinet/approvals/{number}/").status_code == 404
    assert client.post(f"/cabinet/approvals/{number}/approve/").status_code == 404
    assert Order.objects.count() == 0


def test_another_companys_requisition_is_not_found(
    client, membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    stranger = MembershipFactory(company=CompanyFactory(), role=Role.ADMIN)
    client.force_login(stranger.user)

    for suffix in ("", "approve/", "reject/", "comment/", "withdraw/"):
        method = client.get if not suffix else client.post
        assert method(f"/cabinet/approvals/{number}/{suffix}").status_code == 404
    assert Requisition.objects.get().status == RequisitionStatus.PENDING
    assert RequisitionEvent.objects.count() == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Say why"),
        ("   ", "Say why"),
        ("a\x00b", "not allowed"),
        ("x" * 2001, "under"),
    ],
)
def test_a_rejection_needs_a_readable_reason(
    membership, approver, stockrecord, seller, text, message
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number

    with pytest.raises(RequisitionError, match=message):
        requisition_reject(membership=approver, number=number, reason=text)
    assert Requisition.objects.get().status == RequisitionStatus.PENDING


def test_rejected_and_withdrawn_requisitions_cannot_be_approved(
    membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    first = _submit(membership, stockrecord).requisition.number
    second = _submit(membership, stockrecord).requisition.number
    requisition_reject(membership=approver, number=first, reason="Не в бюджете")
    requisition_withdraw(membership=membership, number=second)

    for number in (first, second):
        with pytest.raises(RequisitionError, match="already"):
            requisition_approve(
                membership=approver, number=number, strategy=VatStrategy()
            )
        with pytest.raises(RequisitionError, match="already"):
            requisition_comment(membership=membership, number=number, text="?")
    assert Order.objects.count() == 0


def test_only_the_buyer_changes_and_only_after_changes_were_asked(
    membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    requisition = _submit(membership, stockrecord).requisition
    line = requisition.basket.lines.get()
    changes = Changes(quantities={line.pk: "1"}, po_number="", comment="")

    with pytest.raises(RequisitionError, match="already awaiting approval"):
        requisition_resubmit(
            membership=membership,
            number=requisition.number,
            strategy=VatStrategy(),
            changes=changes,
        )
    requisition_request_changes(
        membership=approver, number=requisition.number, text="Меньше"
    )
    with pytest.raises(RequisitionError, match="Only the person who sent it"):
        requisition_resubmit(
            membership=approver,
            number=requisition.number,
            strategy=VatStrategy(),
            changes=changes,
        )
    for bad in ("-1", "NaN", "1e9999", "abc"):
        with pytest.raises(RequisitionError):
            requisition_resubmit(
                membership=membership,
                number=requisition.number,
                strategy=VatStrategy(),
                changes=Changes(quantities={line.pk: bad}, po_number="", comment=""),
            )
    with pytest.raises(RequisitionError, match="at least one line"):
        requisition_resubmit(
            membership=membership,
            number=requisition.number,
            strategy=VatStrategy(),
            changes=Changes(quantities={line.pk: "0"}, po_number="", comment=""),
        )
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.CHANGES_REQUESTED
    assert requisition.basket.lines.get().quantity == 2
    assert requisition.lines.get().quantity == 2


def test_a_deactivated_buyers_requisition_cannot_become_an_order(
    membership, approver, stockrecord, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    number = _submit(membership, stockrecord).requisition.number
    membership.is_active = False
    membership.save()

    with pytest.raises(RequisitionError, match="can no longer order"):
        requisition_approve(membership=approver, number=number, strategy=VatStrategy())
    assert Order.objects.count() == 0


def test_a_repeated_checkout_submission_returns_the_same_requisition(
    membership, stockrecord, approver, seller
):
    _limits(membership, per_order=Decimal("1000.00"))
    basket = basket_make(user=membership.user, items=[(stockrecord, 2)])
    details = checkout_details(
        company=membership.company, payment_method=PaymentMethod.BANK_TRANSFER
    )

    def place():
        return order_place(
            basket_id=basket.pk,
            strategy=VatStrategy(),
            user=membership.user,
            membership=membership,
            details=details,
        )

    first, again = place(), place()

    assert first.requisition == again.requisition and not again.created
    assert Requisition.objects.count() == 1


def test_after_a_resubmission_an_earlier_approver_is_asked_again(
    membership, approver, admin, stockrecord, seller
):
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[],
        amount_above=Decimal("1000.00"),
        second_level_above=Decimal("2000.00"),
    )
    requisition = _submit(membership, stockrecord).requisition
    number = requisition.number
    requisition_approve(membership=approver, number=number, strategy=VatStrategy())
    assert not approval_queue(approver).filter(number=number).exists()
    requisition_request_changes(membership=admin, number=number, text="PO, please")
    requisition_resubmit(
        membership=membership,
        number=number,
        strategy=VatStrategy(),
        changes=Changes(quantities={}, po_number="PO-5", comment=""),
    )

    assert list(approval_queue(approver).values_list("number", flat=True)) == [number]
