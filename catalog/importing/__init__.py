"""Reading and writing tabular files (CSV in any of our encodings and delimiters, XLSX)
and the catalog import/export built on them."""
