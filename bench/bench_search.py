"""Search on 100,000 products: exact article, prefix, full text, a misspelt name,
autocomplete, category and catalogue pages (browsing, 5,000 and 100,000 products),
bulk lookup.

Run: DATABASE_URL=postgres://... python -m bench bench_search (a migrated database; the
data is created inside a transaction and rolled back at the end)."""

import gc
import os
import random
import time

from django.db import connection, transaction

from bench.common import Rollback, percentiles

N_PRODUCTS = 100_000
NOUNS = [
    "Подшипник",
    "Ремень",
    "Шланг",
    "Болт",
    "Гайка",
    "Фильтр",
    "Сальник",
    "Втулка",
    "Bearing",
    "Hose",
    "Valve",
    "Gasket",
]
ADJECTIVES = [
    "шариковый",
    "роликовый",
    "клиновой",
    "гидравлический",
    "масляный",
    "стальной",
    "radial",
    "hydraulic",
    "steel",
    "sealed",
]
PREFIXES = ["HB", "SKF", "NTN", "GT", "RB", "FL", "VX", "ZK"]


def _misspelt(rng: random.Random, word: str) -> str:
    """One letter doubled: "Подшипниик"."""
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i] + word[i:]


def _time(fn, args_list) -> list[float]:
    samples = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        samples.append(time.perf_counter() - start)
    return samples


def _build(rng: random.Random):
    from catalog.articles import article_normalize
    from catalog.models import (
        Category,
        CrossReference,
        Manufacturer,
        Product,
        ProductCategory,
        ProductClass,
    )
    from catalog.partner.models import Partner, StockRecord

    product_class, _ = ProductClass.objects.get_or_create(name="Bench goods")
    makers = Manufacturer.objects.bulk_create(
        [
            Manufacturer(name=f"Bench maker {i}", slug=f"bench-maker-{i}")
            for i in range(50)
        ]
    )
    categories = [Category.add_root(name=f"Bench category {i}") for i in range(20)]
    partner = Partner.objects.create(name="Bench warehouse", code="bench-wh")
    products = []
    for i in range(N_PRODUCTS):
        article = f"{PREFIXES[i % len(PREFIXES)]}-{i:06d}/{i % 97}"
        maker_article = f"M{i:07d}-{i % 13}"
        title = (
            f"{rng.choice(NOUNS)} {rng.choice(ADJECTIVES)} {rng.randint(100, 9999)}"
            f"-{rng.choice(['2RS', 'ZZ', 'A', 'B'])}"
        )
        products.append(
            Product(
                title=title,
                slug=f"bench-{i}",
                article=article,
                article_normalized=article_normalize(article),
                manufacturer_article=maker_article,
                manufacturer_article_normalized=article_normalize(maker_article),
                manufacturer=makers[i % len(makers)],
                product_class=product_class,
                structure=Product.STANDALONE,
                is_public=True,
                description=f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS).lower()} для станков",
            )
        )
    products = Product.objects.bulk_create(products, batch_size=5000)
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product=p, category=categories[i % 20])
            for i, p in enumerate(products)
        ],
        batch_size=5000,
    )
    CrossReference.objects.bulk_create(
        [
            CrossReference(
                product=p, number=f"OEM {i:06d}", number_normalized=f"oem{i:06d}"
            )
            for i, p in enumerate(products)
        ],
        batch_size=5000,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=p, partner=partner, partner_sku=f"b{i}", num_in_stock=i % 7
            )
            for i, p in enumerate(products[::2])
        ],
        batch_size=5000,
    )
    return products


def _existing():
    from catalog.models import Product

    if not Product.objects.filter(slug="bench-0").exists():
        return None
    return list(Product.objects.filter(slug__startswith="bench-"))


def _unindexed() -> bool:
    """Kept data (BENCH_KEEP) is searched as it is: a rebuild would leave 100,000 dead
    rows that a real shop's autovacuum would have removed."""
    from catalog.models import Product
    from search.models import ProductDocument

    if connection.vendor == "sqlite":
        return True
    return ProductDocument.objects.count() != Product.objects.count()


def run(argv) -> None:
    from search.backends import get_backend
    from search.lookup import lookup_numbers

    rng = random.Random(7)
    backend = get_backend("database")
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            start = time.perf_counter()
            existing = _existing()
            products = existing or _build(rng)
            if existing is None or _unindexed():
                backend.rebuild()
            with connection.cursor() as cursor:
                for table in (
                    "catalogue_product",
                    "catalogue_crossreference",
                    "partner_stockrecord",
                    "catalogue_productcategory",
                ):
                    cursor.execute(
                        f"ANALYZE {table}"
                    ) if connection.vendor != "sqlite" else None
            print(
                f"built {len(products)} products in {time.perf_counter() - start:.1f} s"
            )
            sample = rng.sample(products, 200)
            numbers = [p.article for p in products]
            del products  # a web process does not hold 100,000 model instances
            gc.collect()
            gc.freeze()  # nor should their garbage collection time the searches
            exact = [(p.article.lower().replace("-", " "),) for p in sample]
            prefix = [(p.article[:6],) for p in sample[:100]]
            words = [
                f"{rng.choice(NOUNS)} {rng.choice(ADJECTIVES)}" for _ in range(100)
            ]
            full_text = [(w,) for w in words]
            typos = [(_misspelt(rng, rng.choice(NOUNS)),) for _ in range(50)]

            def page(query):
                return backend.search(query=query, per_page=48)

            def complete(query):
                return backend.autocomplete(query=query)

            for warm_up in (exact[0][0], prefix[0][0], full_text[0][0]):
                page(warm_up)  # a running shop has its connection and plans warm
            print("exact article     ", percentiles(_time(page, exact)))
            print("article prefix    ", percentiles(_time(page, prefix)))
            print("full text         ", percentiles(_time(page, full_text)))
            print("close spelling    ", percentiles(_time(page, typos)))
            print(
                "autocomplete      ",
                percentiles(
                    _time(
                        complete,
                        [(q[:5],) for (q,) in exact[:100]] + [(w[:6],) for w in words],
                    )
                ),
            )
            from catalog.models import Category
            from search.backends.base import Filters

            bench_categories = list(
                Category.objects.filter(name__startswith="Bench category ").values_list(
                    "pk", flat=True
                )
            )

            def browse(categories, page_number):
                return backend.search(
                    query="",
                    filters=Filters(categories=categories),
                    per_page=48,
                    page=page_number,
                )

            browse([bench_categories[0]], 1)
            print(
                "category page     ",
                percentiles(
                    _time(
                        browse,
                        [
                            ([rng.choice(bench_categories)], rng.randint(1, 100))
                            for _ in range(50)
                        ],
                    )
                ),
            )
            print(
                "whole catalogue   ",
                percentiles(
                    _time(browse, [([], rng.randint(1, 2000)) for _ in range(20)])
                ),
            )
            batches = []
            for _ in range(20):
                found = rng.sample(numbers, 700)
                crossrefs = [
                    f"oem-{rng.randint(0, N_PRODUCTS - 1):06d}" for _ in range(200)
                ]
                missing = [f"NOPE-{rng.randint(0, 10**9)}" for _ in range(100)]
                batches.append((found + crossrefs + missing,))
            print(
                "bulk lookup 1,000 ",
                percentiles(_time(lambda n: lookup_numbers(numbers=n), batches)),
            )
            if not os.environ.get("BENCH_KEEP"):
                raise Rollback  # leave the database as it was
    except Rollback:
        pass
