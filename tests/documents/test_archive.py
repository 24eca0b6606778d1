"""The document archive: one list of a company's documents with filters and number
search, company-scoped; ZIPs streamed or built by the worker; e-mail to members;
certificates attached by staff."""

import io
import os
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cabinet.documents import services
from cabinet.documents.bundles import document_bundles_expire
from cabinet.models import DocumentBundle
from catalog import certificate_files
from catalog.models import ProductCertificate
from invoicing.archive import (
    ArchiveFilters,
    archive_documents,
    archive_documents_by_refs,
)
from tests.cabinet.factories import order_make, priced_product
from tests.documents.factories import (
    PDF,
    certificate,
    delivery_note,
    stored_invoice,
)
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make
from tests.workers import DATABASE_TASKS, tasks_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False
    return tmp_path


@pytest.fixture
def seller(db):
    return SellerEntityFactory()


@pytest.fixture
def accountant(company):
    return MembershipFactory(company=company, role="accountant").user


@pytest.fixture
def accountant_client(client, accountant):
    client.force_login(accountant)
    return client


@pytest.fixture
def archive(company, accountant, seller):
    """Two invoices, a delivery note (and its UPD) of an order, a certificate of a
    product bought; another company's invoice and certificate alongside."""
    product = priced_product(article="CERT-1")
    order = order_make(company=company, user=accountant, lines=[(product, 1, "50")])
    first = stored_invoice(company=company, amount="100.00")
    second = stored_invoice(company=company, amount="2500.00")
    note = delivery_note(order=order, seller=seller, number=7)
    cert = certificate(product=product, number="DECL-77")
    other = CompanyFactory(name="Foreign Works")
    foreign_invoice = stored_invoice(company=other, amount="999.00")
    unbought = certificate(product=priced_product(article="NOBODY"), number="DECL-99")
    return {
        "order": order,
        "first": first,
        "second": second,
        "note": note,
        "certificate": cert,
        "other": other,
        "foreign_invoice": foreign_invoice,
        "unbought": unbought,
    }


def _refs(entries):
    return [entry.ref for entry in entries]


# -- the selector -------------------------------------------------------------


def test_the_archive_lists_every_kind_of_the_company_only(company, archive):
    entries = archive_documents(
        company=company, filters=ArchiveFilters(), with_finance=True
    )
    refs = set(_refs(entries))
    assert refs == {
        f"invoice:{archive['first'].pk}",
        f"invoice:{archive['second'].pk}",
        f"delivery_note:{archive['note'].pk}",
        f"upd:{archive['note'].pk}",
        f"certificate:{archive['certificate'].pk}",
    }
    upd = next(e for e in entries if e.kind == "upd")
    assert upd.number == "UPD-2026-00007"
    assert upd.download_url == reverse("cabinet:upd-pdf", args=[archive["note"].pk])
    assert upd.order_number == archive["order"].number


def test_filters_by_kind_amount_status_order_and_period(company, archive):
    def refs(**filters):
        return set(
            _refs(
                archive_documents(
                    company=company,
                    filters=ArchiveFilters(**filters),
                    with_finance=True,
                )
            )
        )

    first, second = archive["first"], archive["second"]
    note = archive["note"]
    assert refs(kinds=frozenset({"invoice"})) == {
        f"invoice:{first.pk}",
        f"invoice:{second.pk}",
    }
    assert refs(amount_from=Decimal("1000")) == {f"invoice:{second.pk}"}
    assert refs(amount_to=Decimal("100.00"), kinds=frozenset({"invoice"})) == {
        f"invoice:{first.pk}"
    }
    assert refs(status="paid") == set()
    assert refs(status="issued") == {f"invoice:{first.pk}", f"invoice:{second.pk}"}
    assert refs(status="valid") == {f"certificate:{archive['certificate'].pk}"}
    assert refs(order_number=archive["order"].number) == {
        f"delivery_note:{note.pk}",
        f"upd:{note.pk}",
        f"certificate:{archive['certificate'].pk}",
    }
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert refs(date_from=tomorrow) == set()
    assert len(refs(date_to=tomorrow)) == 5


def test_number_search_takes_the_display_number_or_partial_digits(company, archive):
    first = archive["first"]

    def refs(query):
        filters = ArchiveFilters(query=query)
        return set(
            _refs(
                archive_documents(company=company, filters=filters, with_finance=True)
            )
        )

    assert refs(first.display_number) == {f"invoice:{first.pk}"}
    assert refs(f"INV-{first.display_number}") == {f"invoice:{first.pk}"}
    assert refs(f"{first.number:05d}"[-3:]) >= {f"invoice:{first.pk}"}
    assert refs("DN-2026-00007") == {f"delivery_note:{archive['note'].pk}"}
    assert refs("UPD-2026-00007") == {f"upd:{archive['note'].pk}"}
    assert refs("DECL-77") == {f"certificate:{archive['certificate'].pk}"}
    assert refs("31415926") == set()


