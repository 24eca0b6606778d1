"""A requisition as checkout leaves it: a frozen basket, its lines as submitted and
the first event of its thread, priced by the company's own strategy."""

from catalog.partner.strategy import CompanyPricing
from sales.basket.models import Basket
from sales.checkout.models import Requisition, RequisitionEvent
from sales.checkout.requisitions import snapshot_lines
from sales.checkout.services import basket_total
from sales.order.models import PaymentMethod


def requisition_make(*, company, user, product, address, quantity=1, number=None):
    basket = Basket.objects.create(owner=user)
    basket.strategy = CompanyPricing(company=company)
    basket.add_product(product, quantity)
    basket.freeze()
    total = basket_total(basket)
    requisition = Requisition.objects.create(
        company=company,
        number=number or f"R-T{basket.pk}",
        created_by=user,
        basket=basket,
        reasons=[{"rule": "amount", "text": "Orders above 1.00 RUB need approval."}],
        currency=basket.currency,
        total_excl_tax=total.excl_tax,
        total_incl_tax=total.incl_tax,
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
        po_number="PO-REQ",
    )
    snapshot_lines(requisition, basket)
    RequisitionEvent.objects.create(
        requisition=requisition, actor=user, kind=RequisitionEvent.Kind.SUBMITTED
    )
    return requisition
