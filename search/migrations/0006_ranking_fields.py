"""Ranking by field (title, cross-references, category names, description), codes in
the other alphabet, and the products each company ordered.

PostgreSQL: the search document gets a tsvector per ranked field and the product's
manufacturer's number; SQLite: the FTS5 table gets the same fields as columns
(recreated: FTS5 cannot add columns). Both then rewrite every document with the
backend's own indexing (`search.backends.database`), so that the index is complete
when the migration ends. `search_orderedproduct` is filled from the orders placed so
far; `search.signals` keeps it current (Oscar's `order_placed`).
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from search.backends.database import engine_for

PG_FORWARD = [
    "ALTER TABLE search_productdocument "
    "ADD COLUMN title_document tsvector NOT NULL DEFAULT '', "
    "ADD COLUMN reference_document tsvector NOT NULL DEFAULT '', "
    "ADD COLUMN category_document tsvector NOT NULL DEFAULT '', "
    "ADD COLUMN manufacturer_article_normalized varchar(64) NOT NULL DEFAULT ''",
]
PG_BACKWARD = [
    "ALTER TABLE search_productdocument DROP COLUMN title_document, "
    "DROP COLUMN reference_document, DROP COLUMN category_document, "
    "DROP COLUMN manufacturer_article_normalized",
]
SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS search_productfts_vocab",
    "DROP TABLE IF EXISTS search_productfts",
    "CREATE VIRTUAL TABLE search_productfts USING fts5("
    "title, refs, cats, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_productfts_vocab "
    "USING fts5vocab(search_productfts, 'row')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS search_productfts_vocab",
    "DROP TABLE IF EXISTS search_productfts",
    "CREATE VIRTUAL TABLE search_productfts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_productfts_vocab "
    "USING fts5vocab(search_productfts, 'row')",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor)
    if statements is None:
        return
    for statement in statements:
        schema_editor.execute(statement)
    engine_for(vendor)().rebuild()


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(
        vendor, []
    ):
        schema_editor.execute(statement)


def ordered_products_fill(apps, schema_editor):
    Line = apps.get_model("order", "Line")
    OrderedProduct = apps.get_model("search", "OrderedProduct")
    pairs = (
        Line.objects.filter(order__company__isnull=False, product__isnull=False)
        .values_list("order__company_id", "product_id")
        .distinct()
    )
    OrderedProduct.objects.bulk_create(
        [OrderedProduct(company_id=c, product_id=p) for c, p in pairs],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_sort_price"),
        ("accounts", "0006_api_token_scopes"),
        ("order", "0024_order_line_allocations"),
        ("catalogue", "0036_english_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="productdocument",
                    name="title_document",
                    field=django.contrib.postgres.search.SearchVectorField(default=""),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="reference_document",
                    field=django.contrib.postgres.search.SearchVectorField(default=""),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="category_document",
                    field=django.contrib.postgres.search.SearchVectorField(default=""),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="manufacturer_article_normalized",
                    field=models.CharField(default="", max_length=64),
                ),
            ],
            database_operations=[
                migrations.RunPython(forward, backward, elidable=False)
            ],
        ),
        migrations.CreateModel(
            name="OrderedProduct",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.company",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.product",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("company", "product"),
                        name="search_orderedproduct_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(
            ordered_products_fill, migrations.RunPython.noop, elidable=False
        ),
    ]