def test_statements_one_per_past_month_and_quarter_for_finance_only(company, seller):
    today = timezone.localdate()
    past = (today.replace(day=1) - timedelta(days=1)).replace(day=15)
    stored_invoice(company=company, issue_date=past)
    with_finance = archive_documents(
        company=company, filters=ArchiveFilters(), with_finance=True
    )
    month = f"statement:{past.year}-{past.month:02d}"
    assert month in _refs(with_finance)
    without = archive_documents(
        company=company, filters=ArchiveFilters(), with_finance=False
    )
    assert not [e for e in without if e.kind == "statement"]
    with pytest.raises(Exception) as refused:
        archive_documents_by_refs(company=company, refs=[month], with_finance=False)
    assert refused.typename == "Http404"


def test_a_certificate_is_seen_only_by_companies_that_bought_the_product(archive):
    other_entries = archive_documents(
        company=archive["other"], filters=ArchiveFilters(), with_finance=True
    )
    assert _refs(other_entries) == [f"invoice:{archive['foreign_invoice'].pk}"]


def test_the_page_keeps_to_a_query_budget(
    accountant_client, company, archive, django_assert_max_num_queries
):
    accountant_client.get(reverse("cabinet:documents"))  # the basket is made
    with CaptureQueriesContext(connection) as few:
        accountant_client.get(reverse("cabinet:documents"))
    for _n in range(30):
        stored_invoice(company=company)
    # The layout's own (session, basket, menu) plus one query per source.
    with django_assert_max_num_queries(17) as many:
        response = accountant_client.get(reverse("cabinet:documents"))
    assert len(many) == len(few)  # not one more per document
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 35
    assert len(response.context["page_obj"]) == 25


def test_the_page_filters_and_speaks_russian(accountant_client, archive):
    first = archive["first"]
    accountant_client.cookies["django_language"] = "ru"
    response = accountant_client.get(
        reverse("cabinet:documents"), {"q": first.display_number}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert first.display_number in body
    assert archive["second"].display_number not in body
    assert "Документы" in body
    assert "Скачать выбранные одним ZIP" in body
    assert "Foreign Works" not in body


# -- ZIPs ---------------------------------------------------------------------


def _zip(response) -> zipfile.ZipFile:
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (b"".join(response))
    )
    return zipfile.ZipFile(io.BytesIO(content))


def test_a_small_zip_of_stored_documents_is_streamed(accountant_client, archive):
    refs = [
        f"invoice:{archive['first'].pk}",
        f"delivery_note:{archive['note'].pk}",
        f"certificate:{archive['certificate'].pk}",
    ]
    archive["note"].pdf.save("dn.pdf", ContentFile(PDF), save=False)
    archive["note"].save(update_fields=["pdf"])
    response = accountant_client.post(reverse("cabinet:documents-zip"), {"doc": refs})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    names = _zip(response).namelist()
    assert names == [
        f"invoices/invoice-{archive['first'].display_number}.pdf",
        "delivery-notes/delivery-note-DN-2026-00007.pdf",
        f"certificates/certificate-DECL-77-{archive['certificate'].pk}.pdf",
    ]


def test_a_foreign_document_in_a_zip_request_is_404_and_nothing_is_packed(
    accountant_client, archive
):
    refs = [
        f"invoice:{archive['first'].pk}",
        f"invoice:{archive['foreign_invoice'].pk}",
    ]
    response = accountant_client.post(reverse("cabinet:documents-zip"), {"doc": refs})
    assert response.status_code == 404
    response = accountant_client.post(
        reverse("cabinet:documents-zip"),
        {"doc": [f"certificate:{archive['unbought'].pk}"]},
    )
    assert response.status_code == 404
    assert not DocumentBundle.objects.exists()


@pytest.mark.parametrize("key", [str(2**70), "²", "١٢", "-1", "1e3"])
def test_a_ref_that_is_no_database_id_is_404(accountant_client, archive, key):
    response = accountant_client.post(
        reverse("cabinet:documents-zip"), {"doc": [f"invoice:{key}"]}
    )
    assert response.status_code == 404
    assert not DocumentBundle.objects.exists()


