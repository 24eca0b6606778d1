"""`manage.py load_demo [--products N] [--seed S] [--if-empty]`: the demo storefront's data."""

import time
from random import Random

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from catalog.models import Product
from catalog.pricing.demo import build_demo_prices
from invoicing.demo import build_demo_invoicing
from shop.demo.accounts import build_demo_team, build_people
from shop.demo.approvals import build_demo_approvals
from shop.demo.catalog import build_catalog
from shop.demo.certificates import build_demo_certificates
from shop.demo.content import build_demo_content
from shop.demo.funnel import build_demo_funnel
from shop.demo.leads import build_demo_leads
from shop.demo.lists import build_demo_lists
from shop.demo.orders import build_demo_orders
from shop.demo.reservations import build_demo_reservations
from shop.demo.serials import build_demo_serials
from shop.demo.webhooks import build_demo_webhooks


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
        self._run_queue()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(catalog)} products, {len(companies)} companies "
                f"in {time.monotonic() - started:.1f}s. Logins are in README.md "
                "(password demo12345)."
            )
        )

    def _run_queue(self):
        """The demo's orders queued their PDFs and e-mails as background tasks: with
        the database queue, run them now (what `db_worker` would), so the demo
        shows invoices with PDFs without a worker running."""
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            return  # the immediate backend ran them already
        ready = DBTaskResult.objects.ready().count()
        self.stdout.write(f"Running {ready} background tasks (PDFs, e-mails)...")
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            reload=False,
            interval=0,
            queue_name="*",
            verbosity=0,
        )

    def _extensions(self, rng, catalog, companies):
        # Price terms and credit accounts belong to their apps; each builds its part.
        # Orders come last: they need the prices, the seller and the credit accounts.
        build_demo_prices(
            rng=rng, products=catalog, companies=companies, stdout=self.stdout
        )
        build_demo_invoicing(rng=rng, companies=companies, stdout=self.stdout)
        build_demo_orders(rng=rng, companies=companies, stdout=self.stdout)
        # Reservations after the orders: they hold what the orders left in stock.
        build_demo_reservations(companies["zavod"], stdout=self.stdout)
        build_demo_serials(stdout=self.stdout)
        build_demo_lists(rng=rng, companies=companies, stdout=self.stdout)
        # Certificates of products the companies bought (their document archives).
        build_demo_certificates(companies=companies, stdout=self.stdout)
        # The team after the orders: the buyer's spending limits apply from now on.
        build_demo_team(companies["stroymontazh"])
        # Approval rules and requisitions last: they need the team (the approver,
        # the buyer's limits) and the order history above.
        build_demo_approvals(companies["stroymontazh"], stdout=self.stdout)
        # Pages last: the landing pages' catalogue blocks show the demo categories.
        build_demo_content(stdout=self.stdout)
        # Leads after the pages: some came from the landing pages.
        build_demo_leads(companies=companies, stdout=self.stdout)
        # Target actions last: the leads' visits and the companies' first orders.
        build_demo_funnel(rng=rng, stdout=self.stdout)
        # Webhooks last: an endpoint made earlier would be sent the events above.
        build_demo_webhooks(companies["stroymontazh"], stdout=self.stdout)
