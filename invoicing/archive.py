"""The document archive of a company: one list of its invoices, credit notes,
delivery notes, universal transfer documents (one per delivery note), statements
(one per past month and quarter with invoices, rendered on request) and the
certificates of the products it has bought; filters, number search, and each
document's bytes.

Every read is scoped by the company. A document is named by a `ref`
(`invoice:12`, `delivery_note:7`, `upd:7`, `statement:2026-03`,
`statement:2026-Q1`, `certificate:3`); a ref that is not the company's is not found.
The list is built from one query per source (a constant number, whatever the number
of documents) and merged in memory, newest first: a company's documents number in
thousands, not millions, and the sources share no table to UNION over."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePosixPath

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, LPad
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductCertificate
from invoicing.models import DeliveryNote, Invoice, InvoiceStatus
from invoicing.selectors import statement_for_company
from invoicing.services.documents import (
    delivery_note_pdf_render,
    invoice_pdf_render,
    statement_pdf_bytes,
    upd_pdf_bytes,
)
from invoicing.services.invoices import seller_default
from sales.order.models import Line


class ArchiveKind:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DELIVERY_NOTE = "delivery_note"
    UPD = "upd"
    STATEMENT = "statement"
    CERTIFICATE = "certificate"

    LABELS = {
        INVOICE: _("Invoice"),
        CREDIT_NOTE: _("Credit note"),
        DELIVERY_NOTE: _("Delivery note"),
        UPD: _("Universal transfer document"),
        STATEMENT: _("Statement of account"),
        CERTIFICATE: _("Certificate"),
    }
    # Kinds a member without `view_finance` does not see (as `cabinet:statement`).
    FINANCE = frozenset({STATEMENT})

    @classmethod
    def choices(cls, *, with_finance: bool = True) -> list[tuple[str, str]]:
        return [
            (kind, label)
            for kind, label in cls.LABELS.items()
            if with_finance or kind not in cls.FINANCE
        ]


# Statuses of certificates, next to the invoices' own.
CERTIFICATE_VALID = "valid"
CERTIFICATE_EXPIRED = "expired"
CERTIFICATE_STATUSES = {
    CERTIFICATE_VALID: _("Valid"),
    CERTIFICATE_EXPIRED: _("Expired"),
}
# A statement that has not been rendered is estimated at this size for the ZIP bound.
STATEMENT_SIZE_ESTIMATE = 200 * 1024
# Letters in a number search that name a kind ("CN-2026-3", "upd 12").
_PREFIX_KINDS = {
    "INV": {ArchiveKind.INVOICE},
    "CN": {ArchiveKind.CREDIT_NOTE},
    "DN": {ArchiveKind.DELIVERY_NOTE},
    "UPD": {ArchiveKind.UPD},
}


def status_choices() -> list[tuple[str, str]]:
    return [*InvoiceStatus.choices, *CERTIFICATE_STATUSES.items()]


@dataclass(frozen=True)
class ArchiveFilters:
    kinds: frozenset[str] = frozenset()
    date_from: date | None = None
    date_to: date | None = None
    order_number: str = ""
    status: str = ""
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    query: str = ""

    @property
    def amount_given(self) -> bool:
        return self.amount_from is not None or self.amount_to is not None


@dataclass
class ArchiveEntry:
    kind: str
    ref: str
    number: str
    date: date
    order_number: str = ""
    status: str = ""
    status_label: str = ""
    amount: Decimal | None = None
    currency: str = ""
    title: str = ""
    download_url: str = ""
    # Whether the bytes are stored already (else they are rendered when asked for).
    ready: bool = True
    size: int | None = None
    source: object = field(default=None, repr=False, compare=False)

    @property
    def kind_label(self) -> str:
        return str(ArchiveKind.LABELS[self.kind])

    @property
    def filename(self) -> str:
        """A unique, meaningful name for the file of this document."""
        slug = re.sub(r"[^\w.-]+", "-", self.number, flags=re.ASCII).strip("-")
        prefix = {
            ArchiveKind.INVOICE: "invoice",
            ArchiveKind.CREDIT_NOTE: "credit-note",
            ArchiveKind.DELIVERY_NOTE: "delivery-note",
            ArchiveKind.UPD: "upd",
            ArchiveKind.STATEMENT: "statement",
            ArchiveKind.CERTIFICATE: "certificate",
        }[self.kind]
        suffix = ".pdf"
        if self.kind == ArchiveKind.CERTIFICATE:
            suffix = PurePosixPath(self.source.file.name).suffix or ".pdf"
            slug = f"{slug}-{self.ref.split(':', 1)[1]}"
        return f"{prefix}-{slug or self.ref.split(':', 1)[1]}{suffix}"

    @property
    def folder(self) -> str:
        return {
            ArchiveKind.INVOICE: "invoices",
            ArchiveKind.CREDIT_NOTE: "credit-notes",
            ArchiveKind.DELIVERY_NOTE: "delivery-notes",
            ArchiveKind.UPD: "upd",
            ArchiveKind.STATEMENT: "statements",
            ArchiveKind.CERTIFICATE: "certificates",
        }[self.kind]

    @property
    def content_type(self) -> str:
        if self.kind == ArchiveKind.CERTIFICATE:
            return self.source.content_type
        return "application/pdf"


# -- the sources ----------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _number_digits():
    """`<year><number, 5 digits>` as text: what a display number's digits are."""
    return Concat(
        Cast("year", CharField()),
        LPad(Cast("number", CharField()), 5, Value("0")),
        output_field=CharField(),
    )


