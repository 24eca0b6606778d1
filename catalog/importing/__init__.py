"""Reading and writing tabular files (CSV in any of our encodings and delimiters, XLSX),
the catalog import/export built on them, and the staff's import and export jobs run by
a background worker (the app `importing`: `CatalogJob`, its files and pages)."""
