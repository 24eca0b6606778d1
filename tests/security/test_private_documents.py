"""Documents are never public (issue 21 item 2): invoice and delivery-note PDFs live
in the private storage outside MEDIA_ROOT under random names, no /media/ URL reaches
them, and only the company's own members download them, under their human names."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.test.utils import override_settings

from invoicing.models import DeliveryNote, Invoice
from invoicing.services.delivery import delivery_note_issue
from invoicing.services.documents import delivery_note_pdf_render, invoice_pdf_render
from invoicing.storage import documents_move_to_private
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make

pytestmark = pytest.mark.django_db
RANDOM_NAME = re.compile(r"^(invoices|delivery-notes)/\d{4}/[0-9a-f]{32}\.pdf$")


@pytest.fixture(autouse=True)
def _own_folders(settings, tmp_path):
    """MEDIA_ROOT and the private storage of this test alone; no PDF on commit."""
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOP_PRIVATE_ROOT = tmp_path / "private"
    private = settings.STORAGES["private"]
    options = {**private["OPTIONS"], "location": str(settings.SHOP_PRIVATE_ROOT)}
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": options},
    }


@pytest.fixture
def documents(company, buyer):
    """An invoice and a delivery note of `company`, both rendered."""
    SellerEntityFactory()
    invoice = invoice_pdf_render(invoice=invoice_make(company=company))
    order = order_make(
        company=company,
        user=buyer,
        lines=[(priced_product(article="MTR-1"), 1, "100")],
        status="Shipped",
    )
    note = delivery_note_pdf_render(note=delivery_note_issue(order=order))
    return invoice, note


def _files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_issued_documents_are_stored_privately_under_random_names(settings, documents):
    invoice, note = documents

    assert _files_under(settings.MEDIA_ROOT) == []
    private = Path(settings.SHOP_PRIVATE_ROOT)
    for document in documents:
        assert RANDOM_NAME.match(document.pdf.name), document.pdf.name
        assert (private / document.pdf.name).read_bytes()[:4] == b"%PDF"
        assert (private / document.pdf.name).stat().st_mode & 0o077 == 0
        with pytest.raises(ValueError):
            document.pdf.url  # noqa: B018 (no URL: only the views serve it)
    # Neither the number nor the year's sequence shows in the name.
    assert invoice.display_number not in invoice.pdf.name
    assert invoice.pdf.name != note.pdf.name


@pytest.mark.parametrize("serve_media", [False, True])
def test_no_media_url_reaches_a_document(settings, documents, serve_media):
    """Not the old guessable path, not the stored name under /media/, not even with
    SHOP_SERVE_MEDIA on or DEBUG's static serving of MEDIA_ROOT."""
    invoice, note = documents
    settings.SHOP_SERVE_MEDIA = serve_media
    year = invoice.year
    paths = [
        f"/media/invoicing/invoices/{year}/invoice-{invoice.display_number}.pdf",
        f"/media/{invoice.pdf.name}",
        f"/media/{note.pdf.name}",
        f"/media/private/{invoice.pdf.name}",
    ]
    client = Client()
    for path in paths:
        assert client.get(path).status_code == 404, path
    with override_settings(DEBUG=True):
        from django.views.static import serve

        for name in (invoice.pdf.name, note.pdf.name):
            with pytest.raises(Exception, match="does not exist|404"):
                serve(None, name, document_root=settings.MEDIA_ROOT)


def test_the_companys_member_downloads_with_the_human_file_name(
    buyer_client, documents
):
    invoice, note = documents

    response = buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="invoice-{invoice.display_number}.pdf"'
        in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    response = buyer_client.get(f"/cabinet/invoices/delivery-notes/{note.pk}/pdf/")
    assert response.status_code == 200
    assert f'filename="delivery-note-{note}.pdf"' in response["Content-Disposition"]


def test_another_companys_member_gets_404(documents):
    invoice, note = documents
    stranger = Client()
    stranger.force_login(MembershipFactory(company=CompanyFactory()).user)

    assert stranger.get(f"/cabinet/invoices/{invoice.pk}/pdf/").status_code == 404
    url = f"/cabinet/invoices/delivery-notes/{note.pk}/pdf/"
    assert stranger.get(url).status_code == 404
    assert Client().get(f"/cabinet/invoices/{invoice.pk}/pdf/").status_code in (
        302,
        403,
    )


def test_behind_nginx_the_answer_is_an_internal_redirect_with_no_body(
    settings, buyer_client, documents
):
    invoice, _note = documents
    settings.SHOP_SENDFILE_HEADER = "X-Accel-Redirect"
    settings.SHOP_SENDFILE_PREFIX = "/private-files/"

    response = buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-files/{invoice.pdf.name}"
    assert response.content == b""
    assert f"invoice-{invoice.display_number}.pdf" in response["Content-Disposition"]

    settings.SHOP_SENDFILE_HEADER = "X-Sendfile"
    response = buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pdf/")
    assert response["X-Sendfile"] == str(
        (Path(settings.SHOP_PRIVATE_ROOT) / invoice.pdf.name).resolve()
    )
    assert response.content == b""


def test_names_are_never_repeated_or_derived_from_the_document(company):
    from invoicing.storage import invoice_pdf_name

    names = {invoice_pdf_name(None, "invoice-2026-00001.pdf") for _ in range(200)}
    assert len(names) == 200
    assert all(RANDOM_NAME.match(n) and "00001" not in n for n in names)


def test_the_migration_moves_a_legacy_file_and_tolerates_a_missing_one(
    settings, company
):
    """`documents_move_to_private` (what migration invoicing 0005 runs)."""
    SellerEntityFactory()
    legacy = FileSystemStorage(location=settings.MEDIA_ROOT)
    kept = invoice_make(company=company)
    legacy_name = legacy.save(
        f"invoicing/invoices/2026/invoice-{kept.display_number}.pdf",
        ContentFile(b"%PDF-1.7 legacy"),
    )
    gone = invoice_make(company=company)
    Invoice.objects.filter(pk=kept.pk).update(pdf=legacy_name, pdf_sha256="abc")
    Invoice.objects.filter(pk=gone.pk).update(
        pdf="invoicing/invoices/2026/missing.pdf", pdf_sha256="def"
    )

    assert documents_move_to_private(model=Invoice, kind="invoices") == 1

    kept.refresh_from_db()
    gone.refresh_from_db()
    assert RANDOM_NAME.match(kept.pdf.name)
    assert kept.pdf_sha256 == "abc"  # the same bytes: the hash still holds
    assert kept.pdf.read() == b"%PDF-1.7 legacy"
    assert not legacy.exists(legacy_name)
    assert _files_under(settings.MEDIA_ROOT) == []
    assert (gone.pdf.name, gone.pdf_sha256) == ("", "")  # rendered on demand
    # Idempotent: a second run moves nothing and changes nothing.
    name = kept.pdf.name
    assert documents_move_to_private(model=Invoice, kind="invoices") == 0
    assert documents_move_to_private(model=DeliveryNote, kind="delivery-notes") == 0
    kept.refresh_from_db()
    assert kept.pdf.name == name
    # The emptied one is rendered again when downloaded.
    assert invoice_pdf_render(invoice=gone).pdf.read()[:4] == b"%PDF"
