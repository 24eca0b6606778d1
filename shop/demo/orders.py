"""Demo order history for `load_demo`, placed only through the basket, checkout,
order-processing and payment services: orders on account and by bank transfer, a
partly back-ordered line, a shipped order with its delivery note, and Stroymontazh's
invoices in every state (paid, partly paid, overdue, awaiting payment)."""

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
from invoicing.demo import (
    demo_invoice_dated,
    demo_invoice_part_pay,
    demo_invoices_summary,
)
from invoicing.models import CreditAccount
from invoicing.services.credit import credit_balance
from invoicing.services.overdue import invoices_mark_overdue
from invoicing.services.payments import bank_payment_record
from sales.basket.models import Basket
from sales.basket.services import basket_lines_add, quantity_minimum
from sales.checkout.services import CheckoutDetails, order_place
from sales.order.models import LineAllocation, Order, PaymentMethod

# company key: PO number prefix
PO_PREFIXES = {"stroymontazh": "СМ", "zavod": "УМЗ", "dealer": "ТСД"}
ORDERS_PER_COMPANY = (3, 6)
# Stroymontazh's invoices are one of each state (paid, partly paid, overdue) and at
# least one awaiting payment, not yet due.
MAIN_ORDERS = (4, 6)
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
# The unpaid prepaid order is at least this old, so its invoice (due in
# INVOICING_PREPAYMENT_DAYS) is clearly past its due date.
OVERDUE_MIN_DAYS_AGO = 12


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
    overdue: bool = False  # by bank transfer and never paid: its invoice is overdue
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
    _invoice_states(plans)
    if stdout is not None:
        stdout.write(_summary(plans))
        if "stroymontazh" in keys:
            stdout.write(demo_invoices_summary(company=companies["stroymontazh"]))


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
        count = rng.randint(
            *(MAIN_ORDERS if key == "stroymontazh" else ORDERS_PER_COMPANY)
        )
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
        _roles(rng, key, plans[-count:], backorder)
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


def _roles(rng, key, plans, backorder) -> None:
    """Stroymontazh: its oldest order was prepaid by bank transfer (the paid
    invoice), the oldest of its recent ones is by bank transfer and was never paid
    (the overdue invoice), and its newest has the back-ordered line."""
    if key != "stroymontazh":
        return
    oldest, newest = plans[0], plans[-1]
    _bank_transfer(oldest, plans)
    oldest.pay = True
    if len(plans) > 2:
        unpaid = plans[2]  # the oldest of the last six weeks
        if unpaid.days_ago < OVERDUE_MIN_DAYS_AGO:  # moved back, still the oldest
            unpaid.days_ago = rng.randint(OVERDUE_MIN_DAYS_AGO, 44)
        _bank_transfer(unpaid, plans[1:])
        unpaid.overdue = True
    if backorder is not None:
        newest.items.append(backorder)
        newest.comment = BACKORDER_COMMENT


def _bank_transfer(plan, others) -> None:
    """Make `plan` one by bank transfer, swapping methods with another of `others`
    that is, so the mix of methods stays."""
    if plan.payment_method == PaymentMethod.BANK_TRANSFER:
        return
    other = next(
        (
            p
            for p in others
            if p is not plan and p.payment_method == PaymentMethod.BANK_TRANSFER
        ),
        None,
    )
    if other is not None:
        other.payment_method = plan.payment_method
    plan.payment_method = PaymentMethod.BANK_TRANSFER


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
    plan.placed.date_placed = timezone.make_aware(when)
    Order.objects.filter(pk=plan.placed.pk).update(date_placed=plan.placed.date_placed)


def _invoice_states(plans: list[PlannedOrder]) -> None:
    """Besides the paid invoice: the never-paid prepaid order's invoice dated as
    issued with its order, so its due date has passed and the daily overdue run
    (`invoices_mark_overdue`, what the scheduler calls) marks it overdue; and a part
    payment on the oldest other invoice on account. The rest await payment."""
    today = timezone.localdate()
    for plan in plans:
        if plan.overdue:
            demo_invoice_dated(
                invoice=plan.placed.invoices.get(), issued_at=plan.placed.date_placed
            )
    part = next(
        (
            p
            for p in plans
            if p.company_key == "stroymontazh"
            and not (p.pay or p.overdue)
            and p.placed.payment_method == PaymentMethod.ON_ACCOUNT
        ),
        None,
    )
    if part is not None:
        demo_invoice_part_pay(
            invoice=part.placed.invoices.get(),
            recorded_by=part.placed.company.account_manager,
            received_on=today,
        )
    invoices_mark_overdue(today=today)


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
