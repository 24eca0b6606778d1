"""The Elasticsearch backend (elasticsearch.dsl): normalised part numbers, Russian and
English text, facets as aggregations, rebuilds into a new index behind an alias."""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from elasticsearch.dsl import (
    Boolean,
    Document,
    Index,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    connections,
    normalizer,
    token_filter,
    tokenizer,
)
from elasticsearch.helpers import bulk

from catalog.articles import _LOOKALIKES, article_normalize
from catalog.models import Category, CompanyPartNumber, Manufacturer, Product
from catalog.partner.models import StockRecord
from search.backends.base import (
    MAX_PER_PAGE,
    SearchBackend,
    SearchHit,
    SearchPage,
    clamp_page,
    last_page,
)
from search.text import clean_query, tokens

MAX_WINDOW = 10_000

# The same folding as catalog.articles.article_normalize, done by Elasticsearch.
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
article_edge = token_filter("article_edge", type="edge_ngram", min_gram=2, max_gram=32)
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


def _text():
    return Text(analyzer="russian", fields={"en": Text(analyzer="english")})


class ProductDocument(Document):
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
    title = Text(
        analyzer="russian", fields={"en": Text(analyzer="english"), "raw": Keyword()}
    )
    description = _text()
    categories = Keyword()  # directly assigned category ids (the facet)
    category_path = Keyword()  # those and all their ancestors (the filter)
    manufacturer = Keyword()
    in_stock = Boolean()

    class Index:
        name = "products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ProductDocument)
    return index


def _apply_filters(search: Search, filters) -> Search:
    if not filters:
        return search
    if filters.categories:
        search = search.filter(
            "terms", category_path=[str(c) for c in filters.categories]
        )
    if filters.manufacturers:
        search = search.filter("terms", manufacturer=list(filters.manufacturers))
    if filters.in_stock:
        search = search.filter("term", in_stock=True)
    return search


def build_search(*, query: str, company=None, filters=None, sort="relevance") -> Search:
    """The query for a search request: numbers first, then prefix, then full text."""
    search = Search(index=alias_name())
    query = clean_query(query)
    key = article_normalize(query)
    should = []
    if key:
        should += [
            Q("term", article={"value": key, "boost": 100, "_name": "article"}),
            Q(
                "term",
                manufacturer_article={
                    "value": key,
                    "boost": 50,
                    "_name": "manufacturer_article",
                },
            ),
            Q(
                "term",
                cross_references={
                    "value": key,
                    "boost": 40,
                    "_name": "cross_reference",
                },
            ),
        ]
        if company is not None:
            should.append(
                Q(
                    "term",
                    company_numbers={
                        "value": f"{company.pk}:{key}",
                        "boost": 50,
                        "_name": "company_part_number",
                    },
                )
            )
        if len(key) >= 3:
            should.append(
                Q(
                    "match",
                    **{
                        "article.prefix": {
                            "query": key,
                            "boost": 20,
                            "_name": "article_prefix",
                        }
                    },
                )
            )
    words = " ".join(tokens(query))
    if words:
        should.append(
            Q(
                "multi_match",
                query=words,
                fields=["title^3", "title.en^2", "description", "description.en"],
                fuzziness="AUTO",
                operator="and",
                _name="name",
            )
        )
    if query and not should:
        search = search.query(Q("match_none"))
    elif should:
        search = search.query(Q("bool", should=should, minimum_should_match=1))
    search = _apply_filters(search, filters)
    search.aggs.bucket("category", "terms", field="categories", size=50)
    search.aggs.bucket("manufacturer", "terms", field="manufacturer", size=50)
    search.aggs.bucket("in_stock", "filter", filter=Q("term", in_stock=True))
    order = {
        "name": ["title.raw", "_doc"],
        "article": ["article", "_doc"],
    }.get(sort, ["_score", "title.raw"] if query else ["title.raw"])
    return search.sort(*order).extra(track_total_hits=True)


