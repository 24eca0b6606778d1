"""Demo product certificates for `load_demo`: a declaration of conformity or a
certificate for a few products the demo companies have bought (one of them
expired), rendered as small PDFs by the documents' own WeasyPrint renderer and
attached through `catalog.certificates`, so the demo buyer's document archive
shows every kind of document."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Company, User
from catalog.certificates import product_certificate_add
from catalog.models import Product, ProductCertificate
from invoicing.pdf.render import pdf_render
from sales.order.models import Line

KINDS = (
    ("Декларация о соответствии ЕАЭС", "ЕАЭС N RU Д-RU.РА01.В.{n:05d}/26", 700),
    ("Сертификат соответствия", "РОСС RU.АГ17.Н{n:05d}", 365),
    ("Протокол испытаний", "ПИ-{n:04d}-26", -30),  # expired a month ago
)
STANDARD = "ТР ТС 004/2011, ТР ТС 020/2011"


def _products(companies) -> list[Product]:
    """Products each company bought: three of the first company's, one of every
    other's (so every demo archive has certificates)."""
    chosen: list[int] = []
    for index, company in enumerate(companies):
        bought = (
            Line.objects.filter(order__company=company, product__isnull=False)
            .exclude(product_id__in=chosen)
            .order_by("product_id")
            .values_list("product_id", flat=True)
            .distinct()
        )
        chosen += list(bought[: 3 if index == 0 else 1])
    products = Product.objects.in_bulk(chosen)
    return [products[pk] for pk in chosen]


def build_demo_certificates(*, companies: dict[str, Company], stdout=None) -> int:
    """Attach the demo certificates once (nothing when some exist already)."""
    if ProductCertificate.objects.exists():
        return 0
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    today = timezone.localdate()
    made = 0
    for n, product in enumerate(_products(list(companies.values())), start=1):
        title, number, days = KINDS[(n - 1) % len(KINDS)]
        number = number.format(n=n)
        valid_until = today + timedelta(days=days)
        data = pdf_render(
            template="shop/demo/certificate.html",
            context={
                "title": title,
                "number": number,
                "product": product,
                "standard": STANDARD,
                "valid_until": valid_until,
            },
            language="ru",
        )
        product_certificate_add(
            product=product,
            title=title,
            number=number,
            valid_until=valid_until,
            file=SimpleUploadedFile(
                "certificate.pdf", data, content_type="application/pdf"
            ),
            uploaded_by=staff,
        )
        made += 1
    if stdout is not None:
        stdout.write(f"Product certificates: {made}.")
    return made
