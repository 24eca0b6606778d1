"""Demo companies (different segments and terms), their people in every role, staff."""

from datetime import timedelta
from decimal import Decimal
from random import Random

from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation

from accounts import api_tokens, team
from accounts.models import (
    ApiScope,
    ApiToken,
    Company,
    CompanyAddress,
    Industry,
    Membership,
    Role,
    SizeBand,
    User,
)
from accounts.staff import account_manager_add
from invoicing.groups import FINANCE_GROUP

PASSWORD = "demo12345"

COMPANIES = {
    # key: (name, legal name, industry, size, region, status)
    "stroymontazh": (
        "Stroymontazh",
        'ООО "СтройМонтаж"',
        Industry.CONSTRUCTION,
        SizeBand.MEDIUM,
        "Москва",
        Company.Status.APPROVED,
    ),
    "zavod": (
        "Zavod",
        'АО "Уральский механический завод"',
        Industry.MANUFACTURING,
        SizeBand.ENTERPRISE,
        "Свердловская область",
        Company.Status.APPROVED,
    ),
    "dealer": (
        "Dealer",
        'ООО "ТехСнаб-Дилер"',
        Industry.RESELLER,
        SizeBand.SMALL,
        "Новосибирская область",
        Company.Status.APPROVED,
    ),
    "newco": (
        "NewCo",
        'ООО "НьюКо"',
        Industry.SERVICE,
        SizeBand.MICRO,
        "Санкт-Петербург",
        Company.Status.PENDING,
    ),
}

PEOPLE = [
    # e-mail, first, last, [(company key, role)]
    ("admin@stroymontazh.demo", "Ирина", "Ковалёва", [("stroymontazh", Role.ADMIN)]),
    ("buyer@stroymontazh.demo", "Алексей", "Смирнов", [("stroymontazh", Role.BUYER)]),
    ("approver@stroymontazh.demo", "Олег", "Петров", [("stroymontazh", Role.APPROVER)]),
    (
        "accountant@stroymontazh.demo",
        "Марина",
        "Соколова",
        [("stroymontazh", Role.ACCOUNTANT)],
    ),
    ("buyer@zavod.demo", "Дмитрий", "Волков", [("zavod", Role.BUYER)]),
    (
        "buyer@dealer.demo",
        "Сергей",
        "Морозов",
        [("dealer", Role.ADMIN), ("zavod", Role.BUYER)],
    ),
    ("pending@newco.demo", "Анна", "Лебедева", [("newco", Role.ADMIN)]),
]


def inn_for(rng: Random) -> str:
    """A 10-digit INN of a legal entity with a valid check digit."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    digits[0] = rng.randint(1, 9)
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def _user(email, first, last, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        flags = {k: extra.pop(k) for k in ("is_staff", "is_superuser") if k in extra}
        user = User.objects.create_user(
            email=email, password=PASSWORD, first_name=first, last_name=last, **extra
        )
        if flags:
            User.objects.filter(pk=user.pk).update(**flags)
            for key, value in flags.items():
                setattr(user, key, value)
    return user


def build_people(*, rng: Random) -> dict[str, Company]:
    admin = _user("admin@demo.local", "Admin", "Demo", is_staff=True, is_superuser=True)
    manager = _user(
        "manager@demo.local", "Елена", "Орлова", is_staff=True, phone="+7 495 000-00-01"
    )
    account_manager_add(manager)
    finance = _user("finance@demo.local", "Ирина", "Кузнецова", is_staff=True)
    finance.groups.add(Group.objects.get(name=FINANCE_GROUP))
    # The seller's 1C: the exchange at /exchange/1c/ logs in as this staff user.
    exchange = _user("1c@demo.local", "1C", "Обмен", is_staff=True)
    exchange.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="integrations", codename="exchange_commerceml"
        )
    )
    del admin  # created for the logins table; nothing hangs from it
    companies = {}
    for key, (name, legal, industry, size, region, status) in COMPANIES.items():
        company, _ = Company.objects.get_or_create(
            name=name,
            defaults={
                "legal_name": legal,
                "country": "RU",
                "tax_id": inn_for(rng),
                "kpp": f"{rng.randint(1000, 9999)}01001",
                "industry": industry,
                "size_band": size,
                "region": region,
                "status": status,
                "account_manager": manager,
                "approved_at": timezone.now()
                if status == Company.Status.APPROVED
                else None,
                "legal_address": f"{region}, ул. Промышленная, д. {rng.randint(1, 120)}",
                "phone": f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                "email": f"info@{key}.demo",
            },
        )
        CompanyAddress.objects.get_or_create(
            company=company,
            is_default=True,
            defaults={
                "label": "Склад",
                "recipient": legal,
                "city": region.split(",")[0],
                "line1": f"ул. Складская, д. {rng.randint(1, 60)}",
                "postcode": f"{rng.randint(100000, 699999)}",
            },
        )
        companies[key] = company
    for email, first, last, roles in PEOPLE:
        user = _user(email, first, last, language="ru")
        for key, role in roles:
            Membership.objects.get_or_create(
                user=user, company=companies[key], defaults={"role": role}
            )
        if user.last_company_id is None:
            user.last_company = companies[roles[0][0]]
            user.save(update_fields=["last_company"])
    return companies


def build_demo_team(company: Company) -> None:
    """The team page with data: the buyer's limits set by the admin, an accountant
    who left, and a colleague invited but not joined yet (all through the team
    services, so the record of changes shows them). Built after the demo orders,
    which the limits would refuse otherwise."""
    if company.invitations.exists():
        return
    admin = company.memberships.get(user__email="admin@stroymontazh.demo")
    buyer = company.memberships.get(user__email="buyer@stroymontazh.demo")
    team.member_limits_set(
        membership=admin,
        member_id=buyer.pk,
        per_order=Decimal("150000.00"),
        per_month=Decimal("500000.00"),
    )
    former = Membership.objects.create(
        user=_user("former@stroymontazh.demo", "Марина", "Зайцева", language="ru"),
        company=company,
        role=Role.ACCOUNTANT,
    )
    team.member_active_set(membership=admin, member_id=former.pk, active=False)
    with translation.override("ru"):
        team.invitation_create(
            membership=admin,
            email="snab@stroymontazh.demo",
            role=Role.BUYER,
            base_url="http://127.0.0.1:8000/",
        )
    # API tokens (/cabinet/api-tokens/): the warehouse ERP orders as the buyer; an
    # old reporting token was revoked. Their keys were shown once and are gone.
    erp, _key = api_tokens.api_token_create(
        membership=admin,
        name="1С:ERP — склад",
        member_id=buyer.pk,
        scopes=[ApiScope.ORDER],
    )
    ApiToken.objects.filter(pk=erp.pk).update(
        last_used_at=timezone.now() - timedelta(hours=3)
    )
    old, _key = api_tokens.api_token_create(
        membership=admin, name="Отчёты BI", member_id=admin.pk, scopes=[]
    )
    api_tokens.api_token_revoke(membership=admin, pk=old.pk)
