"""bench_load's data: the database (created, migrated and filled by `load_demo` once,
then kept) and the paths of each URL group, sampled from it."""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.dev"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT
    )


def _server_connection(settings_dict):
    import psycopg

    return psycopg.connect(
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _recreate_database(*, drop: bool) -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    with _server_connection(connection.settings_dict) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and drop:
            if "load" not in name:
                raise SystemExit(f"--rebuild drops only a *load* database, not {name}")
            server.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            server.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _data_state(products: int) -> str:
    """ "ready", "empty" (no catalogue yet) or what is wrong with the data."""
    from django.db import connection

    if "catalogue_product" not in connection.introspection.table_names():
        return "empty"
    from catalog.models import Product
    from catalog.pricing.models import Contract
    from search.models import ProductDocument

    count = Product.objects.count()
    if count == 0:
        return "empty"
    if count != products:
        return f"{count} products, not {products}"
    if ProductDocument.objects.count() != count:
        return "the search index does not cover every product"
    if not Contract.objects.exists():
        return "no contract"
    return "ready"


def _unapplied_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_data(products: int, rebuild: bool) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench_load runs on PostgreSQL: set DATABASE_URL")
    _recreate_database(drop=rebuild)
    state = _data_state(products)
    if state == "ready":
        print(
            f"database {connection.settings_dict['NAME']}: kept ({products} products)"
        )
        if _unapplied_migrations():
            connection.close()
            _manage("migrate", "--noinput", "-v0")
        return
    if state != "empty":
        raise SystemExit(f"the database holds other data ({state}): use --rebuild")
    connection.close()
    for step, args in (
        ("migrate", ("migrate", "--noinput", "-v0")),
        ("load_demo", ("load_demo", "--products", str(products), "--seed", "42")),
    ):
        start = time.perf_counter()
        _manage(*args)
        print(f"{step}: {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE: {time.perf_counter() - start:.0f} s")


# -- the URL groups ------------------------------------------------------------------


def _category_paths(categories, rng) -> list[str]:
    """Page 1 most of the time, pages 2 and 3 of categories that have them."""
    from catalog.models import ProductCategory
    from search.backends.base import MAX_PER_PAGE

    direct = Counter(ProductCategory.objects.values_list("category__path", flat=True))
    paths = []
    for category in categories:
        size = sum(n for path, n in direct.items() if path.startswith(category.path))
        url = category.get_absolute_url()
        pages = (
            [1] * 7 + [2] * 2 * (size > MAX_PER_PAGE) + [3] * (size > 2 * MAX_PER_PAGE)
        )
        paths += [url if page == 1 else f"{url}?page={page}" for page in pages]
    rng.shuffle(paths)
    return paths


def _search_paths(products, rng) -> list[str]:
    from catalog.models import CrossReference

    crossrefs = dict(
        CrossReference.objects.filter(product__in=products).values_list(
            "product_id", "number"
        )
    )
    queries = []
    for product in products:
        queries += [
            product.article,
            product.article.lower().replace("-", " "),
            product.manufacturer_article or product.article,
            crossrefs.get(product.pk, product.article[:6]),
        ]
    rng.shuffle(queries)
    return [f"/search/?{urlencode({'q': q})}" for q in queries]


def url_groups(rng):
    """Paths per group, and the company whose contract prices the buyer's pages."""
    from catalog.models import Category, Product
    from catalog.pricing.models import Contract, ContractItem

    categories = list(Category.objects.order_by("path"))
    ids = list(Product.objects.browsable().values_list("pk", flat=True))
    sample = list(Product.objects.filter(pk__in=rng.sample(ids, 2000)).order_by("pk"))
    contract = Contract.objects.select_related("company").order_by("pk").first()
    contract_paths = set(
        ContractItem.objects.filter(contract=contract).values_list(
            "product__categories__path", flat=True
        )
    )
    # the contract items' categories and every category above them
    buyer_categories = [
        c for c in categories if any(p.startswith(c.path) for p in contract_paths)
    ]
    groups = {
        "category": _category_paths(categories, rng),
        "product": [p.get_absolute_url() for p in sample],
        "search": _search_paths(sample[:500], rng),
        "buyer": _category_paths(buyer_categories, rng),
    }
    return groups, contract.company


def buyer_email(company) -> str:
    from accounts.models import Membership, Role

    membership = (
        Membership.objects.filter(company=company, role=Role.BUYER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user.email
