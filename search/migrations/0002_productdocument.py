"""A stored tsvector per product (PostgreSQL: no re-parsing text on every match).

The table exists on every database so that Django's flush and deletion cascades know
it; only PostgreSQL fills it and gets the GIN index.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

DOC = (
    "regexp_replace(coalesce(p.title, '') || ' ' || coalesce(p.description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
VECTOR = f"(to_tsvector('russian'::regconfig, {DOC}) || to_tsvector('english'::regconfig, {DOC}))"
FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_productdocument_fts "
    "ON search_productdocument USING gin (document)",
    f"INSERT INTO search_productdocument (product_id, document) "
    f"SELECT p.id, {VECTOR} FROM catalogue_product p ON CONFLICT DO NOTHING",
    "DROP INDEX IF EXISTS search_product_fts",
]
BACKWARD = ["DROP INDEX IF EXISTS search_productdocument_fts"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("catalogue", "0033_analoguegroup_manufacturer_substitute_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductDocument",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="catalogue.product",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
