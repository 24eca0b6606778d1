"""Demo order history for `load_demo`, placed only through the basket, checkout,
order-processing and payment services: orders on account and by bank transfer, a
partly back-ordered line, a shipped order with its delivery note, a paid invoice."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from django.db.models import Q
from django.utils import timezone
from oscar.apps.order.processing import EventHandler

from accounts.models import Company, CompanyAddress, Membership, Role
from catalog.models import Lifecycle, Product
from catalog.partner.availability import free_quantity
from catalog.partner.models import StockRecord
from catalog.partner.strategy import CompanyPricing
from catalog.pricing.models import PriceList, PriceListItem
from invoicing.models import CreditAccount
from invoicing.services.credit import credit_balance
from invoicing.services.payments import bank_payment_record
from sales.basket.models import Basket
from sales.basket.services import basket_lines_add, quantity_minimum
from sales.checkout.services import CheckoutDetails, order_place
from sales.order.models import LineAllocation, Order, PaymentMethod

# company key: PO number prefix
PO_PREFIXES = {"stroymontazh": "СМ", "zavod": "УМЗ", "dealer": "ТСД"}
ORDERS_PER_COMPANY = (3, 6)
POOL_SIZE = 8  # the products a company buys again and again
LINE_BUDGET = Decimal("40000")  # at list price, so orders stay within credit limits
COMMENTS = [
    "",
    "Доставить на объект до 16:00, нужен манипулятор.",
    "Отгрузить одной партией, документы передать с водителем.",
    "Самовывоз со склада, доверенность на водителя.",
    "Счёт и УПД на юр. лицо по договору поставки.",
    "",
]
BACKORDER_COMMENT = "Имеющееся отгрузить сразу, недостающее — под заказ."


@dataclass
class PlannedOrder:
    company_key: str
    membership: Membership
    days_ago: int
    payment_method: str
    items: list[tuple[Product, int]]
    po_number: str = ""
    comment: str = ""
    desired_in_days: int | None = None
    ship: bool = False
    process: bool = False
    pay: bool = False
    placed: Order | None = field(default=None, repr=False)


def build_demo_orders(*, rng: Random, companies: dict[str, Company], stdout=None):
    """Three to six orders for each demo company with credit terms, spread over the
    last five months; a company that already has orders is left as it is."""
    keys = [
        key
        for key in PO_PREFIXES
        if key in companies
        and not Order.objects.filter(company=companies[key]).exists()
    ]
    stock = _orderable_stock()
    plans = _plan(rng=rng, companies=companies, keys=keys, stock=stock)
    for plan in sorted(plans, key=lambda p: -p.days_ago):  # numbers follow the dates
        plan.placed = _place(plan)
    plans = [p for p in plans if p.placed is not None]
    for plan in plans:
        _process(plan)
    for plan in plans:
        _backdate(rng, plan)
    if stdout is not None:
        stdout.write(_summary(plans))


# -- choosing -------------------------------------------------------------------------


def _orderable_stock() -> dict[Product, int]:
    """Public, active, list-priced products that a warehouse carries, with their free
    stock over all warehouses (in id order, so choices from it are deterministic).
    Each product carries its public list price (`demo_list_price`) for sizing lines."""
    prices = dict(
        PriceListItem.objects.filter(
            price_list=PriceList.objects.public(), min_quantity=1
        ).values_list("product_id", "price")
    )
    products = (
        Product.objects.filter(is_public=True, pk__in=list(prices))
        .exclude(Q(lifecycle=Lifecycle.DISCONTINUED) | Q(structure=Product.PARENT))
        .order_by("pk")
    )
    by_pk = {}
    for product in products:
        product.demo_list_price = prices[product.pk]
        by_pk[product.pk] = product
    free: dict[int, int] = defaultdict(int)
    carried: set[int] = set()
    for record in StockRecord.objects.filter(product_id__in=list(by_pk)).only(
        "product_id", "num_in_stock", "num_allocated"
    ):
        carried.add(record.product_id)
        free[record.product_id] += free_quantity(record)
    return {by_pk[pk]: free[pk] for pk in sorted(carried)}


def _backorder_item(rng, stock) -> tuple[Product, int] | None:
    """A product with a little free stock and a quantity above it: the line ships
    partly now and the rest is back-ordered."""
    in_stock = [p for p, free in stock.items() if free > 0]
    cheap = [
        p
        for p in in_stock
        if (stock[p] + 3 * quantity_minimum(p)) * p.demo_list_price <= 2 * LINE_BUDGET
    ]
    fewest_packs = sorted(
        cheap or in_stock, key=lambda p: (stock[p] // quantity_minimum(p), p.pk)
    )
    if not fewest_packs:
        return None
    product = rng.choice(fewest_packs[:10])
    step = quantity_minimum(product)
    wanted = stock[product] + step * rng.randint(1, 3)
    quantity = -(-wanted // step) * step
    stock[product] = 0
    return product, quantity


def _items(rng, pool, stock) -> list[tuple[Product, int]]:
    """Two to five lines from the company's usual products, within free stock and of
    a few tens of thousands at list price each (one minimum quantity at least)."""
    available = [p for p in pool if stock[p] >= quantity_minimum(p)]
    items = []
    for product in rng.sample(available, min(len(available), rng.randint(2, 5))):
        step = quantity_minimum(product)
        affordable = int(LINE_BUDGET // (product.demo_list_price * step))
        most = max(1, min(4, stock[product] // step, affordable))
        quantity = step * rng.randint(1, most)
        stock[product] -= quantity
        items.append((product, quantity))
    return items


def _members(company) -> list[Membership]:
    return [
        m
        for m in Membership.objects.active()
        .filter(company=company)
        .select_related("user", "company")
        .order_by("pk")
        if m.can("order")
    ]


def _orderer(rng, members) -> Membership:
    """Mostly the buyers, sometimes an administrator."""
    weights = [3 if m.role == Role.BUYER else 1 for m in members]
    return rng.choices(members, weights=weights)[0]


def _plan(*, rng, companies, keys, stock) -> list[PlannedOrder]:
    backorder = _backorder_item(rng, stock) if "stroymontazh" in keys else None
    plans = []
    for key in keys:
        members = _members(companies[key])
        orderable = [p for p, free in stock.items() if free >= quantity_minimum(p)]
        pool = rng.sample(orderable, min(POOL_SIZE, len(orderable)))
        if not members or not pool:
            continue
        count = rng.randint(*ORDERS_PER_COMPANY)
        methods = [PaymentMethod.BANK_TRANSFER, PaymentMethod.ON_ACCOUNT] * 3
        methods = methods[:count]
        rng.shuffle(methods)
        days = _days_ago(rng, count)
        for i in range(count):
            plans.append(
                PlannedOrder(
                    company_key=key,
                    membership=_orderer(rng, members),
                    days_ago=days[i],
                    payment_method=methods[i],
                    items=_items(rng, pool, stock),
                    po_number=_po_number(rng, key, days[i]),
                    comment=rng.choice(COMMENTS),
                    desired_in_days=rng.choice([None, 5, 7, 10, 14]),
                    ship=i == 0,
                    process=i == 1,
                )
            )
        _roles(key, plans[-count:], backorder)
    return [p for p in plans if p.items]


def _days_ago(rng, count) -> list[int]:
    """The oldest order about five months ago, the second two or three months ago
    (they are shipped and in progress), the rest within the last six weeks."""
    days = [rng.randint(130, 150), rng.randint(60, 90)]
    days += sorted(rng.sample(range(2, 45), count - 2), reverse=True)
    return days[:count]


def _po_number(rng, key, days_ago) -> str:
    if rng.random() < 0.2:
        return ""
    year = (timezone.localdate() - timedelta(days=days_ago)).year
    return f"{PO_PREFIXES[key]}-{year}/{rng.randint(100, 999)}"


def _roles(key, plans, backorder) -> None:
    """Stroymontazh: its oldest order was prepaid by bank transfer (the paid
    invoice) and its newest has the back-ordered line."""
    if key != "stroymontazh":
        return
    oldest, newest = plans[0], plans[-1]
    if oldest.payment_method != PaymentMethod.BANK_TRANSFER:
        other = next(
            p for p in plans if p.payment_method == PaymentMethod.BANK_TRANSFER
        )
        other.payment_method, oldest.payment_method = (
            oldest.payment_method,
            PaymentMethod.BANK_TRANSFER,
        )
    oldest.pay = True
    if backorder is not None:
        newest.items.append(backorder)
        newest.comment = BACKORDER_COMMENT


# -- placing --------------------------------------------------------------------------


def _place(plan: PlannedOrder) -> Order | None:
    membership = plan.membership
    company = membership.company
    strategy = CompanyPricing(company=company)
    basket = Basket.objects.create(owner=membership.user)
    basket.strategy = strategy
    report = basket_lines_add(basket=basket, membership=membership, items=plan.items)
    if not report.lines:  # nothing orderable left for this company
        basket.delete()
        return None
    if plan.payment_method == PaymentMethod.ON_ACCOUNT and not _credit_fits(
        company, basket.total_incl_tax
    ):
        plan.payment_method = PaymentMethod.BANK_TRANSFER
    placed_on = timezone.localdate() - timedelta(days=plan.days_ago)
    details = CheckoutDetails(
        address=CompanyAddress.objects.filter(company=company).first(),
        payment_method=plan.payment_method,
        po_number=plan.po_number,
        comment=plan.comment,
        desired_delivery_date=placed_on + timedelta(days=plan.desired_in_days)
        if plan.desired_in_days
        else None,
    )
    return order_place(
        basket_id=basket.pk,
        strategy=strategy,
        user=membership.user,
        membership=membership,
        details=details,
    ).order


def _credit_fits(company, amount) -> bool:
    account = CreditAccount.objects.filter(company=company).first()
    if account is None or not account.is_active:
        return False
    used = credit_balance(account=account, today=timezone.localdate()).used
    return amount <= account.credit_limit - used


def _process(plan: PlannedOrder) -> None:
    """The prepaid order is paid before it ships; staff move orders along Oscar's
    pipeline (Pending → Processing → Shipped), shipping issues the delivery note."""
    order = plan.placed
    staff = order.company.account_manager
    if plan.pay:
        invoice = order.invoices.get()
        bank_payment_record(
            company=order.company,
            amount=invoice.amount_due,
            received_on=timezone.localdate(),
            reference=f"п/п № {str(order.number)[-4:]}, оплата по счёту {invoice}",
            recorded_by=staff,
            invoice=invoice,
            currency=invoice.currency,
        )
    handler = EventHandler(user=staff)
    if plan.process or plan.ship:
        handler.handle_order_status_change(order, "Processing")
    if plan.ship:
        handler.handle_order_status_change(order, "Shipped")


def _backdate(rng, plan: PlannedOrder) -> None:
    """Spread the history over the months (the documents keep today's dates)."""
    day = timezone.localdate() - timedelta(days=plan.days_ago)
    when = datetime.combine(day, datetime.min.time()).replace(
        hour=rng.randint(9, 17), minute=rng.randint(0, 59)
    )
    Order.objects.filter(pk=plan.placed.pk).update(
        date_placed=timezone.make_aware(when)
    )


def _summary(plans: list[PlannedOrder]) -> str:
    orders = [p.placed for p in plans]
    on_account = sum(1 for p in plans if p.payment_method == PaymentMethod.ON_ACCOUNT)
    backorders = LineAllocation.objects.filter(
        line__order__in=orders, is_backorder=True
    ).count()
    companies = len({p.company_key for p in plans})
    return (
        f"Orders: {len(orders)} for {companies} companies ({on_account} on account, "
        f"{len(orders) - on_account} by bank transfer), {backorders} line partly "
        f"back-ordered, {sum(p.ship for p in plans)} shipped, "
        f"{sum(p.pay for p in plans)} invoice paid."
    )
