"""`manage.py search_index rebuild|update`: (re)build the search index with a progress bar."""

import sys

from django.core.management.base import BaseCommand

from catalog.cache import catalog_cache_bump
from catalog.models import Product
from search.backends import get_backend


def progress_bar(stream):
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {done}/{total}"
        )
        stream.flush()

    return show


class Command(BaseCommand):
    help = "Rebuild the search index from scratch, or update it for every product."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update"])
        parser.add_argument("--backend", default=None, help="database or elasticsearch")

    def handle(self, *args, action, backend=None, **options):
        search_backend = get_backend(backend)
        show = progress_bar(self.stdout if self.stdout.isatty() else sys.stderr)
        if action == "rebuild":
            count = search_backend.rebuild(progress=show)
        else:
            ids = list(Product.objects.values_list("pk", flat=True))
            count = 0
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                search_backend.index_products(product_ids=chunk)
                count += len(chunk)
                show(count, len(ids))
        catalog_cache_bump()  # pages and listings cached from the old index
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} products."))
