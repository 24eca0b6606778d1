"""Public media without a web server (`SHOP_SERVE_MEDIA=1`): image folders only;
invoice PDFs and Wagtail documents are never served from /media/."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from shop.media import media_is_public, public_media


@pytest.mark.parametrize(
    "path,public",
    [
        ("images/products/2026/01/a.jpg", True),
        ("original_images/hero.png", True),
        ("cache/ab/cd/thumb.jpg", True),
        ("categories/bearings.png", True),
        ("image_not_found.jpg", True),
        ("invoicing/invoices/2026/INV-1.pdf", False),
        ("invoicing/delivery_notes/2026/DN-1.pdf", False),
        ("documents/price-list.pdf", False),
        ("images/../invoicing/invoices/2026/INV-1.pdf", False),
        ("images/../../etc/passwd", False),
        ("/invoicing/invoices/2026/INV-1.pdf", False),
        ("imagesX/a.jpg", False),
    ],
)
def test_which_media_is_public(path, public):
    assert media_is_public(path) is public


def test_the_view_serves_an_image_and_refuses_an_invoice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"PNG bytes")
    (tmp_path / "invoicing").mkdir()
    (tmp_path / "invoicing" / "INV-1.pdf").write_bytes(b"%PDF-1.7")
    request = RequestFactory().get("/media/x")

    served = public_media(request, "images/a.png")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"PNG bytes"
    for path in ("invoicing/INV-1.pdf", "images/../invoicing/INV-1.pdf"):
        with pytest.raises(Http404):
            public_media(request, path)