def test_a_zip_of_200_documents_is_built_by_the_worker(
    accountant_client, company, archive, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    for _n in range(198):
        stored_invoice(company=company)
    with django_capture_on_commit_callbacks(execute=True):
        response = accountant_client.post(
            reverse("cabinet:documents-zip"),
            {"scope": "all", "kind": "invoice", "next": "/cabinet/documents/"},
        )
    bundle = DocumentBundle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cabinet:document-bundle", args=[bundle.pk])
    page = accountant_client.get(response["Location"])
    assert 'http-equiv="refresh"' in page.content.decode()
    assert bundle.document_count == 200

    assert tasks_run() == 1

    bundle.refresh_from_db()
    assert bundle.status == "ready"
    assert bundle.file.path.startswith(str(settings.VAR_DIR / "private"))
    assert not bundle.file.path.startswith(str(settings.MEDIA_ROOT))
    download = accountant_client.get(
        reverse("cabinet:document-bundle-download", args=[bundle.pk])
    )
    archive_zip = _zip(download)
    names = archive_zip.namelist()
    assert len(names) == len(set(names)) == 200
    assert all(name.startswith("invoices/invoice-") for name in names)
    assert all(archive_zip.read(name).startswith(b"%PDF") for name in names)
    refs = set(DocumentBundle.objects.get().refs)
    assert f"invoice:{archive['foreign_invoice'].pk}" not in refs


def test_the_bundle_renders_missing_pdfs_and_statements(
    accountant_client, company, seller, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    today = timezone.localdate()
    past = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    invoice = invoice_make(company=company)  # no PDF yet
    type(invoice).objects.filter(pk=invoice.pk).update(issue_date=past)
    month = f"{past.year}-{past.month:02d}"
    refs = [f"invoice:{invoice.pk}", f"statement:{month}"]
    with django_capture_on_commit_callbacks(execute=True):
        response = accountant_client.post(
            reverse("cabinet:documents-zip"), {"doc": refs}
        )
    bundle = DocumentBundle.objects.get()
    assert response.status_code == 302
    assert bundle.with_finance

    assert tasks_run() == 1

    bundle.refresh_from_db()
    invoice.refresh_from_db()
    assert bundle.status == "ready"
    assert invoice.pdf  # rendered and stored through invoice_pdf_render
    archive_zip = _zip(
        accountant_client.get(
            reverse("cabinet:document-bundle-download", args=[bundle.pk])
        )
    )
    assert archive_zip.namelist() == [
        f"invoices/invoice-{invoice.display_number}.pdf",
        f"statements/statement-{month}.pdf",
    ]
    assert all(archive_zip.read(n).startswith(b"%PDF") for n in archive_zip.namelist())
    # A buyer of the company may not see statements: neither the bundle.
    buyer = MembershipFactory(company=company, role="buyer").user
    accountant_client.force_login(buyer)
    assert (
        accountant_client.get(
            reverse("cabinet:document-bundle-download", args=[bundle.pk])
        ).status_code
        == 404
    )


def test_the_universal_transfer_document_is_zipped_and_mailed_as_a_pdf(
    accountant_client, company, archive, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    note = archive["note"]
    with django_capture_on_commit_callbacks(execute=True):
        accountant_client.post(
            reverse("cabinet:documents-zip"), {"doc": [f"upd:{note.pk}"]}
        )
    assert tasks_run() == 1
    bundle = DocumentBundle.objects.get()
    archive_zip = _zip(
        accountant_client.get(
            reverse("cabinet:document-bundle-download", args=[bundle.pk])
        )
    )
    (name,) = archive_zip.namelist()
    assert archive_zip.read(name).startswith(b"%PDF")
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(archive_zip.read(name))).pages
    )
    assert archive["order"].number in text

    colleague = MembershipFactory(company=company, role="buyer").user
    with django_capture_on_commit_callbacks(execute=True):
        sent = accountant_client.post(
            reverse("cabinet:documents-send"),
            {"document": f"upd:{note.pk}", "email": colleague.email},
        )
    assert sent.status_code == 302
    assert tasks_run() == 1  # the mail is a task of the queue
    (message,) = mail.outbox
    ((_filename, content, _mimetype),) = message.attachments
    assert content.startswith(b"%PDF")


def test_a_bundle_works_only_for_its_company_and_expires(
    client, accountant_client, company, archive, settings
):
    bundle = DocumentBundle.objects.create(
        company=company,
        refs=[],
        status="ready",
        expires_at=timezone.now() + timedelta(days=1),
    )
    bundle.file.save("b.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    url = reverse("cabinet:document-bundle-download", args=[bundle.pk])
    assert accountant_client.get(url).status_code == 200
    client.force_login(MembershipFactory(company=archive["other"], role="admin").user)
    assert client.get(url).status_code == 404
    path = bundle.file.path
    assert document_bundles_expire(now=timezone.now() + timedelta(days=2)) == 1
    assert not DocumentBundle.objects.exists()
    assert not os.path.exists(path)


def test_more_documents_than_the_bound_are_refused_with_a_message(
    accountant_client, company, archive, monkeypatch
):
    monkeypatch.setattr(services, "ZIP_MAX_DOCUMENTS", 3)
    response = accountant_client.post(
        reverse("cabinet:documents-zip"), {"scope": "all"}, follow=True
    )
    assert response.status_code == 200
    assert "at most 3 documents" in response.content.decode()
    assert not DocumentBundle.objects.exists()


# -- e-mail -------------------------------------------------------------------


def test_a_document_is_sent_to_a_member_with_the_pdf_attached(
    accountant_client, company, accountant, archive, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(company=company, role="buyer").user
    first = archive["first"]
    with django_capture_on_commit_callbacks(execute=True):
        response = accountant_client.post(
            reverse("cabinet:documents-send"),
            {"document": f"invoice:{first.pk}", "email": colleague.email},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    assert message.reply_to == [accountant.email]
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"invoice-{first.display_number}.pdf"
    assert content.startswith(b"%PDF")
    assert mimetype == "application/pdf"


def test_a_free_address_or_a_foreign_document_is_refused(
    accountant_client, archive, django_capture_on_commit_callbacks
):
    other_member = MembershipFactory(company=archive["other"], role="admin").user
    with django_capture_on_commit_callbacks(execute=True):
        free = accountant_client.post(
            reverse("cabinet:documents-send"),
            {"document": f"invoice:{archive['first'].pk}", "email": other_member.email},
            follow=True,
        )
        foreign = accountant_client.post(
            reverse("cabinet:documents-send"),
            {
                "document": f"invoice:{archive['foreign_invoice'].pk}",
                "email": other_member.email,
            },
        )
    assert "only to members of your company" in free.content.decode()
    assert foreign.status_code == 404
    assert mail.outbox == []


# -- roles --------------------------------------------------------------------


def test_a_buyer_sees_the_archive_without_statements(client, company, seller):
    past = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=3)
    stored_invoice(company=company, issue_date=past)
    client.force_login(MembershipFactory(company=company, role="buyer").user)
    response = client.get(reverse("cabinet:documents"))
    assert response.status_code == 200
    kinds = {entry.kind for entry in response.context["page_obj"]}
    assert kinds == {"invoice"}
    month = f"statement:{past.year}-{past.month:02d}"
    refused = client.post(reverse("cabinet:documents-zip"), {"doc": [month]})
    assert refused.status_code == 404


def test_without_a_company_the_page_says_why(client):
    client.force_login(UserFactory())
    response = client.get(reverse("cabinet:documents"))
    assert response.status_code == 403


# -- certificates -------------------------------------------------------------


def _upload(staff_client, product, content, name="c.pdf"):
    return staff_client.post(
        reverse("dashboard-catalog:certificates", args=[product.pk]),
        {
            "title": "Declaration",
            "number": "D-1",
            "valid_until": "2030-01-01",
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_staff_attach_a_pdf_certificate_stored_privately(client, staff_user, settings):
    product = priced_product(article="UPL-1")
    client.force_login(staff_user)
    response = _upload(client, product, PDF)
    assert response.status_code == 302
    stored = ProductCertificate.objects.get()
    assert (stored.content_type, stored.valid_until) == (
        "application/pdf",
        date(2030, 1, 1),
    )
    assert stored.file.path.startswith(str(settings.VAR_DIR / "private"))
    assert not stored.file.path.startswith(str(settings.MEDIA_ROOT))
    page = client.get(reverse("dashboard-catalog:certificates", args=[product.pk]))
    assert "D-1" in page.content.decode()


def test_a_non_pdf_or_an_oversized_file_is_refused(client, staff_user, monkeypatch):
    product = priced_product(article="UPL-2")
    client.force_login(staff_user)
    renamed = _upload(client, product, b"MZ\x90\x00 not a pdf at all", name="x.pdf")
    assert renamed.status_code == 400
    assert "Only PDF, JPEG or PNG" in renamed.content.decode()
    monkeypatch.setattr(certificate_files, "CERTIFICATE_MAX_BYTES", 16)
    big = _upload(client, product, PDF)
    assert big.status_code == 400
    assert "larger than" in big.content.decode()
    assert not ProductCertificate.objects.exists()


def test_only_staff_reach_the_certificates_page(client, buyer):
    product = priced_product(article="UPL-3")
    client.force_login(buyer)
    response = _upload(client, product, PDF)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not ProductCertificate.objects.exists()


def test_a_certificate_file_is_served_to_buyers_of_the_product_only(
    accountant_client, client, archive
):
    url = reverse("cabinet:document-certificate", args=[archive["certificate"].pk])
    response = accountant_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    unbought = reverse("cabinet:document-certificate", args=[archive["unbought"].pk])
    assert accountant_client.get(unbought).status_code == 404
    client.force_login(MembershipFactory(company=archive["other"], role="admin").user)
    assert client.get(url).status_code == 404
