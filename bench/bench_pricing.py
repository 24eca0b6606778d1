"""Pricing a 48-product listing page on 100,000 products × 10 price lists × 1,000
companies: a buyer with contract prices, a buyer on a wholesale list, a visitor.

Run: DATABASE_URL=postgres://... python -m bench bench_pricing [--products N]
(a migrated database; the data is created inside a transaction and rolled back)."""

import random
import time
from decimal import Decimal

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

from bench.common import Rollback, percentiles, products_option, public_price_list

N_PRODUCTS = 100_000
N_LISTS = 10  # the public list + 9 wholesale lists
N_COMPANIES = 1_000
CONTRACT_COMPANIES = 100
CONTRACT_ITEMS = 500
PAGE = 48
SAMPLES = 100
BATCH = 5_000


def _products(n: int):
    from catalog.models import Manufacturer, Product, ProductClass
    from catalog.partner.models import Partner, StockRecord

    product_class, _ = ProductClass.objects.get_or_create(name="Bench pricing goods")
    makers = Manufacturer.objects.bulk_create(
        [
            Manufacturer(name=f"Price maker {i}", slug=f"price-maker-{i}")
            for i in range(20)
        ]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                title=f"Bench priced item {i}",
                slug=f"bench-priced-{i}",
                article=f"BP-{i:06d}",
                article_normalized=f"bp{i:06d}",
                product_class=product_class,
                structure=Product.STANDALONE,
                manufacturer=makers[i % len(makers)],
                vat_rate=Decimal("20"),
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    near, far = (
        Partner.objects.create(
            name=f"Bench WH {c}", code=f"bench-price-{c}", priority=p
        )
        for c, p in (("near", 1), ("far", 2))
    )
    records = [
        StockRecord(partner=near, product=p, partner_sku=p.article, num_in_stock=i % 5)
        for i, p in enumerate(products)
    ] + [
        StockRecord(partner=far, product=p, partner_sku=p.article, num_in_stock=50)
        for p in products[::3]
    ]
    StockRecord.objects.bulk_create(records, batch_size=BATCH)
    return products


def _price_lists(rng, products):
    from catalog.pricing.models import PriceList, PriceListItem

    public = public_price_list()
    lists = [public] + [
        PriceList.objects.create(name=f"Bench wholesale {i}", code=f"bench-w{i}")
        for i in range(1, N_LISTS)
    ]
    base = {p.pk: Decimal(rng.randint(100, 100_000)) / 100 for p in products}
    for n, price_list in enumerate(lists):
        off = Decimal(n) / 100
        items = []
        for p in products:
            items.append(
                PriceListItem(
                    price_list=price_list,
                    product=p,
                    price=(base[p.pk] * (1 - off)).quantize(Decimal("0.01"))
                    or Decimal("0.01"),
                )
            )
            if n and p.pk % 4 == 0:  # breaks from 10 and 50 on a quarter of goods
                for qty, extra in ((10, Decimal("0.03")), (50, Decimal("0.06"))):
                    price = (base[p.pk] * (1 - off - extra)).quantize(Decimal("0.01"))
                    items.append(
                        PriceListItem(
                            price_list=price_list,
                            product=p,
                            min_quantity=qty,
                            price=max(price, Decimal("0.01")),
                        )
                    )
        PriceListItem.objects.bulk_create(items, batch_size=BATCH)
    return lists


def _companies(rng, products, lists):
    from accounts.models import Company
    from catalog.pricing.models import (
        CompanyPriceTerms,
        Contract,
        ContractItem,
        DiscountRule,
    )

    companies = Company.objects.bulk_create(
        [
            Company(
                name=f"Bench buyer {i}",
                legal_name=f"LLC Bench buyer {i}",
                country="RU",
                tax_id="7707083893",
                kpp=f"{i:09d}",
                status=Company.Status.APPROVED,
            )
            for i in range(N_COMPANIES)
        ],
        batch_size=BATCH,
    )
    CompanyPriceTerms.objects.bulk_create(
        [
            CompanyPriceTerms(company=c, price_list=lists[1 + i % (N_LISTS - 1)])
            for i, c in enumerate(companies)
        ],
        batch_size=BATCH,
    )
    contracts = Contract.objects.bulk_create(
        [
            Contract(company=c, number=f"B-{i}", currency="RUB")
            for i, c in enumerate(companies[:CONTRACT_COMPANIES])
        ]
    )
    items = []
    for contract in contracts:
        for p in rng.sample(products, CONTRACT_ITEMS):
            items.append(
                ContractItem(contract=contract, product=p, price=Decimal("9.99"))
            )
    ContractItem.objects.bulk_create(items, batch_size=BATCH)
    maker = products[0].manufacturer
    DiscountRule.objects.bulk_create(
        [
            DiscountRule(
                company=c,
                base_price_list=lists[0],
                manufacturer=maker,
                percent=Decimal("15"),
            )
            for c in companies[:CONTRACT_COMPANIES]
        ]
    )
    return companies, contracts


def _page_time(company, pages) -> tuple[list[float], int]:
    from catalog.partner.strategy import CompanyPricing

    samples, queries = [], 0
    for page in pages:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            strategy = CompanyPricing(company=company)
            strategy.prefetch(page)
            infos = [strategy.fetch_for_product(p) for p in page]
            samples.append(time.perf_counter() - start)
        queries = max(queries, len(ctx.captured_queries))
        assert all(i.price.exists for i in infos)
    return samples, queries


def run(argv) -> None:
    n = products_option(argv, N_PRODUCTS)
    rng = random.Random(11)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            start = time.perf_counter()
            products = _products(n)
            lists = _price_lists(rng, products)
            companies, contracts = _companies(rng, products, lists)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(
                f"built {n} products × {len(lists)} lists × {len(companies)} companies "
                f"in {time.perf_counter() - start:.1f} s"
            )
            contract_buyer = contracts[0].company
            contract_products = [i.product for i in contracts[0].items.all()[:24]]
            pages = []
            for _ in range(SAMPLES):
                # half the page under contract prices, the rest from the lists
                pages.append(contract_products + rng.sample(products, PAGE - 24))
            for label, company in (
                ("buyer with contract + rule", contract_buyer),
                ("buyer on a wholesale list", companies[-1]),
                ("anonymous visitor", None),
            ):
                samples, queries = _page_time(company, pages)
                print(
                    f"48-product page, {label:27s} {percentiles(samples)}  "
                    f"queries {queries}"
                )
            raise Rollback  # leave the database as it was
    except Rollback:
        pass
