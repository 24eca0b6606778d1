"""Readable slugs for the categories and products whose slug is Oscar's escape of a
Cyrillic name (`u041fu043e…`): transliterated (`catalog.slugs`). Their old URLs
still work: the category and product views find the object by its pk and redirect
(301) to the new URL."""

from django.conf import settings
from django.core.cache import cache
from django.db import migrations
from oscar.core.utils import cautious_slugify

from catalog.slugs import slug_transliterate

# Oscar escapes every non-ASCII character as u + four hex digits; Cyrillic is U+04xx.
ESCAPED = r"u04[0-9a-f]{2}"
BATCH = 1000


def _reslug(model, field: str, max_length: int) -> list[int]:
    changed = []
    rows = model.objects.filter(slug__regex=ESCAPED).only("pk", "slug", field)
    for row in rows.iterator(chunk_size=BATCH):
        name = getattr(row, field) or ""
        if row.slug != cautious_slugify(name)[:max_length]:
            continue  # a slug someone typed: theirs to keep
        slug = slug_transliterate(name)[:max_length]
        if slug and slug != row.slug:
            model.objects.filter(pk=row.pk).update(slug=slug)
            changed.append(row.pk)
    return changed


def slugs_transliterate(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    Product = apps.get_model("catalogue", "Product")
    categories = _reslug(Category, "name", Category._meta.get_field("slug").max_length)
    _reslug(Product, "title", Product._meta.get_field("slug").max_length)
    # Oscar caches each category's full slug per language; a child's holds its
    # parent's, so every category's cached URL is dropped when any changed.
    if categories:
        pks = Category.objects.values_list("pk", flat=True)
        cache.delete_many(
            [
                f"CATEGORY_URL_{code}_{pk}"
                for code, _ in settings.LANGUAGES
                for pk in pks
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0034_product_certificates")]

    operations = [migrations.RunPython(slugs_transliterate, migrations.RunPython.noop)]
