"""What a webhook says: the JSON body of each event, built when the event happens
(the delivery keeps it, so a retry sends the same body). Money as decimal strings."""

from decimal import Decimal

from django.utils import timezone

from core.money import money_quantize


def _money(value) -> str | None:
    return None if value is None else str(money_quantize(Decimal(value)))


def _company(company_id: int) -> dict:
    return {"id": company_id}


def order_payload(*, order) -> dict:
    return {
        "company": _company(order.company_id),
        "order": {
            "number": order.number,
            "status": order.status,
            "po_number": getattr(order, "po_number", "") or "",
            "currency": order.currency,
            "total_excl_tax": _money(order.total_excl_tax),
            "total_incl_tax": _money(order.total_incl_tax),
            "date_placed": order.date_placed.isoformat() if order.date_placed else None,
            "lines": [
                {
                    "article": line.partner_sku,
                    "title": line.title,
                    "quantity": line.quantity,
                    "price_excl_tax": _money(line.line_price_excl_tax),
                    "price_incl_tax": _money(line.line_price_incl_tax),
                }
                for line in order.lines.order_by("pk")
            ],
        },
    }


def invoice_payload(*, invoice) -> dict:
    order = invoice.order
    return {
        "company": _company(invoice.company_id),
        "invoice": {
            "id": invoice.pk,
            "number": invoice.display_number,
            "order_number": order.number if order is not None else None,
            "po_number": invoice.po_number,
            "status": invoice.status,
            "currency": invoice.currency,
            "issue_date": invoice.issue_date.isoformat(),
            "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
            "total_excl_vat": _money(invoice.total_excl_vat),
            "total_vat": _money(invoice.total_vat),
            "total_incl_vat": _money(invoice.total_incl_vat),
        },
    }


def test_payload(*, company_id: int) -> dict:
    return {
        "company": _company(company_id),
        "test": {"sent_at": timezone.now().isoformat()},
    }
