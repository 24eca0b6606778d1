"""Search indexes: pg_trgm and GIN indexes on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

PG_DOC = (
    "regexp_replace(coalesce(title, '') || ' ' || coalesce(description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_product_title_trgm "
    "ON catalogue_product USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_product_article_trgm "
    "ON catalogue_product USING gin (article_normalized gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_product_article_prefix "
    "ON catalogue_product (article_normalized varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS search_product_fts ON catalogue_product USING gin "
    f"((to_tsvector('russian'::regconfig, {PG_DOC}) "
    f"|| to_tsvector('english'::regconfig, {PG_DOC})))",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_product_fts",
    "DROP INDEX IF EXISTS search_product_article_prefix",
    "DROP INDEX IF EXISTS search_product_article_trgm",
    "DROP INDEX IF EXISTS search_product_title_trgm",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_productfts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_productfts_vocab "
    "USING fts5vocab(search_productfts, 'row')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS search_productfts_vocab",
    "DROP TABLE IF EXISTS search_productfts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_analoguegroup_manufacturer_substitute_and_more")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        )
    ]