def _search_kinds(query: str) -> set[str] | None:
    letters = re.sub(r"[^A-Za-z]", "", query).upper()
    return _PREFIX_KINDS.get(letters) if letters else None


def _wanted(filters: ArchiveFilters, kind: str, allowed: frozenset[str]) -> bool:
    if kind not in allowed or (filters.kinds and kind not in filters.kinds):
        return False
    kinds = _search_kinds(filters.query)
    return kinds is None or kind in kinds or kind == ArchiveKind.CERTIFICATE


def _invoices(*, company, filters: ArchiveFilters, kinds: set[str]) -> QuerySet:
    invoices = (
        Invoice.objects.for_company(company)
        .filter(kind__in=kinds)
        .select_related("order")
        .only(
            "kind",
            "year",
            "number",
            "issue_date",
            "status",
            "total_incl_vat",
            "currency",
            "pdf",
            "order__number",
        )
    )
    if filters.date_from:
        invoices = invoices.filter(issue_date__gte=filters.date_from)
    if filters.date_to:
        invoices = invoices.filter(issue_date__lte=filters.date_to)
    if filters.order_number:
        invoices = invoices.filter(order__number__icontains=filters.order_number)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.amount_from is not None:
        invoices = invoices.filter(total_incl_vat__gte=filters.amount_from)
    if filters.amount_to is not None:
        invoices = invoices.filter(total_incl_vat__lte=filters.amount_to)
    digits = _digits(filters.query)
    if digits:
        invoices = invoices.annotate(digits=_number_digits()).filter(
            digits__contains=digits
        )
    return invoices


def _invoice_entry(invoice: Invoice) -> ArchiveEntry:
    return ArchiveEntry(
        kind=invoice.kind,
        ref=f"{invoice.kind}:{invoice.pk}",
        number=invoice.display_number,
        date=invoice.issue_date,
        order_number=invoice.order.number if invoice.order_id else "",
        status=invoice.status,
        status_label=str(invoice.get_status_display()),
        amount=invoice.total_incl_vat,
        currency=invoice.currency,
        download_url=reverse("cabinet:invoice-pdf", args=[invoice.pk]),
        ready=bool(invoice.pdf),
        source=invoice,
    )


