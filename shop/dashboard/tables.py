"""The base of every Oscar dashboard table: a column is offered for sorting only when
the database can sort by it."""

from django.core.exceptions import FieldError
from oscar.apps.dashboard import tables


class DashboardTable(tables.DashboardTable):
    """Columns without a field behind them (a row's checkbox, its action buttons) are
    sortable by default in django-tables2, and `?sort=<column>` then made the list
    raise FieldError. Such columns stop being sortable here, so the request's sort is
    ignored and the header shows no sort link."""

    class Meta(tables.DashboardTable.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = getattr(self.data, "data", None)
        if not hasattr(queryset, "query"):
            return
        for column in self.columns.iterall():
            if column.orderable and not self._sortable(queryset, column):
                column.column.orderable = False

    def _sortable(self, queryset, column) -> bool:
        if hasattr(self, f"order_{column.name}"):
            return True  # the table sorts this column itself
        try:
            queryset.order_by(*(key.for_queryset() for key in column.order_by))
        except FieldError:
            return False
        return True
