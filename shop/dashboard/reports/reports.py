"""Oscar's report formatters, forked (Oscar loads `dashboard.reports.reports` from our
dashboard package first): every report's CSV — orders, baskets, customers, products,
offers, vouchers — is written through the formula-safe writer."""

from oscar.apps.dashboard.reports import reports

from shop.dashboard.exports import FormulaSafeCSVWriter


class ReportCSVFormatter(reports.ReportCSVFormatter):
    def get_csv_writer(self, file_handle, **kwargs):
        return FormulaSafeCSVWriter(open_file=file_handle, **kwargs)
