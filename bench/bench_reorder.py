"""Reorder of a 200-line order into an empty basket, at today's company prices, on a
catalog of N products (default 100,000): p50/p95 and the number of queries.

Run: DATABASE_URL=postgres://... python -m bench bench_reorder [--products N]
(a migrated database; the data is created inside a transaction and rolled back)."""

import argparse
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.common import Rollback, public_price_list

LINES = 200
SAMPLES = 20
BATCH = 5_000


def _catalog(n: int):
    from catalog.models import Product, ProductClass
    from catalog.partner.models import Partner, StockRecord
    from catalog.pricing.models import PriceList, PriceListItem

    product_class, _ = ProductClass.objects.get_or_create(name="Bench reorder goods")
    products = Product.objects.bulk_create(
        [
            Product(
                title=f"Reorder item {i}",
                slug=f"reorder-{i}",
                article=f"RO-{i:06d}",
                article_normalized=f"ro{i:06d}",
                product_class=product_class,
                structure=Product.STANDALONE,
                vat_rate=Decimal("20"),
                is_public=True,
                min_order_qty=1 + (i % 4 == 0) * 9,
                order_step=1 + (i % 4 == 0) * 9,
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    warehouse = Partner.objects.create(name="Bench reorder warehouse", code="bench-ro")
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=p,
                partner=warehouse,
                partner_sku=p.article,
                num_in_stock=0 if i % 10 == 0 else 500,
                num_allocated=0,
            )
            for i, p in enumerate(products)
        ],
        batch_size=BATCH,
    )
    public = public_price_list()
    wholesale = PriceList.objects.create(
        name="Bench wholesale", code="bench-ro-wholesale", currency=public.currency
    )
    PriceListItem.objects.bulk_create(
        [
            PriceListItem(price_list=plist, product=p, min_quantity=1, price=price)
            for p in products
            for plist, price in (
                (public, Decimal("100.00")),
                (wholesale, Decimal("90")),
            )
        ],
        batch_size=BATCH,
    )
    return products, wholesale


def _order(products, wholesale):
    from accounts.models import Company, Membership, User
    from catalog.models import Lifecycle, Product
    from catalog.pricing.models import CompanyPriceTerms
    from sales.order.models import Line, Order

    company = Company.objects.create(
        name="Bench reorder company",
        legal_name="Bench reorder company LLC",
        tax_id="7707083893",
        status=Company.Status.APPROVED,
    )
    CompanyPriceTerms.objects.create(company=company, price_list=wholesale)
    user = User.objects.create_user(email="bench-reorder@example.com", password="x")
    membership = Membership.objects.create(user=user, company=company, role="buyer")
    chosen = products[:: max(1, len(products) // LINES)][:LINES]
    # A few discontinued lines, as in real life.
    Product.objects.filter(pk__in=[p.pk for p in chosen[::40]]).update(
        lifecycle=Lifecycle.DISCONTINUED
    )
    order = Order.objects.create(
        number="BENCH-RO-1",
        company=company,
        user=user,
        currency="RUB",
        total_excl_tax=Decimal("0"),
        total_incl_tax=Decimal("0"),
        shipping_excl_tax=Decimal("0"),
        shipping_incl_tax=Decimal("0"),
        status="Completed",
        date_placed=timezone.now(),
    )
    Line.objects.bulk_create(
        [
            Line(
                order=order,
                product=p,
                title=p.title,
                partner_sku=p.article,
                quantity=3,
                line_price_excl_tax=Decimal("300"),
                line_price_incl_tax=Decimal("360"),
                line_price_before_discounts_excl_tax=Decimal("300"),
                line_price_before_discounts_incl_tax=Decimal("360"),
                unit_price_excl_tax=Decimal("100"),
                unit_price_incl_tax=Decimal("120"),
                num_allocated=0,
            )
            for p in chosen
        ]
    )
    return company, membership, order


def _reorder_once(company, membership, order):
    from cabinet.orders.selectors import order_for_company
    from cabinet.orders.services import order_reorder
    from catalog.partner.strategy import CompanyPricing
    from sales.basket.models import Basket

    sid = transaction.savepoint()
    try:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            fetched = order_for_company(company=company, number=order.number)
            basket = Basket.objects.create(owner=membership.user)
            basket.strategy = CompanyPricing(company=company)
            report = order_reorder(order=fetched, basket=basket, membership=membership)
        took = time.perf_counter() - started
        return took, len(queries), report
    finally:
        transaction.savepoint_rollback(sid)


def run(argv) -> None:
    parser = argparse.ArgumentParser(prog="bench_reorder")
    parser.add_argument("--products", type=int, default=100_000)
    args, _ = parser.parse_known_args(argv)
    print(f"database: {connection.vendor}, products: {args.products}, lines: {LINES}")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            products, wholesale = _catalog(args.products)
            company, membership, order = _order(products, wholesale)
            print(f"data built in {time.perf_counter() - started:.1f} s")
            samples, report, count = [], None, 0
            for _ in range(SAMPLES):
                took, count, report = _reorder_once(company, membership, order)
                samples.append(took)
            samples.sort()
            p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
            print(
                f"reorder {LINES} lines: p50 {statistics.median(samples) * 1000:.0f} ms"
                f"   p95 {p95 * 1000:.0f} ms   queries {count}   "
                f"added {len(report.added.added)}   not added {len(report.problems)}"
                f"   adjusted {len(report.adjusted)}   out of stock "
                f"{len(report.out_of_stock)}   (n={len(samples)})"
            )
            raise Rollback
    except Rollback:
        pass
