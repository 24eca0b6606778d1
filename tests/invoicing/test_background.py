"""Invoice PDFs and e-mails as background tasks: enqueued when the invoice commits,
run by the worker — the real `manage.py db_worker` in a subprocess on PostgreSQL,
its task runner in this process on both engines — and each run once however often
it is enqueued. A download that comes before the worker still gets its PDF."""

from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.mail import mail_enqueue
from invoicing.models import Invoice
from invoicing.tasks import invoice_pdf_task
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make
from tests.workers import (
    DATABASE_TASKS,
    needs_shared_database,
    restore_migrated,
    tasks_run,
    worker_env,
    worker_start,
    worker_wait,
)


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.INVOICING_RENDER_PDF_ON_COMMIT = True


def _results(task_path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task_path))


@pytest.mark.django_db
def test_an_issued_invoice_gets_its_pdf_from_the_queue(
    queue, company, seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_make(company=company)
    invoice.refresh_from_db()
    assert not invoice.pdf  # nothing rendered in the request
    (queued,) = _results("invoicing.tasks.invoice_pdf_task")
    assert queued.args_kwargs["kwargs"] == {"invoice_id": invoice.pk}
    invoice_pdf_task.enqueue(invoice_id=invoice.pk)  # the same task again
    assert tasks_run() == 2
    invoice.refresh_from_db()
    assert invoice.pdf.read(4) == b"%PDF"
    returns = sorted(r.return_value for r in _results(queued.task_path))
    assert returns == [False, True]  # rendered once


@pytest.mark.django_db
def test_a_download_before_the_worker_renders_the_pdf_on_demand(
    queue, client, company, seller, django_capture_on_commit_callbacks
):
    buyer = MembershipFactory(company=company, role="buyer").user
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_make(company=company)
    response = client.get(reverse("cabinet:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    sha = Invoice.objects.get(pk=invoice.pk).pdf_sha256
    assert tasks_run() == 1  # the queued task finds the PDF there
    (result,) = _results("invoicing.tasks.invoice_pdf_task")
    assert result.return_value is False
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == sha


@pytest.mark.django_db
def test_a_pdf_that_cannot_be_rendered_now_is_being_prepared(
    queue, client, company, seller
):
    buyer = MembershipFactory(company=company, role="buyer").user
    client.force_login(buyer)
    invoice = invoice_make(company=company)
    with mock.patch(
        "cabinet.invoices.views.invoice_pdf_render", side_effect=OSError("no fonts")
    ):
        response = client.get(reverse("cabinet:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "The document is being prepared" in response.content.decode()
    assert tasks_run() == 1  # the task queued by the page renders it
    assert Invoice.objects.get(pk=invoice.pk).pdf


@pytest.fixture(scope="module")
def restore_after(django_db_setup, django_db_blocker):
    yield
    restore_migrated(django_db_blocker)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_process_stores_the_pdf_and_sends_the_mail_once(
    queue, tmp_path, settings, restore_after
):
    needs_shared_database()
    mail_dir = tmp_path / "mail"
    SellerEntityFactory()
    invoice = invoice_make(company=CompanyFactory())  # committed: the PDF is queued
    invoice_pdf_task.enqueue(invoice_id=invoice.pk)  # and the same task again
    for _ in range(2):
        mail_enqueue(
            key=f"invoice-issued:{invoice.pk}",
            subject=f"Invoice {invoice.display_number}",
            body="Your invoice is attached in the cabinet.",
            to=["buyer@example.com"],
        )
    assert not Invoice.objects.get(pk=invoice.pk).pdf
    env = worker_env(media_root=Path(settings.MEDIA_ROOT), mail_dir=mail_dir)
    output = worker_wait(worker_start(env=env, worker_id="test-worker"))

    invoice.refresh_from_db()
    assert invoice.pdf, output
    assert (Path(settings.SHOP_PRIVATE_ROOT) / invoice.pdf.name).read_bytes()[
        :4
    ] == b"%PDF"
    mails = [p.read_text() for p in mail_dir.iterdir()]
    assert len(mails) == 1, mails
    assert f"Subject: Invoice {invoice.display_number}" in mails[0]
    assert "To: buyer@example.com" in mails[0]
    results = list(DBTaskResult.objects.all())
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 4
    assert {r.worker_ids[0] for r in results} == {"test-worker"}
    by_task = {}
    for r in results:
        by_task.setdefault(r.task_path, []).append(r.return_value)
    assert sorted(by_task["invoicing.tasks.invoice_pdf_task"]) == [False, True]
    assert sorted(by_task["core.mail.mail_send"]) == [False, True]
