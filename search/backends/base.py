"""The search interface every backend implements, and the shapes it returns."""

from dataclasses import dataclass, field

MAX_PER_PAGE = 48
# price / price_desc: by the public list price (the same for every viewer; products
# without one last); availability: in stock first, then by name.
SORTS = ("relevance", "name", "article", "price", "price_desc", "availability")


def last_page(count: int, per_page: int) -> int:
    """The number of the last page of `count` results (1 when there are none)."""
    return max(1, -(-count // per_page))


@dataclass(frozen=True)
class SearchHit:
    product: object
    matched_on: str | None = None  # article, manufacturer_article, cross_reference, ...


@dataclass(frozen=True)
class SearchPage:
    hits: list
    count: int
    page: int
    per_page: int
    facets: dict = field(default_factory=dict)  # name → [{"value", "label", "count"}]
    corrected: bool = False  # found only after tolerating typos

    @property
    def num_pages(self) -> int:
        return last_page(self.count, self.per_page)

    @property
    def products(self) -> list:
        return [hit.product for hit in self.hits]


@dataclass
class Filters:
    categories: list = field(
        default_factory=list
    )  # Category pks (descendants included)
    manufacturers: list = field(default_factory=list)  # Manufacturer slugs
    in_stock: bool = False


def clamp_page(*, page, per_page) -> tuple[int, int]:
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        per_page = MAX_PER_PAGE
    return max(1, min(page, 10**6)), max(1, min(per_page, MAX_PER_PAGE))


class SearchBackend:
    """search() answers a page; autocomplete() a few products; index_* keep it current."""

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
        raise NotImplementedError

    def autocomplete(self, *, query, company=None, limit=10) -> list[SearchHit]:
        raise NotImplementedError

    def index_products(self, *, product_ids) -> None:
        raise NotImplementedError

    def rebuild(self, *, progress=None) -> int:
        raise NotImplementedError

    def stale_product_ids(self) -> list[int]:
        """Products whose document is missing, left over (the product is gone) or
        out of date, as far as this backend can tell at the cost of one query; the
        consistency job (`search.consistency`) indexes them again. A backend that
        cannot tell answers none and relies on the job's window of recent writes."""
        return []
