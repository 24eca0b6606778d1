"""The message to the account manager: a line break in the subject cannot add a
header (it answered 500 when the mail library refused it at send time)."""

import pytest
from django.core import mail

from tests.factories import CompanyFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_a_subject_with_a_line_break_cannot_add_a_header(
    client, django_capture_on_commit_callbacks
):
    manager = StaffFactory(email="manager@shop.example")
    company = CompanyFactory(account_manager=manager)
    buyer = MembershipFactory(company=company, role="buyer").user
    client.force_login(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cabinet/manager/message/",
            {"subject": "Prices\r\nBcc: victim@evil.example", "message": "Hello"},
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["manager@shop.example"]
    assert sent.bcc == []
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert sent.subject.endswith("Prices Bcc: victim@evil.example")
    assert "Bcc" not in str(sent.message()).split("\n\n")[0].replace(sent.subject, "")
