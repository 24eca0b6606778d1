"""The JSON of a basket service's report (`sales.basket.services.basket_lines_add`):
the lines added and the products refused, shared by the basket and list APIs (the
feature packages, which do not import each other)."""


def basket_report_json(report) -> dict:
    return {
        "added": [
            {
                "product": line.product.pk,
                "article": line.product.article,
                "added": line.quantity,
                "quantity": line.total,
                "notes": [str(n) for n in line.notes],
                "now": line.promise.now if line.promise else None,
                "later": line.promise.later if line.promise else None,
                "availability": line.promise.label if line.promise else None,
            }
            for line in report.lines
        ],
        "refused": [
            {
                "product": refusal.product.pk,
                "article": refusal.product.article,
                "reason": str(refusal.reason),
            }
            for refusal in report.refused
        ],
    }
