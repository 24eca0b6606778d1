"""Credit accounts: the balance on account and the check an order on account passes."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from core.money import ZERO, money_quantize
from invoicing.exceptions import CreditRefused
from invoicing.models import CreditAccount, Invoice
from sales.order.models import PaymentMethod


@dataclass(frozen=True)
class CreditBalance:
    used: Decimal
    overdue: Decimal
    overdue_beyond_grace: Decimal


def credit_balance(*, account: CreditAccount, today: date) -> CreditBalance:
    """Unpaid amounts of the company's open invoices on account."""
    open_invoices = Invoice.objects.open().filter(
        company_id=account.company_id, payment_method=PaymentMethod.ON_ACCOUNT
    )
    due = F("total_incl_vat") - F("amount_paid")
    grace_start = today - timedelta(days=account.grace_days)
    sums = open_invoices.aggregate(
        used=Sum(due),
        overdue=Sum(due, filter=Q(due_date__lt=today)),
        beyond=Sum(due, filter=Q(due_date__lt=grace_start)),
    )
    used, overdue, beyond = (sums[k] or ZERO for k in ("used", "overdue", "beyond"))
    return CreditBalance(
        used=money_quantize(used),
        overdue=money_quantize(overdue),
        overdue_beyond_grace=money_quantize(beyond),
    )


def credit_account_lock(*, company) -> CreditAccount:
    """The company's credit account, row-locked until the transaction ends, so two
    orders on account are checked one after the other; refuses when there is none."""
    account = CreditAccount.objects.select_for_update().filter(company=company).first()
    if account is None or not account.is_active:
        raise CreditRefused(_("Your company has no deferred payment terms."))
    return account


def credit_check(
    *, account: CreditAccount, amount: Decimal, currency: str, today: date
):
    """Refuse an order on account that would exceed the limit or follows an invoice
    overdue beyond the grace days. Call with the account locked."""
    if currency != account.currency:
        raise CreditRefused(
            _("The credit limit is in %(currency)s.") % {"currency": account.currency}
        )
    balance = credit_balance(account=account, today=today)
    if balance.overdue_beyond_grace > 0:
        raise CreditRefused(
            _(
                "An invoice of your company is overdue (%(amount)s %(currency)s). "
                "Please pay it before ordering on account."
            )
            % {"amount": balance.overdue_beyond_grace, "currency": account.currency}
        )
    available = account.credit_limit - balance.used
    if amount > available:
        raise CreditRefused(
            _(
                "The order (%(amount)s %(currency)s) exceeds your available credit "
                "(%(available)s %(currency)s). Choose prepayment or card."
            )
            % {
                "amount": amount,
                "available": max(available, ZERO),
                "currency": account.currency,
            }
        )
