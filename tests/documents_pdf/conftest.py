"""Documents of every kind for the layout tests: a seller with bank details, a buyer
company with Russian details, invoices with a long article and a long name, a
shipped order with its invoice, payment and delivery note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from invoicing.models import DeliveryNote
from invoicing.services.delivery import delivery_note_issue
from invoicing.services.invoices import invoice_issue
from invoicing.services.payments import bank_payment_record
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.invoicing.factories import SellerEntityFactory, draft_line, invoice_make

LONG_ARTICLE = "SKF-6204-2RSH-C3-GJN-VT162-HT51-XL4-ABCD"  # 40 characters
LONG_TITLE = (
    "Подшипник шариковый радиальный однорядный с двусторонним уплотнением и "
    "защитными шайбами из нержавеющей стали, увеличенный радиальный зазор C3, "
    "пластичная смазка для высоких температур, класс точности P6"
)[:200]
assert len(LONG_ARTICLE) == 40 and " " not in LONG_ARTICLE
assert len(LONG_TITLE) == 200


@pytest.fixture(autouse=True)
def _media_and_no_pdf_on_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def seller(db):
    return SellerEntityFactory(phone="+7 495 123-45-67")


@pytest.fixture
def ru_company(db):
    return CompanyFactory(
        legal_name="ООО «Механика Сервис»",
        tax_id="7736207543",
        kpp="773601001",
        legal_address="117342, Москва, ул. Профсоюзная, д. 65, корп. 1, офис 402",
    )


def sample_lines():
    """Five lines: one with the 40-character article and the 200-character name,
    a large amount (2 342,74 at 1 000 pcs), a zero-rated one."""
    return [
        draft_line(
            title=LONG_TITLE, article=LONG_ARTICLE, quantity=12, price="2342.74"
        ),
        draft_line(
            title="Ремень клиновой SPZ 1250",
            article="SPZ-1250",
            quantity=4,
            price="815.30",
        ),
        draft_line(
            title="Смазка Mobil XHP 222, 400 г",
            article="XHP222-04",
            quantity=1000,
            price="1234.56",
        ),
        draft_line(
            title="Манжета армированная 45×62×8",
            article="TC-45628",
            quantity=7,
            price="96.10",
        ),
        draft_line(
            title="Услуга доставки", article="", quantity=1, price="1500.00", vat="0"
        ),
    ]


@pytest.fixture
def invoice_ru(seller, ru_company):
    return invoice_make(
        company=ru_company, lines=sample_lines(), issued_by=UserFactory(language="ru")
    )


@pytest.fixture
def invoice_en(seller, db):
    foreign = CompanyFactory(
        legal_name="Nordic Bearings AB",
        country="SE",
        tax_id="SE556677889901",
        kpp="",
        legal_address="Industrigatan 4, 211 20 Malmö, Sweden",
    )
    return invoice_make(
        company=foreign, lines=sample_lines(), issued_by=UserFactory(language="en")
    )


@pytest.fixture
def shipped(seller, ru_company):
    """A shipped order of the Russian buyer, invoiced and paid, with its note."""
    user = MembershipFactory(company=ru_company, role="buyer", user__language="ru").user
    products = [
        priced_product(article=LONG_ARTICLE, title=LONG_TITLE, slug="long-bearing"),
        priced_product(article="SPZ-1250", title="Ремень клиновой SPZ 1250"),
        priced_product(article="XHP222-04", title="Смазка Mobil XHP 222, 400 г"),
    ]
    order = order_make(
        company=ru_company,
        user=user,
        lines=[
            (products[0], 12, "2342.74"),
            (products[1], 4, "815.30"),
            (products[2], 1000, "1234.56"),
        ],
        po_number="ZK-2026-118",
    )
    membership = user.memberships.get()
    invoice = invoice_issue(order=order, membership=membership)
    bank_payment_record(
        company=ru_company,
        amount=invoice.total_incl_vat,
        received_on=timezone.localdate() - timedelta(days=1),
        reference="ПП 4711",
        recorded_by=None,
        invoice=invoice,
    )
    note = delivery_note_issue(order=order)
    return DeliveryNote.objects.select_related("order", "seller").get(pk=note.pk)


@pytest.fixture
def many_lines_invoice(seller, ru_company):
    """80 lines whose names wrap over two or three lines, so page breaks fall
    where a row could split."""
    lines = [
        draft_line(
            title=f"Alpha{i:03d} подшипник роликовый конический с увеличенной "
            f"грузоподъёмностью, серия {i} Omega{i:03d}",
            article=f"ROW-{i:03d}",
            quantity=i,
            price=f"{100 + i}.{i % 100:02d}",
        )
        for i in range(1, 81)
    ]
    return invoice_make(
        company=ru_company, lines=lines, issued_by=UserFactory(language="ru")
    )