def _delivery_notes(*, company, filters: ArchiveFilters) -> QuerySet:
    notes = DeliveryNote.objects.filter(company=company).select_related("order")
    if filters.date_from:
        notes = notes.filter(issued_at__date__gte=filters.date_from)
    if filters.date_to:
        notes = notes.filter(issued_at__date__lte=filters.date_to)
    if filters.order_number:
        notes = notes.filter(order__number__icontains=filters.order_number)
    if filters.amount_from is not None:
        notes = notes.filter(order__total_incl_tax__gte=filters.amount_from)
    if filters.amount_to is not None:
        notes = notes.filter(order__total_incl_tax__lte=filters.amount_to)
    digits = _digits(filters.query)
    if digits:
        notes = notes.annotate(digits=_number_digits()).filter(digits__contains=digits)
    return notes


def upd_url(note_pk: int) -> str:
    """The universal transfer document's PDF (`cabinet:upd-pdf`)."""
    return reverse("cabinet:upd-pdf", args=[note_pk])


def _note_entries(note: DeliveryNote, kinds: set[str]) -> Iterator[ArchiveEntry]:
    common = {
        "date": timezone.localdate(note.issued_at),
        "order_number": note.order.number,
        "amount": note.order.total_incl_tax,
        "currency": note.order.currency,
        "source": note,
    }
    if ArchiveKind.DELIVERY_NOTE in kinds:
        yield ArchiveEntry(
            kind=ArchiveKind.DELIVERY_NOTE,
            ref=f"delivery_note:{note.pk}",
            number=note.display_number,
            download_url=reverse("cabinet:delivery-note-pdf", args=[note.pk]),
            ready=bool(note.pdf),
            **common,
        )
    if ArchiveKind.UPD in kinds:
        yield ArchiveEntry(
            kind=ArchiveKind.UPD,
            ref=f"upd:{note.pk}",
            number=f"UPD-{note.year}-{note.number:05d}",
            download_url=upd_url(note.pk),
            ready=False,
            **common,
        )


def _certificates(*, company, filters: ArchiveFilters) -> QuerySet:
    bought = Line.objects.filter(order__company=company, product__isnull=False)
    if filters.order_number:
        bought = bought.filter(order__number__icontains=filters.order_number)
    certificates = ProductCertificate.objects.filter(
        product__in=bought.values("product_id")
    ).select_related("product")
    if filters.date_from:
        certificates = certificates.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        certificates = certificates.filter(created_at__date__lte=filters.date_to)
    today = timezone.localdate()
    if filters.status == CERTIFICATE_VALID:
        certificates = certificates.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    elif filters.status == CERTIFICATE_EXPIRED:
        certificates = certificates.filter(valid_until__lt=today)
    if filters.query:
        certificates = certificates.filter(
            Q(number__icontains=filters.query.strip())
            | Q(product__article__icontains=filters.query.strip())
        )
    return certificates


def _certificate_entry(certificate: ProductCertificate) -> ArchiveEntry:
    status = CERTIFICATE_VALID if certificate.is_valid else CERTIFICATE_EXPIRED
    product = certificate.product
    return ArchiveEntry(
        kind=ArchiveKind.CERTIFICATE,
        ref=f"certificate:{certificate.pk}",
        number=certificate.number,
        date=timezone.localdate(certificate.created_at),
        status=status,
        status_label=str(CERTIFICATE_STATUSES[status]),
        title=f"{certificate.title} — {product.article or product.title}",
        download_url=reverse("cabinet:document-certificate", args=[certificate.pk]),
        source=certificate,
    )


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _statement_entry(start: date, end: date, number: str) -> ArchiveEntry:
    return ArchiveEntry(
        kind=ArchiveKind.STATEMENT,
        ref=f"statement:{number}",
        number=number,
        date=end,
        download_url=reverse("cabinet:statement")
        + "?"
        + urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        ready=False,
        source=(start, end),
    )


def statement_period(number: str) -> tuple[date, date] | None:
    """`2026-03` (a month) or `2026-Q1` (a quarter) → its first and last day."""
    if match := re.fullmatch(r"(\d{4})-(\d{2})", number):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            start = date(year, month, 1)
            return start, _month_end(start)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", number):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 3 * quarter - 2, 1)
        return start, _month_end(date(year, 3 * quarter, 1))
    return None


