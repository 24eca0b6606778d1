"""Every staff member sees invoices; recording money is finance's: bank payments,
refunds and credit notes need the Finance group (or a superuser)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from invoicing.groups import FINANCE_GROUP, FINANCE_PERMISSIONS
from invoicing.models import Payment
from invoicing.services.payments import bank_payment_record

pytestmark = pytest.mark.django_db


def _attempts(client, company, invoice, payment):
    return {
        "record": client.post(
            f"/dashboard/invoicing/payments/new/?invoice={invoice.pk}",
            {
                "company": company.pk,
                "amount": "5.00",
                "received_on": timezone.localdate().isoformat(),
                "reference": "PP-7",
            },
        ),
        "refund": client.post(
            f"/dashboard/invoicing/payments/{payment.pk}/refund/",
            {"amount": "1.00", "invoice": invoice.pk},
        ),
        "credit": client.post(f"/dashboard/invoicing/{invoice.pk}/credit-note/"),
    }


def _paid_a_little(own, manager):
    return bank_payment_record(
        company=own["company"],
        amount=Decimal("10.00"),
        received_on=timezone.localdate(),
        reference="PP-1",
        recorded_by=manager,
        invoice=own["invoice"],
    )


def test_migrate_creates_the_finance_group_with_its_permissions():
    group = Group.objects.get(name=FINANCE_GROUP)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == set(FINANCE_PERMISSIONS)


def test_an_account_manager_sees_invoices_but_records_no_money(
    manager_client, manager, own
):
    invoice = own["invoice"]
    payment = _paid_a_little(own, manager)
    before = (Payment.objects.count(), invoice.credit_notes.count())

    detail = manager_client.get(f"/dashboard/invoicing/{invoice.pk}/")
    attempts = _attempts(manager_client, own["company"], invoice, payment)

    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'id="payment-form"' not in html
    assert "/refund/" not in html
    assert "/credit-note/" not in html
    assert {k: r.status_code for k, r in attempts.items()} == {
        "record": 403,
        "refund": 403,
        "credit": 403,
    }
    assert (Payment.objects.count(), invoice.credit_notes.count()) == before


def test_finance_records_a_payment_and_a_refund(manager_client, manager, own):
    manager.groups.add(Group.objects.get(name=FINANCE_GROUP))
    invoice = own["invoice"]
    payment = _paid_a_little(own, manager)

    detail = manager_client.get(f"/dashboard/invoicing/{invoice.pk}/")
    assert 'id="payment-form"' in detail.content.decode()
    attempts = _attempts(manager_client, own["company"], invoice, payment)

    assert attempts["record"].status_code == 302
    assert attempts["refund"].status_code == 302
    assert Payment.objects.filter(reference="PP-7", amount=Decimal("5.00")).exists()
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("1.00")
    assert payment.refunds.get().created_by == manager
