"""The search document carries what a result list needs, not only the text.

Filters (browsable, category, manufacturer, in stock), sorting (name, article) and
facets read these columns from the row the full-text match already found, so a search
is one index scan of one table instead of a join to products, categories and stock.
The columns exist on PostgreSQL only (SQLite searches through FTS5 and the product
table); `search.backends.postgres` writes them, and keeps them current after commits
that change a product, its categories or its stock.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

DOC = (
    "regexp_replace(coalesce(p.title, '') || ' ' || coalesce(p.description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
VECTOR = (
    f"strip(to_tsvector('russian'::regconfig, {DOC}) "
    f"|| to_tsvector('english'::regconfig, {DOC}) "
    f"|| to_tsvector('simple'::regconfig, {DOC}))"
)
FORWARD = [
    "ALTER TABLE search_productdocument "
    "ADD COLUMN browsable boolean NOT NULL DEFAULT false, "
    "ADD COLUMN title varchar(255) NOT NULL DEFAULT '', "
    "ADD COLUMN article_normalized varchar(64) NOT NULL DEFAULT '', "
    "ADD COLUMN manufacturer_id bigint NULL, "
    "ADD COLUMN category_ids bigint[] NOT NULL DEFAULT '{}', "
    "ADD COLUMN in_stock boolean NOT NULL DEFAULT false",
    # The same rows as `PostgresBackend._write` writes: Russian and English stems,
    # and the words as written (for prefixes: "bearin" is not a prefix of the stem
    # "bear"). Positions are not needed: nothing ranks by proximity.
    f"""
    INSERT INTO search_productdocument (product_id, document, browsable, title,
        article_normalized, manufacturer_id, category_ids, in_stock)
    SELECT p.id, {VECTOR}, p.is_public AND p.parent_id IS NULL, p.title,
        p.article_normalized, p.manufacturer_id,
        COALESCE(c.ids, '{{}}'), COALESCE(s.in_stock, false)
      FROM catalogue_product p
      LEFT JOIN (SELECT product_id, array_agg(category_id ORDER BY category_id)
                   FROM catalogue_productcategory GROUP BY product_id)
           AS c(product_id, ids) ON c.product_id = p.id
      LEFT JOIN (SELECT product_id,
                        bool_or(num_in_stock > COALESCE(num_allocated, 0))
                   FROM partner_stockrecord GROUP BY product_id)
           AS s(product_id, in_stock) ON s.product_id = p.id
    ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document,
        browsable = EXCLUDED.browsable, title = EXCLUDED.title,
        article_normalized = EXCLUDED.article_normalized,
        manufacturer_id = EXCLUDED.manufacturer_id,
        category_ids = EXCLUDED.category_ids, in_stock = EXCLUDED.in_stock
    """,
    # A category page finds its products (and its descendants') through this.
    "CREATE INDEX IF NOT EXISTS search_productdocument_categories "
    "ON search_productdocument USING gin (category_ids)",
    # Django's own varchar_pattern_ops index on the column serves prefixes already.
    "DROP INDEX IF EXISTS search_product_article_prefix",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_productdocument_categories",
    "CREATE INDEX IF NOT EXISTS search_product_article_prefix "
    "ON catalogue_product (article_normalized varchar_pattern_ops)",
    "ALTER TABLE search_productdocument DROP COLUMN browsable, DROP COLUMN title, "
    "DROP COLUMN article_normalized, DROP COLUMN manufacturer_id, "
    "DROP COLUMN category_ids, DROP COLUMN in_stock",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_productdocument"),
        ("partner", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="productdocument",
                    name="browsable",
                    field=models.BooleanField(default=False),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="title",
                    field=models.CharField(default="", max_length=255),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="article_normalized",
                    field=models.CharField(default="", max_length=64),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="manufacturer_id",
                    field=models.BigIntegerField(null=True),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="category_ids",
                    field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list, size=None
                    ),
                ),
                migrations.AddField(
                    model_name="productdocument",
                    name="in_stock",
                    field=models.BooleanField(default=False),
                ),
            ],
            database_operations=[
                migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)
            ],
        ),
    ]
