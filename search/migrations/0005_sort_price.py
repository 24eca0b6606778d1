"""Sorting by price and availability: the search document carries the public list
price (the active list's lowest quantity break, the same for every viewer), indexed
with the document's other sort keys. PostgreSQL only, as the other listing columns;
`search.backends.postgres` writes it and the hourly consistency check compares it
(the price import writes in bulk). The text now includes the English title
(`catalog` migration 0036); documents are rewritten as products change or by
`manage.py search_index rebuild`."""

from django.db import migrations, models

FORWARD = [
    "ALTER TABLE search_productdocument ADD COLUMN list_price numeric(14, 2) NULL",
    """
    UPDATE search_productdocument d SET list_price = lp.price
      FROM (SELECT i.product_id, (array_agg(i.price ORDER BY i.min_quantity))[1]
              FROM pricing_pricelistitem i JOIN pricing_pricelist l
                ON l.id = i.price_list_id AND l.kind = 'list' AND l.is_active
             GROUP BY i.product_id) AS lp(product_id, price)
     WHERE lp.product_id = d.product_id
    """,
]
BACKWARD = ["ALTER TABLE search_productdocument DROP COLUMN list_price"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_word"),
        ("pricing", "0002_company_terms_periods"),
        ("catalogue", "0036_english_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="productdocument",
                    name="list_price",
                    field=models.DecimalField(
                        decimal_places=2, max_digits=14, null=True
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)
            ],
        ),
    ]
