"""The catalogue's vocabulary for close spellings on PostgreSQL (a trigram index); the
title trigram index it replaces goes."""

from django.db import migrations, models

DOC = (
    "regexp_replace(coalesce(p.title, '') || ' ' || coalesce(p.description, ''), "
    "'[^[:alnum:]]+', ' ', 'g')"
)
FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_word_trgm "
    "ON search_word USING gin (word gin_trgm_ops)",
    # The same words as `PostgresBackend._write` writes.
    f"""
    INSERT INTO search_word (word)
    SELECT DISTINCT w FROM catalogue_product p,
           unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {DOC}))) AS w
     WHERE length(w) BETWEEN 4 AND 100 AND w ~ '[[:alpha:]]'
    ON CONFLICT DO NOTHING
    """,
    # Titles were matched by trigram similarity before; nothing reads this any more.
    "DROP INDEX IF EXISTS search_product_title_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_product_title_trgm "
    "ON catalogue_product USING gin (title gin_trgm_ops)",
    "DROP INDEX IF EXISTS search_word_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_productdocument_listing")]

    operations = [
        migrations.CreateModel(
            name="Word",
            fields=[
                (
                    "word",
                    models.CharField(max_length=100, primary_key=True, serialize=False),
                ),
            ],
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
