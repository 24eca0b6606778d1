"""The index: analysis that folds part numbers as `article_normalize` does, and the
product document's fields."""

from elasticsearch.dsl import (
    Boolean,
    Document,
    Index,
    Keyword,
    Long,
    ScaledFloat,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
    tokenizer,
)

from catalog.articles import _LOOKALIKES, ARTICLE_MAX_LENGTH

# The same folding as catalog.articles.article_normalize, done by Elasticsearch (the
# documents hold numbers already normalised; this normalises what a query sends).
lookalikes = char_filter(
    "article_lookalikes",
    type="mapping",
    mappings=[f"{chr(src)} => {dst}" for src, dst in sorted(_LOOKALIKES.items())],
)
not_alnum = char_filter(
    "article_not_alnum",
    type="pattern_replace",
    pattern="[^\\p{L}\\p{N}]+",
    replacement="",
)
article_normalizer = normalizer(
    "article", char_filter=[lookalikes, not_alnum], filter=["lowercase"]
)
article_edge = token_filter(
    "article_edge", type="edge_ngram", min_gram=2, max_gram=ARTICLE_MAX_LENGTH
)
article_prefix_index = analyzer(
    "article_prefix",
    tokenizer=tokenizer("article_whole", type="keyword"),
    char_filter=[lookalikes, not_alnum],
    filter=["lowercase", article_edge],
)
article_prefix_search = analyzer(
    "article_prefix_search",
    tokenizer="keyword",
    char_filter=[lookalikes, not_alnum],
    filter=["lowercase"],
)


class ProductDocument(Document):
    product_id = Long()  # the last sort key, as the database's product id
    article = Keyword(
        normalizer=article_normalizer,
        fields={
            "prefix": Text(
                analyzer=article_prefix_index, search_analyzer=article_prefix_search
            )
        },
    )
    manufacturer_article = Keyword(normalizer=article_normalizer)
    cross_references = Keyword(normalizer=article_normalizer)
    company_numbers = Keyword()  # "<company id>:<normalised number>"
    title = Keyword()  # sorts in byte order, as the database's `USING ~<~`
    # Title and description as one text, like the database's document: Russian and
    # English stems, and the words as written (autocomplete's half-typed word).
    text = Text(
        analyzer="russian",
        fields={"en": Text(analyzer="english"), "words": Text(analyzer="standard")},
    )
    categories = Keyword()  # directly assigned category ids (the facet)
    category_path = Keyword()  # those and all their ancestors (the filter)
    manufacturer = Keyword()  # slug (the filter)
    manufacturer_id = Long()  # the facet
    in_stock = Boolean()
    # The public list price (net): what `price` sorts by, the same for every viewer.
    list_price = ScaledFloat(scaling_factor=100)

    class Index:
        name = "products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def new_index(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ProductDocument)
    return index