def _statement_numbers(*, company, today: date) -> Iterator[str]:
    """Every past month and quarter in which the company had invoices."""
    months = Invoice.objects.for_company(company).dates("issue_date", "month")
    quarters = set()
    for month in months:
        if _month_end(month) < today:
            yield f"{month.year}-{month.month:02d}"
        quarter = (month.month - 1) // 3 + 1
        if _month_end(date(month.year, 3 * quarter, 1)) < today:
            quarters.add(f"{month.year}-Q{quarter}")
    yield from sorted(quarters)


def _statements(*, company, filters: ArchiveFilters) -> Iterator[ArchiveEntry]:
    if filters.order_number or filters.status or filters.amount_given:
        return  # a statement has no order, status or amount of its own
    today = timezone.localdate()
    digits = _digits(filters.query)
    for number in _statement_numbers(company=company, today=today):
        start, end = statement_period(number)
        if filters.date_from and end < filters.date_from:
            continue
        if filters.date_to and start > filters.date_to:
            continue
        if digits and digits not in _digits(number):
            continue
        yield _statement_entry(start, end, number)


# -- the archive ----------------------------------------------------------------


def archive_documents(
    *, company, filters: ArchiveFilters, with_finance: bool
) -> list[ArchiveEntry]:
    """The company's documents matching the filters, newest first (a constant
    number of queries: invoices, delivery notes, certificates, statement months)."""
    allowed = frozenset(
        k for k, _label in ArchiveKind.choices(with_finance=with_finance)
    )
    entries: list[ArchiveEntry] = []
    invoice_kinds = {
        kind
        for kind in (ArchiveKind.INVOICE, ArchiveKind.CREDIT_NOTE)
        if _wanted(filters, kind, allowed)
    }
    if invoice_kinds:
        entries += map(
            _invoice_entry,
            _invoices(company=company, filters=filters, kinds=invoice_kinds),
        )
    note_kinds = {
        kind
        for kind in (ArchiveKind.DELIVERY_NOTE, ArchiveKind.UPD)
        if _wanted(filters, kind, allowed)
    }
    if note_kinds and filters.status == "":
        for note in _delivery_notes(company=company, filters=filters):
            entries += _note_entries(note, note_kinds)
    if _wanted(filters, ArchiveKind.CERTIFICATE, allowed) and not (
        filters.amount_given or filters.status in dict(InvoiceStatus.choices)
    ):
        entries += map(
            _certificate_entry, _certificates(company=company, filters=filters)
        )
    if _wanted(filters, ArchiveKind.STATEMENT, allowed):
        entries += _statements(company=company, filters=filters)
    entries.sort(key=lambda e: (e.date, e.kind, e.ref), reverse=True)
    return entries


def _ref_parts(ref: str) -> tuple[str, str]:
    kind, _sep, key = ref.partition(":")
    if kind not in ArchiveKind.LABELS or not key:
        raise Http404("No such document.")
    return kind, key


def _refs_parse(refs: Iterable[str], *, with_finance: bool) -> dict[str, set]:
    wanted: dict[str, set] = {kind: set() for kind in ArchiveKind.LABELS}
    for ref in refs:
        kind, key = _ref_parts(ref)
        if kind in ArchiveKind.FINANCE and not with_finance:
            raise Http404("No such document.")
        if kind == ArchiveKind.STATEMENT:
            wanted[kind].add(key)
        elif key.isascii() and key.isdigit() and len(key) <= 18:  # a database id
            wanted[kind].add(int(key))
        else:
            raise Http404("No such document.")
    return wanted


def _found_invoices(company, wanted) -> Iterator[ArchiveEntry]:
    ids = wanted[ArchiveKind.INVOICE] | wanted[ArchiveKind.CREDIT_NOTE]
    if ids:
        invoices = Invoice.objects.for_company(company).filter(pk__in=ids)
        yield from map(_invoice_entry, invoices.select_related("order"))


def _found_notes(company, wanted) -> Iterator[ArchiveEntry]:
    ids = wanted[ArchiveKind.DELIVERY_NOTE] | wanted[ArchiveKind.UPD]
    if ids:
        notes = DeliveryNote.objects.filter(company=company, pk__in=ids)
        kinds = {ArchiveKind.DELIVERY_NOTE, ArchiveKind.UPD}
        for note in notes.select_related("order"):
            yield from _note_entries(note, kinds)


