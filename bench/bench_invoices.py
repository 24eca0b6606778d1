"""Invoice PDFs with 20 and 500 lines (cold first render, then warm), and invoice
issue throughput. Everything runs in a transaction that is rolled back.

    DATABASE_URL=postgres://... python -m bench bench_invoices [--repeat N]
"""

import argparse
import io
import time
from decimal import Decimal

from django.db import connection, transaction
from pypdf import PdfReader

from accounts.models import Company
from invoicing.models import SellerEntity
from invoicing.services.documents import invoice_pdf_bytes
from invoicing.services.invoices import DraftLine, invoice_create
from sales.order.models import PaymentMethod


class _Rollback(Exception):
    pass


def _lines(count: int) -> list[DraftLine]:
    lines = []
    for i in range(1, count + 1):
        excl = Decimal("123.45") * i
        lines.append(
            DraftLine(
                product_id=None,
                article=f"ART-{i:06d}",
                title=f"Подшипник шариковый радиальный 6204-2RS C3 SKF, партия {i}",
                unit="шт",
                quantity=i,
                unit_price_excl_vat=Decimal("123.45"),
                vat_rate=Decimal("20"),
                amount_excl_vat=excl,
                vat_amount=(excl * Decimal("0.2")).quantize(Decimal("0.01")),
            )
        )
    return lines


def _setup():
    SellerEntity.objects.filter(is_default=True).update(is_default=False)
    SellerEntity.objects.create(
        legal_name="ООО «Бенч»",
        tax_id="7707083893",
        legal_address="Москва",
        bank_name="Банк",
        bank_bik="044525225",
        bank_account="40702810900000000001",
        bank_corr_account="30101810400000000225",
        is_default=True,
    )
    return Company.objects.create(
        name="Bench", legal_name="АО «Бенч-покупатель»", tax_id="7736207543", kpp="9"
    )


def _time_pdf(invoice, repeat: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    data = invoice_pdf_bytes(invoice=invoice)
    first = time.perf_counter() - started
    warm = []
    for _i in range(repeat):
        started = time.perf_counter()
        invoice_pdf_bytes(invoice=invoice)
        warm.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return first, sorted(warm)[len(warm) // 2] if warm else first, pages


def run(argv):
    parser = argparse.ArgumentParser(prog="bench_invoices")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--issues", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            company = _setup()
            for count in (20, 500):
                invoice = invoice_create(
                    company=company,
                    lines=_lines(count),
                    payment_method=PaymentMethod.BANK_TRANSFER,
                    language="ru",
                )
                first, median, pages = _time_pdf(invoice, args.repeat)
                print(
                    f"PDF {count:>3} lines: {pages:>2} pages, first {first:.2f} s, "
                    f"warm median {median:.2f} s ({args.repeat} runs)"
                )
            started = time.perf_counter()
            for _i in range(args.issues):
                invoice_create(
                    company=company,
                    lines=_lines(5),
                    payment_method=PaymentMethod.BANK_TRANSFER,
                )
            elapsed = time.perf_counter() - started
            print(
                f"issue (5 lines, numbered, no PDF): {args.issues / elapsed:.0f}/s, "
                f"{elapsed / args.issues * 1000:.1f} ms each"
            )
            raise _Rollback
    except _Rollback:
        pass
