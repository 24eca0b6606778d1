"""HTML → PDF with one font configuration and one parsed stylesheet per process, and
a URL fetcher that reads only the app's own static files (and data: URLs)."""

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_ROOT = (
    Path(__file__).resolve().parent.parent / "static" / "invoicing"
).resolve()
BASE_URL = STATIC_ROOT.as_uri() + "/"


class LocalURLFetcher(URLFetcher):
    """Refuses every URL but data: and files under invoicing/static/invoicing/."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(STATIC_ROOT):
                raise ValueError(f"not a document asset: {url}")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def _resources() -> tuple[FontConfiguration, CSS, LocalURLFetcher]:
    font_config = FontConfiguration()
    fetcher = LocalURLFetcher()
    css = CSS(
        filename=str(STATIC_ROOT / "documents.css"),
        base_url=BASE_URL,
        font_config=font_config,
        url_fetcher=fetcher,
    )
    return font_config, css, fetcher


def pdf_render(*, template: str, context: dict, language: str) -> bytes:
    """Render a document template in `language` to PDF bytes."""
    font_config, css, fetcher = _resources()
    with translation.override(language):
        html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=font_config)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
