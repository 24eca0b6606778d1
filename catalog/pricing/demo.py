"""Demo price lists, contracts and discount rules for `load_demo`."""

from decimal import Decimal

from catalog.pricing.models import (
    CompanyPriceTerms,
    Contract,
    ContractItem,
    DiscountRule,
    PriceList,
    PriceListItem,
)
from core.money import money_quantize

LISTS = [
    # code, name, discount off list, extra off from 10 / from 50
    ("wholesale", "Wholesale", Decimal("0.12"), Decimal("0.03"), Decimal("0.06")),
    ("dealer", "Dealer", Decimal("0.20"), Decimal("0.03"), Decimal("0.06")),
    (
        "large-account",
        "Large account",
        Decimal("0.25"),
        Decimal("0.02"),
        Decimal("0.04"),
    ),
]
TERMS = {"stroymontazh": "wholesale", "dealer": "dealer", "zavod": "large-account"}


def build_demo_prices(*, rng, products, companies, stdout=None) -> None:
    """Three wholesale lists with quantity breaks; companies on different terms; the
    plant with a contract and a discount rule by manufacturer."""
    public = PriceList.objects.public()
    list_prices = dict(
        PriceListItem.objects.filter(price_list=public, min_quantity=1).values_list(
            "product_id", "price"
        )
    )
    lists = {}
    for code, name, off, off10, off50 in LISTS:
        price_list, _ = PriceList.objects.get_or_create(
            code=code, defaults={"name": name, "currency": public.currency}
        )
        lists[code] = price_list
        items = []
        for product in products:
            base = list_prices.get(product.pk)
            if base is None:
                continue
            # breaks at 10 and 50 order units (packs for packed goods)
            for qty, extra in ((1, 0), (10, off10), (50, off50)):
                items.append(
                    PriceListItem(
                        price_list=price_list,
                        product=product,
                        min_quantity=1 if qty == 1 else qty * product.min_order_qty,
                        price=max(
                            money_quantize(base * (1 - off - extra)), Decimal("0.01")
                        ),
                    )
                )
        PriceListItem.objects.bulk_create(items, batch_size=2000, ignore_conflicts=True)
    for key, code in TERMS.items():
        if key in companies:
            CompanyPriceTerms.objects.update_or_create(
                company=companies[key], defaults={"price_list": lists[code]}
            )
    zavod = companies.get("zavod")
    if zavod is None or not products:
        return
    contract, _ = Contract.objects.get_or_create(
        company=zavod, number="Z-2026/01", defaults={"currency": public.currency}
    )
    chosen = rng.sample(list(products), min(30, len(products)))
    ContractItem.objects.bulk_create(
        [
            ContractItem(
                contract=contract,
                product=p,
                min_quantity=1,
                price=money_quantize(list_prices[p.pk] * Decimal("0.70")),
            )
            for p in chosen
            if p.pk in list_prices
        ],
        ignore_conflicts=True,
    )
    maker = next((p.manufacturer for p in products if p.manufacturer_id), None)
    if maker is not None:
        DiscountRule.objects.get_or_create(
            company=zavod,
            manufacturer=maker,
            defaults={"base_price_list": public, "percent": Decimal("30.00")},
        )
    if stdout is not None:
        stdout.write(
            f"Prices: {len(LISTS)} wholesale lists, contract {contract.number} "
            f"({len(chosen)} items), discount rule on {maker}.\n"
        )
