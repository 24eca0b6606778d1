"""Writes to price lists, company terms, contracts and discount rules, with the checks
that keep a buyer's price unambiguous (one currency, no overlapping periods)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Company
from catalog.models import Category, Manufacturer, Product
from catalog.pricing.models import (
    CompanyPriceTerms,
    Contract,
    ContractItem,
    DiscountRule,
    PriceList,
    PriceListItem,
)

PRICE_LIST_FIELDS = ("name", "code", "kind", "currency", "valid_from", "valid_to")
CONTRACT_FIELDS = ("number", "currency", "valid_from", "valid_to", "is_active")


def _check_period(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError(
            _("'Valid to' (%(to)s) is before 'valid from' (%(from)s).")
            % {"to": valid_to, "from": valid_from}
        )


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return (a_from is None or b_to is None or a_from <= b_to) and (
        b_from is None or a_to is None or b_from <= a_to
    )


def _period_label(valid_from, valid_to) -> str:
    return f"{valid_from or '…'} – {valid_to or '…'}"


def check_price(*, price: Decimal, min_quantity: int) -> None:
    """A price is positive and a break starts at 1 unit or more."""
    if price is None or price <= 0:
        raise ValidationError(_("The price must be greater than zero."))
    if price.as_tuple().exponent < -2 or price >= Decimal("1e12"):
        raise ValidationError(_("The price must have at most 2 decimal places."))
    if min_quantity is None or min_quantity < 1:
        raise ValidationError(_("A quantity break starts at 1 unit or more."))


def company_currencies(*, company: Company, exclude=None) -> dict[str, str]:
    """The currencies a company already buys in: {currency: where it comes from}."""
    found: dict[str, str] = {}
    public = PriceList.objects.public()
    if public is not None:
        found.setdefault(public.currency, str(public))
    sources = [
        *CompanyPriceTerms.objects.filter(company=company).select_related("price_list"),
        *Contract.objects.filter(company=company),
        *DiscountRule.objects.filter(company=company).select_related("base_price_list"),
    ]
    for source in sources:
        if source == exclude:
            continue
        if isinstance(source, Contract):
            found.setdefault(source.currency, _("contract %s") % source.number)
        else:
            price_list = getattr(source, "price_list", None) or source.base_price_list
            found.setdefault(price_list.currency, str(price_list))
    return found


def _check_currency(*, company: Company, currency: str, exclude=None) -> None:
    found = company_currencies(company=company, exclude=exclude)
    others = {c: where for c, where in found.items() if c != currency}
    if others:
        currency_other, where = next(iter(others.items()))
        raise ValidationError(
            _(
                "%(company)s buys in %(other)s (%(where)s); prices in %(currency)s "
                "would mix currencies in one basket."
            )
            % {
                "company": company,
                "other": currency_other,
                "where": where,
                "currency": currency,
            }
        )


def _lock_company(company: Company) -> Company:
    # Serialises period checks of one company (check-then-insert under a row lock).
    return Company.objects.select_for_update().get(pk=company.pk)


# -- price lists ----------------------------------------------------------------------


def price_list_create(
    *,
    name: str,
    code: str,
    currency: str,
    kind: str = PriceList.Kind.WHOLESALE,
    valid_from: date | None = None,
    valid_to: date | None = None,
    is_active: bool = True,
) -> PriceList:
    _check_period(valid_from, valid_to)
    if kind == PriceList.Kind.LIST and PriceList.objects.public() is not None:
        raise ValidationError(_("There is already a public list price list."))
    if PriceList.objects.filter(code=code).exists():
        raise ValidationError(
            _("A price list with code %(code)s exists.") % {"code": code}
        )
    return PriceList.objects.create(
        name=name,
        code=code,
        kind=kind,
        currency=currency.upper(),
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
    )


def price_list_update(*, price_list: PriceList, **fields) -> PriceList:
    unknown = set(fields) - {*PRICE_LIST_FIELDS, "is_active"}
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    _check_period(
        fields.get("valid_from", price_list.valid_from),
        fields.get("valid_to", price_list.valid_to),
    )
    currency = fields.get("currency", price_list.currency).upper()
    if currency != price_list.currency and _price_list_in_use(price_list):
        raise ValidationError(
            _(
                "%(list)s is in use (the public list, or assigned to companies): "
                "its currency cannot change."
            )
            % {"list": price_list}
        )
    kind = fields.get("kind", price_list.kind)
    public = PriceList.objects.public() if kind == PriceList.Kind.LIST else None
    if public is not None and public.pk != price_list.pk:
        raise ValidationError(_("There is already a public list price list."))
    for name, value in fields.items():
        setattr(price_list, name, value)
    price_list.currency = currency
    price_list.save()
    return price_list


def _price_list_in_use(price_list: PriceList) -> bool:
    return (
        price_list.kind == PriceList.Kind.LIST
        or CompanyPriceTerms.objects.filter(price_list=price_list).exists()
        or DiscountRule.objects.filter(base_price_list=price_list).exists()
    )


def price_list_item_set(
    *, price_list: PriceList, product: Product, min_quantity: int, price: Decimal
) -> PriceListItem:
    """Create or change the price of one quantity break."""
    check_price(price=price, min_quantity=min_quantity)
    item, _created = PriceListItem.objects.update_or_create(
        price_list=price_list,
        product=product,
        min_quantity=min_quantity,
        defaults={"price": price},
    )
    return item


def price_list_item_delete(*, price_list: PriceList, item_id: int) -> None:
    PriceListItem.objects.filter(price_list=price_list, pk=item_id).delete()


# -- company terms ----------------------------------------------------------------


@transaction.atomic
def company_terms_assign(
    *,
    company: Company,
    price_list: PriceList,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> CompanyPriceTerms:
    """Give a company a base price list for a period that overlaps none of its
    other periods."""
    _check_period(valid_from, valid_to)
    if price_list.kind == PriceList.Kind.LIST:
        raise ValidationError(
            _("Everyone buys from the public list already; choose a wholesale list.")
        )
    company = _lock_company(company)
    for terms in CompanyPriceTerms.objects.filter(company=company).select_related(
        "price_list"
    ):
        if _overlaps(valid_from, valid_to, terms.valid_from, terms.valid_to):
            raise ValidationError(
                _(
                    "This period overlaps %(list)s (%(period)s) assigned to "
                    "%(company)s; end that one first."
                )
                % {
                    "list": terms.price_list,
                    "period": _period_label(terms.valid_from, terms.valid_to),
                    "company": company,
                }
            )
    _check_currency(company=company, currency=price_list.currency)
    return CompanyPriceTerms.objects.create(
        company=company, price_list=price_list, valid_from=valid_from, valid_to=valid_to
    )


def company_terms_delete(*, company: Company, terms_id: int) -> None:
    CompanyPriceTerms.objects.filter(company=company, pk=terms_id).delete()


# -- contracts ----------------------------------------------------------------------


def _check_contract_periods(*, company, contract, valid_from, valid_to, is_active):
    if not is_active:
        return
    others = Contract.objects.filter(company=company, is_active=True)
    if contract is not None:
        others = others.exclude(pk=contract.pk)
    for other in others:
        if _overlaps(valid_from, valid_to, other.valid_from, other.valid_to):
            raise ValidationError(
                _(
                    "This period overlaps contract %(number)s (%(period)s) of "
                    "%(company)s: which contract prices apply would be ambiguous."
                )
                % {
                    "number": other.number,
                    "period": _period_label(other.valid_from, other.valid_to),
                    "company": company,
                }
            )


@transaction.atomic
def contract_create(
    *,
    company: Company,
    number: str,
    currency: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    is_active: bool = True,
) -> Contract:
    _check_period(valid_from, valid_to)
    company = _lock_company(company)
    if Contract.objects.filter(company=company, number=number).exists():
        raise ValidationError(
            _("%(company)s already has contract %(number)s.")
            % {"company": company, "number": number}
        )
    _check_contract_periods(
        company=company,
        contract=None,
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
    )
    _check_currency(company=company, currency=currency.upper())
    return Contract.objects.create(
        company=company,
        number=number,
        currency=currency.upper(),
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
    )


@transaction.atomic
def contract_update(*, contract: Contract, **fields) -> Contract:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    merged = {
        name: fields.get(name, getattr(contract, name)) for name in CONTRACT_FIELDS
    }
    merged["currency"] = merged["currency"].upper()
    _check_period(merged["valid_from"], merged["valid_to"])
    company = _lock_company(contract.company)
    if (
        Contract.objects.filter(company=company, number=merged["number"])
        .exclude(pk=contract.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(company)s already has contract %(number)s.")
            % {"company": company, "number": merged["number"]}
        )
    _check_contract_periods(
        company=company,
        contract=contract,
        valid_from=merged["valid_from"],
        valid_to=merged["valid_to"],
        is_active=merged["is_active"],
    )
    _check_currency(company=company, currency=merged["currency"], exclude=contract)
    for name, value in merged.items():
        setattr(contract, name, value)
    contract.save()
    return contract


def contract_item_set(
    *, contract: Contract, product: Product, min_quantity: int, price: Decimal
) -> ContractItem:
    check_price(price=price, min_quantity=min_quantity)
    item, _created = ContractItem.objects.update_or_create(
        contract=contract,
        product=product,
        min_quantity=min_quantity,
        defaults={"price": price},
    )
    return item


def contract_item_delete(*, contract: Contract, item_id: int) -> None:
    ContractItem.objects.filter(contract=contract, pk=item_id).delete()


# -- discount rules -------------------------------------------------------------------


def discount_rule_create(
    *,
    company: Company,
    base_price_list: PriceList,
    percent: Decimal,
    category: Category | None = None,
    manufacturer: Manufacturer | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> DiscountRule:
    _check_period(valid_from, valid_to)
    if category is None and manufacturer is None:
        raise ValidationError(_("Choose a category, a manufacturer or both."))
    if percent is None or not (Decimal(0) < percent < Decimal(100)):
        raise ValidationError(_("The discount must be between 0 and 100 percent."))
    _check_currency(company=company, currency=base_price_list.currency)
    try:
        return DiscountRule.objects.create(
            company=company,
            base_price_list=base_price_list,
            percent=percent,
            category=category,
            manufacturer=manufacturer,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    except IntegrityError as exc:  # a race past the checks above
        raise ValidationError(_("This discount rule cannot be saved.")) from exc


def discount_rule_delete(*, company: Company, rule_id: int) -> None:
    DiscountRule.objects.filter(company=company, pk=rule_id).delete()
