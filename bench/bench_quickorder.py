"""Quick order: parse + resolve 100 / 1,000 / 5,000 pasted lines against ~100,000
products with the buyer's prices (found, ambiguous, not found, out of stock,
discontinued, MOQ lines mixed), and the whole results page for 1,000 lines.

Run: DATABASE_URL=postgres://... python -m bench bench_quickorder [--products N]
(a migrated database; the data is created inside a transaction and rolled back)."""

import gc
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.common import Rollback, percentiles, products_option, public_price_list

N_PRODUCTS = 100_000
BATCH = 5_000
SIZES = ((100, 20), (1_000, 10), (5_000, 5))  # (lines, samples)


def _catalogue(n: int):
    from catalog.models import (
        AnalogueGroup,
        CrossReference,
        Lifecycle,
        Manufacturer,
        Product,
        ProductClass,
    )
    from catalog.partner.models import Partner, StockRecord

    product_class, _ = ProductClass.objects.get_or_create(name="Bench quick order")
    maker = Manufacturer.objects.create(name="QO maker", slug="qo-maker")
    groups = AnalogueGroup.objects.bulk_create(
        [AnalogueGroup() for _ in range(n // 10)]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                title=f"Bench quick item {i}",
                slug=f"bench-qo-{i}",
                article=f"QO-{i:06d}",
                article_normalized=f"qo{i:06d}",
                manufacturer_article=f"M{i:06d}",
                manufacturer_article_normalized=f"m{i:06d}",
                product_class=product_class,
                structure=Product.STANDALONE,
                manufacturer=maker,
                vat_rate=Decimal("20"),
                min_order_qty=10 if i % 10 == 3 else 1,
                order_step=5 if i % 10 == 3 else 1,
                lifecycle=Lifecycle.DISCONTINUED if i % 50 == 7 else Lifecycle.ACTIVE,
                analogue_group=groups[i // 10] if i % 10 < 4 else None,
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    for i, product in enumerate(products):
        if product.is_discontinued:
            product.successor = products[i + 1]
    Product.objects.bulk_update(
        [p for p in products if p.successor_id], ["successor"], batch_size=BATCH
    )
    warehouse = Partner.objects.create(
        name="QO warehouse", code="bench-qo", lead_time_min_days=3, lead_time_max_days=5
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                partner=warehouse,
                product=p,
                partner_sku=p.article,
                num_in_stock=0 if i % 10 == 1 else 100,
            )
            for i, p in enumerate(products)
        ],
        batch_size=BATCH,
    )
    CrossReference.objects.bulk_create(
        [
            CrossReference(
                product=p, number=f"X-{i // 2:06d}", number_normalized=f"x{i // 2:06d}"
            )
            for i, p in enumerate(products[: n // 5])
        ],
        batch_size=BATCH,
    )
    return products


def _prices(products, company):
    from catalog.pricing.models import CompanyPriceTerms, PriceList, PriceListItem

    public = public_price_list()
    wholesale = PriceList.objects.create(name="QO wholesale", code="bench-qo-w")
    CompanyPriceTerms.objects.create(company=company, price_list=wholesale)
    items = []
    for i, p in enumerate(products):
        items.append(
            PriceListItem(price_list=public, product=p, price=Decimal(100 + i % 900))
        )
        items.append(
            PriceListItem(price_list=wholesale, product=p, price=Decimal(90 + i % 800))
        )
    PriceListItem.objects.bulk_create(items, batch_size=BATCH)


def _paste(rng, n_lines: int, n_products: int) -> str:
    """A messy paste: mostly articles, some cross-references (two products each),
    manufacturer numbers, typos; tabs, `;`, spaces and decimal commas."""
    lines = []
    for _ in range(n_lines):
        i = rng.randrange(n_products)
        roll = rng.random()
        if roll < 0.05:
            number = f"X-{rng.randrange(n_products // 10):06d}"  # ambiguous
        elif roll < 0.08:
            number = f"QO-{i:06d}Z"  # not found: close numbers suggested
        elif roll < 0.2:
            number = f"M{i:06d}"
        else:
            number = f"qo {i:06d}"
        qty = rng.choice(["1", "2", "10", "2,5", "100"])
        lines.append(
            rng.choice(["{}\t{}", "{};{}", "{} {}", "{}, {}"]).format(number, qty)
        )
    return "\n".join(lines)


def _resolve_time(company, texts) -> tuple[list[float], int, dict]:
    from cabinet.quickorder.parsing import quick_order_parse_text
    from cabinet.quickorder.selectors import quick_order_resolve
    from catalog.partner.strategy import CompanyPricing

    samples, queries, statuses = [], 0, {}
    for text in texts:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            strategy = CompanyPricing(company=company)
            results = quick_order_resolve(
                lines=quick_order_parse_text(text), company=company, strategy=strategy
            )
            samples.append(time.perf_counter() - start)
        queries = max(queries, len(ctx.captured_queries))
        for r in results:
            statuses[r.status] = statuses.get(r.status, 0) + 1
    return samples, queries, statuses


def _page_time(user, texts) -> list[float]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    samples = []
    for text in texts:
        start = time.perf_counter()
        response = client.post("/cabinet/quick-order/", {"lines": text})
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return samples


def _buyer():
    from accounts.models import Company, Membership, Role, User

    company = Company.objects.create(
        name="QO bench buyer",
        legal_name="LLC QO bench",
        country="RU",
        tax_id="7707083893",
        kpp="990099001",
        status=Company.Status.APPROVED,
    )
    user = User.objects.create_user(email="qo-bench@example.com", password="x")
    Membership.objects.create(user=user, company=company, role=Role.BUYER)
    return company, user


def run(argv) -> None:
    n = products_option(argv, N_PRODUCTS)
    rng = random.Random(5)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            start = time.perf_counter()
            company, user = _buyer()
            products = _catalogue(n)
            _prices(products, company)
            del products  # a web process does not hold 100,000 model instances
            gc.collect()
            gc.freeze()  # nor should their garbage collection time the resolves
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"built {n} products in {time.perf_counter() - start:.1f} s")
            for size, count in SIZES:
                texts = [_paste(rng, size, n) for _ in range(count)]
                _resolve_time(company, texts[:1])  # warm-up, not counted
                samples, queries, statuses = _resolve_time(company, texts)
                mix = ", ".join(
                    f"{k} {v // count}" for k, v in sorted(statuses.items())
                )
                print(
                    f"resolve {size:5d} lines  {percentiles(samples, decimals=1)}  queries {queries}"
                )
                print(f"    per paste: {mix}")
            page = _page_time(user, [_paste(rng, 1_000, n) for _ in range(6)])[1:]
            print(f"results page, 1000 lines  {percentiles(page, decimals=1)}")
            raise Rollback  # leave the database as it was
    except Rollback:
        pass


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")
    django.setup()
    run(sys.argv[1:])