def _found_certificates(company, wanted) -> Iterator[ArchiveEntry]:
    ids = wanted[ArchiveKind.CERTIFICATE]
    if ids:
        certificates = _certificates(company=company, filters=ArchiveFilters())
        yield from map(_certificate_entry, certificates.filter(pk__in=ids))


def _found_statements(company, wanted) -> Iterator[ArchiveEntry]:
    numbers = wanted[ArchiveKind.STATEMENT]
    if numbers:
        today = timezone.localdate()
        for number in _statement_numbers(company=company, today=today):
            if number in numbers:
                start, end = statement_period(number)
                yield _statement_entry(start, end, number)


def archive_documents_by_refs(
    *, company, refs: Iterable[str], with_finance: bool
) -> list[ArchiveEntry]:
    """The company's documents named by `refs`, in the order given (duplicates
    dropped); any ref that is not one of the company's documents is a 404, so
    nothing of another company is ever read or packed."""
    order = list(dict.fromkeys(refs))
    wanted = _refs_parse(order, with_finance=with_finance)
    found = {
        entry.ref: entry
        for source in (
            _found_invoices,
            _found_notes,
            _found_certificates,
            _found_statements,
        )
        for entry in source(company, wanted)
    }
    if any(ref not in found for ref in order):
        raise Http404("No such document.")
    return [found[ref] for ref in order]


def archive_document(*, company, ref: str, with_finance: bool) -> ArchiveEntry:
    (entry,) = archive_documents_by_refs(
        company=company, refs=[ref], with_finance=with_finance
    )
    return entry


def archive_entry_size(entry: ArchiveEntry) -> int:
    """The stored file's size, or an estimate for what is rendered when asked."""
    if entry.kind == ArchiveKind.STATEMENT:
        return STATEMENT_SIZE_ESTIMATE
    if entry.kind == ArchiveKind.UPD:
        return STATEMENT_SIZE_ESTIMATE
    stored = entry.source.file if entry.kind == ArchiveKind.CERTIFICATE else None
    stored = stored or entry.source.pdf
    try:
        return stored.size if stored else STATEMENT_SIZE_ESTIMATE
    except OSError:
        return STATEMENT_SIZE_ESTIMATE


def archive_entry_chunks(
    entry: ArchiveEntry, *, company, language: str, chunk_size: int = 64 * 1024
) -> Iterator[bytes]:
    """The document's bytes, in chunks; a missing PDF is rendered (and stored) by
    the documents' own services, a statement on request."""
    if entry.kind == ArchiveKind.STATEMENT:
        start, end = entry.source
        statement = statement_for_company(
            company=company, start=start, end=end, seller=seller_default()
        )
        yield statement_pdf_bytes(statement=statement, language=language)
        return
    if entry.kind == ArchiveKind.UPD:
        yield upd_pdf_bytes(note=entry.source)  # in the buyer's language, as its page
        return
    if entry.kind == ArchiveKind.CERTIFICATE:
        stored = entry.source.file
    elif entry.kind == ArchiveKind.DELIVERY_NOTE:
        stored = delivery_note_pdf_render(note=entry.source).pdf
    else:
        stored = invoice_pdf_render(invoice=entry.source).pdf
    with stored.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            yield chunk


def archive_entry_bytes(entry: ArchiveEntry, *, company, language: str) -> bytes:
    return b"".join(archive_entry_chunks(entry, company=company, language=language))


def archive_zip_names(entries: Iterable[ArchiveEntry]) -> list[str]:
    """A unique path in the ZIP for each entry: `<folder>/<filename>`, with `-2`,
    `-3` ... where two documents would share a name."""
    names, seen = [], set()
    for entry in entries:
        name = f"{entry.folder}/{entry.filename}"
        stem, dot, suffix = name.rpartition(".")
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{stem}-{n}{dot}{suffix}"
        seen.add(candidate)
        names.append(candidate)
    return names
