"""Gapless document numbers per seller, kind and year from a locked counter row."""

from django.db import transaction

from invoicing.models import DocumentCounter, SellerEntity


def document_number_next(*, seller: SellerEntity, kind: str, year: int) -> int:
    """Take the next number; must run inside the transaction that saves the document,
    so the counter row stays locked until it commits and a rollback returns the
    number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_next needs the caller's transaction")
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        seller=seller, kind=kind, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
