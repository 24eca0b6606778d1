"""Formula-safe cells for the CSV files Oscar's dashboard writes (its order list and
its reports): a customer's name, e-mail or address never reaches a staff member's
spreadsheet as a formula (CSV injection)."""

from decimal import Decimal

from oscar.core.compat import UnicodeCSVWriter

from catalog.importing.tables import cell_escape

# What `cell_escape` quotes, and more: a spreadsheet that drops a leading tab or
# carriage return would read the formula behind it.
_HIDDEN_STARTS = ("\t", "\r")


def cell_safe(value):
    """A number as it is; anything else as text, quoted when a spreadsheet would
    take it for a formula."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(_HIDDEN_STARTS) else cell_escape(text)


class FormulaSafeCSVWriter(UnicodeCSVWriter):
    """Oscar's Excel-friendly CSV writer with every cell made safe."""

    def writerow(self, row):
        super().writerow([cell_safe(value) for value in row])
