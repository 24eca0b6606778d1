"""Demo seller details and credit accounts for `load_demo`."""

from decimal import Decimal

from invoicing.models import CreditAccount, SellerEntity

SELLER = {
    "legal_name": "ООО «Промснаб»",
    "tax_id": "7701234567",
    "kpp": "770101001",
    "legal_address": "123112, г. Москва, Пресненская наб., д. 10, офис 501",
    "phone": "+7 495 000-00-00",
    "bank_name": "ПАО Сбербанк, г. Москва",
    "bank_bik": "044525225",
    "bank_account": "40702810938000012345",
    "bank_corr_account": "30101810400000000225",
    "director": "Смирнов А. В.",
    "chief_accountant": "Кузнецова О. П.",
}

# company key: credit limit, net days, grace days
CREDIT = {
    "stroymontazh": (Decimal("500000.00"), 14, 3),
    "zavod": (Decimal("3000000.00"), 45, 5),
    "dealer": (Decimal("1200000.00"), 30, 5),
}


def build_demo_invoicing(*, rng, companies, stdout=None) -> None:
    """The seller with its bank details and deferred-payment terms for three
    demo companies (deterministic: `rng` is not needed)."""
    SellerEntity.objects.update_or_create(
        is_default=True, defaults={**SELLER, "is_default": True}
    )
    made = 0
    for key, (limit, days, grace) in CREDIT.items():
        company = companies.get(key)
        if company is None:
            continue
        CreditAccount.objects.update_or_create(
            company=company,
            defaults={
                "credit_limit": limit,
                "payment_terms_days": days,
                "grace_days": grace,
                "currency": "RUB",
            },
        )
        made += 1
    if stdout is not None:
        stdout.write(f"Invoicing: seller details, {made} credit accounts.")
