"""Public media for a run without a web server in front (`SHOP_SERVE_MEDIA=1`,
`make serve`): only the folders that hold public images are served.

Everything else under MEDIA_ROOT stays unreachable here: invoice and delivery-note
PDFs (`invoicing/`) are served only by the cabinet's permission-checked views, and
Wagtail documents only through `/documents/` (Wagtail's view, with its privacy rules).
In production the web server serves the same folders (docs/DEPLOY.md).
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_MEDIA = (
    "images/",  # Oscar's product images, Wagtail's renditions
    "original_images/",  # Wagtail's uploaded images
    "categories/",  # Oscar's category images
    "cache/",  # sorl-thumbnail's thumbnails
    "image_not_found.jpg",  # Oscar's placeholder (OSCAR_MISSING_IMAGE_URL)
)


def media_is_public(path: str) -> bool:
    """Whether a media path (as in the URL) is in a public folder, after resolving
    `..` the way the file is looked up."""
    clean = posixpath.normpath(path).lstrip("/")
    return not clean.startswith("..") and clean.startswith(PUBLIC_MEDIA)


def public_media(request, path):
    if not media_is_public(path):
        raise Http404("Not a public file.")
    return serve(request, posixpath.normpath(path).lstrip("/"), settings.MEDIA_ROOT)
