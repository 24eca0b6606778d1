"""Demo serial numbers for `load_demo`: every shipped demo order gets serial numbers
for its units (with the production batch), fasteners a batch per line only, all
through `invoicing.serials.serials_import` as staff would enter them."""

from accounts.models import User
from invoicing.models import DeliveryNote
from invoicing.serials import serials_import

FASTENERS = "Крепёж"  # the demo category whose goods carry batches, not serials
MAX_SERIALS_PER_LINE = 20  # a long line keeps its first units' serials only


def build_demo_serials(*, stdout=None) -> int:
    """Serials derived from the delivery note and line numbers (drawing from the
    demo's random stream here would change every part built after the orders)."""
    staff = User.objects.get(email="admin@demo.local")
    rows = []
    notes = DeliveryNote.objects.select_related("order").order_by("pk")
    for note in notes:
        for line in note.order.lines.select_related("product").order_by("pk"):
            rows.extend(_line_rows(note, line))
    if not rows:
        return 0
    report = serials_import(user=staff, rows=rows)
    if not report.ok:
        raise RuntimeError(f"Demo serials refused: {report.errors[:3]}")
    if stdout is not None:
        stdout.write(f"Serial numbers: {report.created} on {len(notes)} shipments.")
    return report.created


def _line_rows(note, line) -> list[dict[str, str]]:
    product = line.product
    if product is None:
        return []
    year = note.issued_at.year
    week = note.issued_at.isocalendar().week
    batch = f"{year % 100:02d}{week:02d}-{100 + line.pk % 900}"
    common = {"order": note.order.number, "line": str(line.pk), "batch": batch}
    if any(c.full_name.startswith(FASTENERS) for c in product.categories.all()):
        return [{**common, "serial": ""}]
    prefix = "".join(ch for ch in product.article.upper() if ch.isalnum())[:6]
    start = 1 + (line.pk * 37) % 900
    return [
        {**common, "serial": f"{prefix}-{year}{note.number:04d}-{start + i:04d}"}
        for i in range(min(line.quantity, MAX_SERIALS_PER_LINE))
    ]
