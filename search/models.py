"""The stored search document of a product (PostgreSQL full-text search).

A row holds the product's text as a tsvector and what a result list needs from the
product (browsable, title, article, manufacturer, categories, in stock), so that a
search reads one table. The table is written and read with raw SQL by
`search.backends.postgres`; the model exists so that Django knows the table (flushes,
cascades on product deletion). Only PostgreSQL has the listing columns (migration
0003); on SQLite the table stays empty.
"""

from django.contrib.postgres.fields import ArrayField
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
    # The fields of `document` a match ranks by (migration 0006): the titles with the
    # product's own numbers and codes, the cross-references, the category names.
    title_document = SearchVectorField(default="")
    reference_document = SearchVectorField(default="")
    category_document = SearchVectorField(default="")
    browsable = models.BooleanField(default=False)
    title = models.CharField(max_length=255, default="")
    article_normalized = models.CharField(max_length=64, default="")
    manufacturer_article_normalized = models.CharField(max_length=64, default="")
    manufacturer_id = models.BigIntegerField(null=True)
    category_ids = ArrayField(models.BigIntegerField(), default=list)
    in_stock = models.BooleanField(default=False)
    # The public list price, what `price` sorts by (migration 0005).
    list_price = models.DecimalField(max_digits=14, decimal_places=2, null=True)

    class Meta:
        app_label = "search"
        # Its columns exist on PostgreSQL only (migration 0003): on SQLite, test
        # serialization and flush must not read the table.
        required_db_vendor = "postgresql"

    def __str__(self):
        return f"search document of product {self.product_id}"


class Word(models.Model):
    """A word of the catalogue's names and descriptions, as written (PostgreSQL):
    close spellings of a query word are looked up here (trigram index, migration
    0004) before the documents are searched for them. Words of products long gone may
    linger until `search_index rebuild`; they only find nothing."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        app_label = "search"

    def __str__(self):
        return self.word


class OrderedProduct(models.Model):
    """A product a company has ordered (from Oscar's `order_placed`, migration 0006
    fills it from the orders placed before): among equally relevant results a buyer
    sees the products their company ordered before first. Both engines."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        app_label = "search"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "product"], name="search_orderedproduct_unique"
            )
        ]

    def __str__(self):
        return f"product {self.product_id} ordered by company {self.company_id}"
