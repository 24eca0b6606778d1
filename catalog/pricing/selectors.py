"""Reads for the pricing back office and "why this price"."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import Company
from catalog.articles import article_normalize
from catalog.models import Product
from catalog.pricing.engine import Level, PriceBook, PriceQuote
from catalog.pricing.models import (
    CompanyPriceTerms,
    Contract,
    ContractItem,
    DiscountRule,
    PriceList,
    PriceListItem,
)


def price_lists() -> QuerySet[PriceList]:
    return PriceList.objects.annotate(item_count=Count("items")).order_by(
        "-kind", "name"
    )


def price_list_items(*, price_list: PriceList, article: str = "") -> QuerySet:
    items = PriceListItem.objects.filter(price_list=price_list).select_related(
        "product"
    )
    if article:
        items = items.filter(
            product__article_normalized__startswith=article_normalize(article)
        )
    return items.order_by("product__article", "min_quantity")


def contract_items(*, contract: Contract) -> QuerySet[ContractItem]:
    return contract.items.select_related("product").order_by(
        "product__article", "min_quantity"
    )


def companies_with_terms(*, query: str = "") -> QuerySet[Company]:
    companies = Company.objects.annotate(
        contract_count=Count("contracts", distinct=True),
        rule_count=Count("discount_rules", distinct=True),
    ).order_by("name")
    if query:
        companies = companies.filter(
            Q(name__icontains=query) | Q(legal_name__icontains=query) | Q(tax_id=query)
        )
    return companies


@dataclass(frozen=True)
class CompanyPriceSetup:
    terms: list[CompanyPriceTerms]
    contracts: list[Contract]
    rules: list[DiscountRule]


def company_price_setup(*, company: Company) -> CompanyPriceSetup:
    return CompanyPriceSetup(
        terms=list(
            CompanyPriceTerms.objects.filter(company=company)
            .select_related("price_list")
            .order_by("valid_from")
        ),
        contracts=list(
            Contract.objects.filter(company=company)
            .annotate(item_count=Count("items"))
            .order_by("-valid_from", "number")
        ),
        rules=list(
            DiscountRule.objects.filter(company=company).select_related(
                "base_price_list", "category", "manufacturer"
            )
        ),
    )


def product_by_article(*, article: str) -> Product | None:
    normalized = article_normalize(article or "")
    if not normalized:
        return None
    return (
        Product.objects.filter(article_normalized=normalized)
        .select_related("manufacturer")
        .first()
    )


@dataclass(frozen=True)
class PriceExplanation:
    company: Company | None
    product: Product
    quantity: int
    wholesale: bool  # False: a visitor or a company that is not approved
    levels: list[Level]
    quote: PriceQuote | None

    def as_dict(self) -> dict:
        quote = self.quote
        return {
            "company": self.company.pk if self.company else None,
            "company_approved": self.wholesale,
            "product": self.product.article,
            "quantity": self.quantity,
            "rule": quote.rule if quote else None,
            "source": quote.source if quote else None,
            "currency": quote.currency if quote else None,
            "net": str(quote.net) if quote else None,
            "gross": str(quote.gross) if quote else None,
            "vat_rate": str(quote.vat_rate) if quote else None,
            "breaks": [
                {"min_quantity": b.min_quantity, "net": str(b.net)}
                for b in (quote.breaks if quote else ())
            ],
            "levels": [
                {
                    "rule": lv.rule,
                    "source": lv.source,
                    "currency": lv.currency,
                    "net": None if lv.net is None else str(lv.net),
                    "applied": quote is not None and lv.rule == quote.rule,
                }
                for lv in self.levels
            ],
        }


def price_explain(
    *, company: Company | None, product: Product, quantity: int = 1
) -> PriceExplanation:
    """The same engine the shop prices with, level by level."""
    book = PriceBook(company=company)
    return PriceExplanation(
        company=company,
        product=product,
        quantity=max(1, quantity),
        wholesale=book.wholesale,
        levels=book.levels(product, quantity),
        quote=book.quote(product, quantity),
    )
