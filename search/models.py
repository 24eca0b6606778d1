"""The stored search document of a product (PostgreSQL full-text search).

The table is written and read with raw SQL by `search.backends.database`; the model
exists so that Django knows the table (flushes, cascades on product deletion).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ProductDocument(models.Model):
    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    document = SearchVectorField()

    class Meta:
        app_label = "search"

    def __str__(self):
        return f"search document of product {self.product_id}"