def product_document(product, *, in_stock: bool, company_numbers, category_ids, paths):
    return ProductDocument(
        meta={"id": product.pk},
        article=product.article or "",
        manufacturer_article=product.manufacturer_article,
        cross_references=[c.number for c in product.cross_references.all()],
        company_numbers=company_numbers,
        title=product.title,
        description=product.description,
        categories=[str(c) for c in category_ids],
        category_path=sorted(paths),
        manufacturer=product.manufacturer.slug if product.manufacturer_id else None,
        in_stock=in_stock,
    )


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self):
        connections.create_connection(
            alias="default", hosts=[settings.ELASTICSEARCH_URL]
        )

    def search(
        self,
        *,
        query,
        company=None,
        filters=None,
        sort="relevance",
        page=1,
        per_page=MAX_PER_PAGE,
    ) -> SearchPage:
        page, per_page = clamp_page(page=page, per_page=per_page)
        search = build_search(query=query, company=company, filters=filters, sort=sort)
        total = search.extra(size=0).execute().hits.total.value
        last = last_page(min(total, MAX_WINDOW), per_page)
        page = min(page, last)
        response = search[(page - 1) * per_page : page * per_page].execute()
        hits = self._hits(response)
        return SearchPage(
            hits=hits,
            count=total,
            page=page,
            per_page=per_page,
            facets=self._facets(response),
        )

    def autocomplete(self, *, query, company=None, limit=10) -> list[SearchHit]:
        if len(article_normalize(query)) < 2:
            return []
        search = build_search(query=query, company=company)[:limit]
        return self._hits(search.execute())

    @staticmethod
    def _hits(response) -> list[SearchHit]:
        ids = [int(hit.meta.id) for hit in response]
        products = Product.objects.select_related(
            "manufacturer", "product_class"
        ).in_bulk(ids)
        order = [
            "article",
            "manufacturer_article",
            "cross_reference",
            "company_part_number",
            "article_prefix",
            "name",
        ]
        hits = []
        for hit in response:
            product = products.get(int(hit.meta.id))
            if product is None:
                continue
            matched = list(getattr(hit.meta, "matched_queries", []) or [])
            matched_on = next((name for name in order if name in matched), None)
            hits.append(SearchHit(product=product, matched_on=matched_on))
        return hits

    @staticmethod
    def _facets(response) -> dict:
        aggs = response.aggregations
        category_ids = [int(b.key) for b in aggs.category.buckets]
        names = dict(
            Category.objects.filter(pk__in=category_ids).values_list("pk", "name")
        )
        slugs = [b.key for b in aggs.manufacturer.buckets]
        makers = dict(
            Manufacturer.objects.filter(slug__in=slugs).values_list("slug", "name")
        )
        stocked = aggs.in_stock.doc_count
        return {
            "category": [
                {
                    "value": b.key,
                    "label": names.get(int(b.key), b.key),
                    "count": b.doc_count,
                }
                for b in aggs.category.buckets
            ],
            "manufacturer": [
                {
                    "value": b.key,
                    "label": makers.get(b.key, b.key),
                    "count": b.doc_count,
                }
                for b in aggs.manufacturer.buckets
            ],
            "in_stock": [{"value": "1", "label": "in_stock", "count": stocked}]
            if stocked
            else [],
        }

    # --- indexing ---------------------------------------------------------------------

    def _documents(self, product_ids):
        stocked = Exists(
            StockRecord.objects.filter(
                product=OuterRef("pk"),
                num_in_stock__gt=Coalesce(F("num_allocated"), Value(0)),
            )
        )
        paths = dict(Category.objects.values_list("pk", "path"))
        by_path = {path: pk for pk, path in paths.items()}
        products = (
            Product.objects.browsable()
            .filter(pk__in=product_ids)
            .select_related("manufacturer")
            .prefetch_related("cross_references", "categories")
            .annotate(has_stock=stocked)
        )
        own = {}
        for pid, cid, number in CompanyPartNumber.objects.filter(
            product_id__in=product_ids
        ).values_list("product_id", "company_id", "number_normalized"):
            own.setdefault(pid, []).append(f"{cid}:{number}")
        for product in products:
            category_ids = [c.pk for c in product.categories.all()]
            ancestors = set()
            for cid in category_ids:
                path = paths.get(cid, "")
                for end in range(4, len(path) + 1, 4):
                    if path[:end] in by_path:
                        ancestors.add(str(by_path[path[:end]]))
            yield product_document(
                product,
                in_stock=product.has_stock,
                company_numbers=own.get(product.pk, []),
                category_ids=category_ids,
                paths=ancestors,
            )

    def index_products(self, *, product_ids, index=None) -> None:
        ids = list(product_ids)
        client = connections.get_connection()
        target = index or alias_name()
        actions = []
        seen = set()
        for doc in self._documents(ids):
            seen.add(int(doc.meta.id))
            actions.append(doc.to_dict(include_meta=True) | {"_index": target})
        actions += [
            {"_op_type": "delete", "_index": target, "_id": pk}
            for pk in ids
            if pk not in seen
        ]
        bulk(client, actions, raise_on_error=False)

    def rebuild(self, *, progress=None, refresh=False) -> int:
        client = connections.get_connection()
        alias = alias_name()
        name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        new_index(name).create()
        ids = list(
            Product.objects.browsable().order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(ids), 1000):
            self.index_products(product_ids=ids[start : start + 1000], index=name)
            if progress:
                progress(min(start + 1000, len(ids)), len(ids))
        client.indices.refresh(index=name)
        old = list(client.indices.get_alias(name=alias, ignore_unavailable=True) or {})
        actions = [{"remove": {"index": o, "alias": alias}} for o in old]
        actions.append({"add": {"index": name, "alias": alias}})
        client.indices.update_aliases(actions=actions)  # atomic swap
        for o in old:
            client.indices.delete(index=o, ignore_unavailable=True)
        return len(ids)
