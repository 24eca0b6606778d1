"""Demo approval rules and requisitions for `load_demo`, through the same services
checkout and the approvals pages use: the company's rules set by its administrator,
a requisition waiting for approver@stroymontazh.demo, one sent back for changes,
one approved (its order placed) and one rejected, each with its thread."""

from decimal import Decimal

from django.utils import translation

from accounts.models import Company, CompanyAddress
from catalog.models import Lifecycle, Product
from catalog.partner.strategy import CompanyPricing
from catalog.pricing.models import PriceList, PriceListItem
from sales.basket.models import Basket
from sales.basket.services import basket_lines_add
from sales.checkout import approvals
from sales.checkout.models import Requisition
from sales.checkout.rules import policy_update
from sales.checkout.services import CheckoutDetails, order_place
from sales.order.models import PaymentMethod

COMPANY_WIDE = Decimal("300000.00")
TWO_APPROVALS = Decimal("1000000.00")
# (target total at list price, PO, delivery comment, what happens, thread)
PLANNED = [
    (
        Decimal("190000"),
        "СМ-З-101",
        "Объект «Южный», корпус 2: кабель и автоматы на этаж 5.",
        "approve",
        [
            ("buyer", "comment", "Нужно до конца недели, монтажники уже на объекте."),
            ("approver", "approve", "Согласовано в рамках сметы по корпусу 2."),
        ],
    ),
    (
        Decimal("240000"),
        "СМ-З-102",
        "Запас на склад участка.",
        "reject",
        [("approver", "reject", "Склад участка заполнен, закажем в следующем месяце.")],
    ),
    (
        Decimal("175000"),
        "СМ-З-103",
        "Щитовая, секция Б.",
        "changes",
        [
            (
                "approver",
                "changes",
                "Уберите вторую позицию — она есть на складе участка, и пришлите снова.",
            )
        ],
    ),
    (
        Decimal("210000"),
        "СМ-З-104",
        "Освещение паркинга, 2-я очередь.",
        "pending",
        [("buyer", "comment", "Цены по договору, сроки поставки уточнил у менеджера.")],
    ),
]


def build_demo_approvals(company: Company, stdout=None) -> None:
    """Rules and requisitions for the company (once: a company that has
    requisitions is left as it is). Built after the team: the buyer's limit of
    150,000 per order is what sends these requisitions for approval."""
    if Requisition.objects.filter(company=company).exists():
        return
    people = {
        m.user.email.split("@")[0]: m
        for m in company.memberships.filter(is_active=True).select_related("user")
    }
    admin, buyer = people["admin"], people["buyer"]
    policy_update(
        membership=admin,
        over_limits=True,
        roles=[],
        amount_above=COMPANY_WIDE,
        second_level_above=TWO_APPROVALS,
    )
    address = CompanyAddress.objects.filter(company=company).order_by("pk").first()
    products = _products(company)
    made = []
    with translation.override("ru"):
        for offset, (target, po, comment, outcome, thread) in enumerate(PLANNED):
            requisition = _submit(
                buyer,
                address,
                products[offset * 3 : offset * 3 + 3],
                target,
                po,
                comment,
            )
            if requisition is None:
                continue
            for who, action, text in thread:
                _act(people[who], requisition, action, text)
            made.append((requisition.number, outcome))
    if stdout is not None:
        stdout.write(
            "Requisitions: "
            + ", ".join(f"{number} ({outcome})" for number, outcome in made)
            + "\n"
        )


def _products(company) -> list[Product]:
    """Public, active products with a list price, dearest first (few lines reach
    the amounts)."""
    prices = dict(
        PriceListItem.objects.filter(
            price_list=PriceList.objects.public(), min_quantity=1
        ).values_list("product_id", "price")
    )
    found = list(
        Product.objects.filter(pk__in=list(prices), is_public=True)
        .exclude(lifecycle=Lifecycle.DISCONTINUED)
        .exclude(structure=Product.PARENT)
        .filter(stockrecords__isnull=False)
        .distinct()
        .order_by("pk")[:400]
    )
    for product in found:
        product.demo_list_price = prices[product.pk]
    return sorted(found, key=lambda p: -p.demo_list_price)[:12]


def _submit(buyer, address, products, target, po, comment):
    if not products:
        return None
    share = target / len(products)
    items = [(p, max(1, int(share / p.demo_list_price))) for p in products]
    strategy = CompanyPricing(company=buyer.company)
    basket = Basket.objects.create(owner=buyer.user)
    basket.strategy = strategy
    basket_lines_add(basket=basket, membership=buyer, items=items)
    placed = order_place(
        basket_id=basket.pk,
        strategy=strategy,
        user=buyer.user,
        membership=buyer,
        details=CheckoutDetails(
            address=address,
            payment_method=PaymentMethod.BANK_TRANSFER,
            po_number=po,
            comment=comment,
        ),
    )
    if placed.requisition is None:  # within the buyer's limits: an order
        return None
    return placed.requisition


def _act(membership, requisition, action, text) -> None:
    number = requisition.number
    if action == "comment":
        approvals.requisition_comment(membership=membership, number=number, text=text)
    elif action == "changes":
        approvals.requisition_request_changes(
            membership=membership, number=number, text=text
        )
    elif action == "reject":
        approvals.requisition_reject(membership=membership, number=number, reason=text)
    elif action == "approve":
        approvals.requisition_approve(
            membership=membership,
            number=number,
            strategy=CompanyPricing(company=membership.company),
            comment=text,
        )
