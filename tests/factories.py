"""factory_boy factories for the project's models."""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Company, Membership, Role, User
from catalog.models import Manufacturer, Product, ProductClass
from catalog.partner.models import Partner, StockRecord
from catalog.pricing.models import CompanyPriceTerms, PriceList, PriceListItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("s3cret-pass!")
    language = "en"


class StaffFactory(UserFactory):
    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@example.com")


_INNS = [
    "7707083893", "7736207543", "7702070139", "7728168971", "7710140679",
    "7725114488", "7810876806", "5408131553", "6658021579", "7813252159",
    "7704217370", "7740000076", "7705031674", "7703270067", "7825706086",
]  # fmt: skip


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    legal_name = factory.LazyAttribute(lambda o: f"LLC {o.name}")
    country = "RU"
    # KPP varies so that the (country, tax id, kpp) constraint never collides.
    tax_id = factory.Sequence(lambda n: _INNS[n % len(_INNS)])
    kpp = factory.Sequence(lambda n: f"7701{n // len(_INNS) % 100:02d}001")
    status = Company.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.BUYER


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("name",)

    name = "Goods"
    requires_shipping = True
    track_stock = True


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Maker {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    title = factory.Sequence(lambda n: f"Deep groove ball bearing {n}")
    article = factory.Sequence(lambda n: f"ART-{n:06d}")
    product_class = factory.SubFactory(ProductClassFactory)
    structure = Product.STANDALONE
    is_public = True


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Warehouse {n}")
    code = factory.Sequence(lambda n: f"wh{n}")
    lead_time_min_days = 0
    lead_time_max_days = 1


class StockRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockRecord

    product = factory.SubFactory(ProductFactory)
    partner = factory.SubFactory(PartnerFactory)
    partner_sku = factory.LazyAttribute(lambda o: o.product.article)
    num_in_stock = 100
    num_allocated = 0


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Price list {n}")
    code = factory.Sequence(lambda n: f"list-{n}")
    kind = PriceList.Kind.WHOLESALE
    currency = "RUB"


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceListItem

    price_list = factory.SubFactory(PriceListFactory)
    product = factory.SubFactory(ProductFactory)
    min_quantity = 1
    price = Decimal("100.00")


class CompanyPriceTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyPriceTerms

    company = factory.SubFactory(CompanyFactory)
    price_list = factory.SubFactory(PriceListFactory)
