"""Which company a lead belongs to: the registered person's, else the company with
the lead's INN, else the one company whose people write from the lead's e-mail
domain — never a public mail service's domain, where a domain says nothing."""

import re

from django.db.models import CharField, F, Func, QuerySet, Value

from accounts.models import Company, Membership

# Mail services anyone can sign up to: the same domain means nothing about the company.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "internet.ru",
        "yandex.ru",
        "yandex.com",
        "yandex.by",
        "yandex.kz",
        "ya.ru",
        "rambler.ru",
        "lenta.ru",
        "autorambler.ru",
        "ro.ru",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "yahoo.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "zoho.com",
        "qip.ru",
        "ukr.net",
    }
)

# What people put between the digits of a phone number (`phone_normalize` allows
# these and "+"); removed to compare numbers.
_PHONE_SEPARATORS = (" ", "-", "(", ")", ".", "+")


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[1].lower() if "@" in email else ""


def domain_is_public(domain: str) -> bool:
    return domain in PUBLIC_MAIL_DOMAINS


def phone_digits_variants(phone: str) -> set[str]:
    """The digit strings one Russian number is written as: +7 …, 8 … or the ten
    digits alone are one number; any other number is its digits."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return set()
    if len(digits) == 11 and digits[0] in "78":
        rest = digits[1:]
        return {"7" + rest, "8" + rest, rest}
    if len(digits) == 10:
        return {digits, "7" + digits, "8" + digits}
    return {digits}


def phone_digits_expression(field: str = "phone") -> Func:
    """The column's digits only, in SQL (the same on PostgreSQL and SQLite)."""
    expression = F(field)
    for separator in _PHONE_SEPARATORS:
        expression = Func(
            expression,
            Value(separator),
            Value(""),
            function="REPLACE",
            output_field=CharField(),
        )
    return expression


def _companies_by_inn(inn: str) -> QuerySet[Company]:
    return Company.objects.filter(country="RU", tax_id=inn)


def company_for_inn(inn: str) -> Company | None:
    """The company with this INN; of a company's branches (one INN, several KPP)
    the approved one registered first."""
    if not inn:
        return None
    companies = _companies_by_inn(inn).order_by("created_at", "pk")
    return companies.filter(status=Company.Status.APPROVED).first() or companies.first()


def company_for_email_domain(email: str) -> Company | None:
    """The one company whose active members write from the e-mail's domain; none
    for a public mail service or when several companies share the domain."""
    domain = email_domain(email)
    if not domain or domain_is_public(domain):
        return None
    company_ids = list(
        Membership.objects.filter(is_active=True, user__email__iendswith=f"@{domain}")
        .values_list("company_id", flat=True)
        .distinct()[:2]
    )
    if len(company_ids) != 1:
        return None
    return Company.objects.filter(pk=company_ids[0]).first()


def company_match(*, email: str = "", inn: str = "") -> Company | None:
    """By INN first (it names the legal entity), else by the e-mail's domain."""
    return company_for_inn(inn) or company_for_email_domain(email)
