"""Formula-safe cells for the CSV files Oscar's dashboard writes (its order list and
its reports): a customer's name, e-mail or address never reaches a staff member's
spreadsheet as a formula (CSV injection)."""

from decimal import Decimal

from oscar.core.compat import UnicodeCSVWriter

from catalog.importing.tables import cell_escape


def cell_safe(value):
    """A number as it is; anything else as text, quoted when a spreadsheet would
    take it for a formula."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return cell_escape(value)


class FormulaSafeCSVWriter(UnicodeCSVWriter):
    """Oscar's Excel-friendly CSV writer with every cell made safe."""

    def writerow(self, row):
        super().writerow([cell_safe(value) for value in row])
