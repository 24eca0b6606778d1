"""Deterministic demo data: an industrial-supply catalog, companies and people."""
