"""Signals of the catalogue that other apps listen to."""

from django.dispatch import Signal

# Sent with `product_ids` by writers that bypass model signals (bulk creates and
# updates of the catalogue import): the products, or their categories, stock, prices,
# cross-references or analogues, changed. The search index re-reads them after commit.
products_changed = Signal()
