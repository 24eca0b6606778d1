"""The price of a product for a company, a quantity and a day.

Precedence — the first level that has a price wins; a cheaper price at a lower level
is NOT silently applied:

1. contract price: an active, valid contract of the company with an item for the
   product (the largest quantity break not above the quantity);
2. company discount rule: percent off the rule's base list, for the product's category
   and/or manufacturer (the most specific rule wins: category+manufacturer, then
   category, then manufacturer; among equals the highest percent);
3. the company's base price list (its quantity break);
4. the public list price (kind "list").

Visitors and companies that are not approved get only level 4 (or nothing, with
SHOP_ANONYMOUS_PRICES="login"). `PriceBook` loads everything for a set of products in
a constant number of queries; afterwards every quote is computed in memory.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from catalog.models import ProductCategory
from catalog.pricing.models import (
    CompanyPriceTerms,
    Contract,
    ContractItem,
    DiscountRule,
    PriceList,
    PriceListItem,
)
from core.money import money_quantize


class Rule:
    CONTRACT = "contract"
    DISCOUNT = "discount_rule"
    COMPANY_LIST = "company_list"
    LIST = "list_price"


@dataclass(frozen=True)
class PriceBreak:
    min_quantity: int
    net: Decimal


@dataclass(frozen=True)
class PriceQuote:
    net: Decimal
    gross: Decimal
    vat_rate: Decimal
    currency: str
    rule: str
    source: str  # the list, contract or rule that produced the price
    breaks: tuple[PriceBreak, ...] = ()
    list_net: Decimal | None = None  # the public list price for comparison

    @property
    def tax(self) -> Decimal:
        return self.gross - self.net

    @property
    def saving_percent(self) -> int | None:
        """Whole percent below the public list price at the same quantity; None
        when not lower (or no list price to compare with)."""
        if not self.list_net or self.net >= self.list_net:
            return None
        percent = int((1 - self.net / self.list_net) * 100)
        return percent or None


def _valid(obj, today: date) -> bool:
    return (obj.valid_from is None or obj.valid_from <= today) and (
        obj.valid_to is None or obj.valid_to >= today
    )


def _valid_q(prefix: str, today: date) -> Q:
    return (
        Q(**{f"{prefix}valid_from__isnull": True})
        | Q(**{f"{prefix}valid_from__lte": today})
    ) & (
        Q(**{f"{prefix}valid_to__isnull": True})
        | Q(**{f"{prefix}valid_to__gte": today})
    )


def _pick(breaks: list[tuple[int, Decimal]], quantity: int) -> Decimal | None:
    best = None
    for min_quantity, price in sorted(breaks):
        if min_quantity <= quantity:
            best = price
    return best


@dataclass(frozen=True)
class Level:
    """One precedence level as "why this price" shows it."""

    rule: str
    source: str
    net: Decimal | None
    currency: str
    breaks: tuple[PriceBreak, ...] = ()


def _breaks(pairs) -> tuple[PriceBreak, ...]:
    return tuple(PriceBreak(q, money_quantize(p)) for q, p in sorted(pairs))


class PriceBook:
    """Prices of a set of products for one company (None: a visitor). The company's
    terms load lazily, on the first `load`; `load` is then two or three queries for
    any number of products."""

    def __init__(self, company=None, today: date | None = None):
        self.company = company
        self.today = today or timezone.localdate()
        self.wholesale = bool(company is not None and company.is_approved)
        self._ready = False
        self._list: PriceList | None = None
        self._company_list: PriceList | None = None
        self._rules: list[DiscountRule] = []
        self._list_items = defaultdict(list)
        self._company_items = defaultdict(list)
        self._rule_items = defaultdict(list)
        self._contract_items = defaultdict(list)
        self._contract: dict[int, Contract] = {}
        self._categories = defaultdict(set)
        self._loaded: set[int] = set()

    def _setup(self) -> None:
        self._ready = True
        self._list = PriceList.objects.public()
        if self._list and not (self._list.is_active and _valid(self._list, self.today)):
            self._list = None
        if not self.wholesale:
            return
        terms = (
            CompanyPriceTerms.objects.filter(company=self.company)
            .filter(_valid_q("", self.today))
            .filter(price_list__is_active=True)
            .filter(_valid_q("price_list__", self.today))
            .select_related("price_list")
            .order_by("-valid_from", "-pk")
            .first()
        )
        self._company_list = terms.price_list if terms else None
        self._rules = list(
            DiscountRule.objects.filter(company=self.company)
            .filter(_valid_q("", self.today))
            .filter(base_price_list__is_active=True)
            .select_related("base_price_list", "category")
            .order_by("pk")
        )

    def load(self, products) -> None:
        """Load prices for these products (skips those already loaded)."""
        if not self._ready:
            self._setup()
        ids = [p.pk for p in products if p.pk not in self._loaded]
        if not ids:
            return
        self._loaded.update(ids)
        list_ids = {pl.pk for pl in (self._list, self._company_list) if pl}
        list_ids |= {r.base_price_list_id for r in self._rules}
        items = PriceListItem.objects.filter(
            product_id__in=ids, price_list_id__in=list_ids
        ).values_list("price_list_id", "product_id", "min_quantity", "price")
        for list_id, pid, qty, price in items:
            if self._list and list_id == self._list.pk:
                self._list_items[pid].append((qty, price))
            if self._company_list and list_id == self._company_list.pk:
                self._company_items[pid].append((qty, price))
            if list_id in {r.base_price_list_id for r in self._rules}:
                self._rule_items[(list_id, pid)].append((qty, price))
        if not self.wholesale:
            return
        self._load_contracts(ids)
        if any(r.category_id for r in self._rules):
            for pid, cat_path in ProductCategory.objects.filter(
                product_id__in=ids
            ).values_list("product_id", "category__path"):
                self._categories[pid].add(cat_path)

    def _load_contracts(self, ids) -> None:
        items = (
            ContractItem.objects.filter(
                product_id__in=ids,
                contract__company=self.company,
                contract__is_active=True,
            )
            .filter(_valid_q("contract__", self.today))
            .select_related("contract")
            .order_by("-contract__valid_from", "-contract_id")
        )
        for item in items:
            # Periods of one company's contracts do not overlap; should old data
            # say otherwise, the latest contract wins, never a mix of two.
            chosen = self._contract.setdefault(item.product_id, item.contract)
            if chosen.pk == item.contract_id:
                self._contract_items[item.product_id].append(
                    (item.min_quantity, item.price)
                )

    def quote(self, product, quantity: int = 1) -> PriceQuote | None:
        """The price of `product` at `quantity`: the first level that has one."""
        level = next(
            (lv for lv in self.levels(product, quantity) if lv.net is not None), None
        )
        if level is None:
            return None
        vat = product.vat_rate if product.vat_rate is not None else Decimal(0)
        list_net = _pick(self._list_items.get(product.pk, []), max(1, quantity or 1))
        return PriceQuote(
            net=level.net,
            gross=money_quantize(level.net * (1 + vat / 100)),
            vat_rate=vat,
            currency=level.currency,
            rule=level.rule,
            source=level.source,
            breaks=level.breaks,
            list_net=list_net,
        )

    def levels(self, product, quantity: int = 1) -> list[Level]:
        """Every level that applies to this viewer, highest precedence first, with the
        price it would give (None: no price at that level)."""
        self.load([product])
        quantity = max(1, int(quantity or 1))
        result = []
        if self.wholesale:
            result += [
                self._contract_level(product, quantity),
                self._rule_level(product, quantity),
                self._company_level(product, quantity),
            ]
        result.append(
            self._level(Rule.LIST, self._list, self._list_items, product, quantity)
        )
        return [lv for lv in result if lv is not None]

    def _level(self, rule, price_list, items, product, quantity) -> Level | None:
        if price_list is None:
            return None
        pairs = items.get(product.pk, [])
        price = _pick(pairs, quantity)
        return Level(
            rule=rule,
            source=price_list.name,
            currency=price_list.currency,
            net=money_quantize(price) if price is not None else None,
            breaks=_breaks(pairs),
        )

    def _company_level(self, product, quantity) -> Level | None:
        return self._level(
            Rule.COMPANY_LIST,
            self._company_list,
            self._company_items,
            product,
            quantity,
        )

    def _contract_level(self, product, quantity) -> Level | None:
        contract = self._contract.get(product.pk)
        if contract is None:
            return None
        pairs = self._contract_items[product.pk]
        price = _pick(pairs, quantity)
        return Level(
            rule=Rule.CONTRACT,
            source=contract.number,
            currency=contract.currency,
            net=money_quantize(price) if price is not None else None,
            breaks=_breaks(pairs),
        )

    def _rule_level(self, product, quantity) -> Level | None:
        rule = self._best_rule(product)
        if rule is None:
            return None
        factor = 1 - rule.percent / 100
        pairs = [
            (q, p * factor)
            for q, p in self._rule_items.get((rule.base_price_list_id, product.pk), [])
        ]
        price = _pick(pairs, quantity)
        return Level(
            rule=Rule.DISCOUNT,
            source=f"-{rule.percent.normalize():f}% {rule.base_price_list.name}",
            currency=rule.base_price_list.currency,
            net=money_quantize(price) if price is not None else None,
            breaks=_breaks(pairs),
        )

    def _best_rule(self, product):
        paths = self._categories.get(product.pk, set())
        candidates = []
        for rule in self._rules:
            category_ok = rule.category_id is None or any(
                p.startswith(rule.category.path) for p in paths
            )
            maker_ok = (
                rule.manufacturer_id is None
                or rule.manufacturer_id == product.manufacturer_id
            )
            if category_ok and maker_ok:
                specificity = (rule.category_id is not None) * 2 + (
                    rule.manufacturer_id is not None
                )
                candidates.append((specificity, rule.percent, -rule.pk, rule))
        if not candidates:
            return None
        return max(candidates, key=lambda c: c[:3])[3]
