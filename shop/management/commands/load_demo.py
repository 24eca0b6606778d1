"""`manage.py load_demo [--products N] [--seed S] [--if-empty]`: the demo storefront's data."""

import time
from random import Random

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import Product
from catalog.pricing.demo import build_demo_prices
from invoicing.demo import build_demo_invoicing
from shop.demo.accounts import build_people
from shop.demo.catalog import build_catalog
from shop.demo.orders import build_demo_orders


class Command(BaseCommand):
    help = "Load a deterministic demo catalog, companies and users."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if products exist."
        )

    def handle(self, *args, products: int, seed: int, if_empty: bool, **options):
        if products < 1 or products > 200_000:
            self.stderr.write("--products must be between 1 and 200000.")
            raise SystemExit(2)
        if Product.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already loaded; nothing to do.")
                return
            self.stderr.write(
                "The catalog is not empty: load the demo into a fresh database."
            )
            raise SystemExit(2)
        started = time.monotonic()
        rng = Random(seed)
        with transaction.atomic():
            companies = build_people(rng=rng)
            catalog = build_catalog(rng=rng, count=products, stdout=self.stdout)
            self._extensions(rng, catalog, companies)
        if "search_index" in get_commands():
            call_command("search_index", "rebuild", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(catalog)} products, {len(companies)} companies "
                f"in {time.monotonic() - started:.1f}s. Logins are in README.md "
                "(password demo12345)."
            )
        )

    def _extensions(self, rng, catalog, companies):
        # Price terms and credit accounts belong to their apps; each builds its part.
        # Orders come last: they need the prices, the seller and the credit accounts.
        build_demo_prices(
            rng=rng, products=catalog, companies=companies, stdout=self.stdout
        )
        build_demo_invoicing(rng=rng, companies=companies, stdout=self.stdout)
        build_demo_orders(rng=rng, companies=companies, stdout=self.stdout)
