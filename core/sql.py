"""SQL helpers that any layer may use: many values through one bound parameter."""

import json

from django.db import connection
from django.db.models.expressions import RawSQL


def values_sql(values: list, *, ints: bool | None = None) -> tuple[str, list]:
    """(subquery SQL, params) that yields `values` from ONE bound parameter, so any
    number of values costs one query and never hits SQLite's variable limit. Integer
    ids travel as one comma-separated string: dumping a Python list as a PostgreSQL
    array costs a regex per element, which is most of the time for 10,000 ids.
    `ints` says the type when the list may be empty (guessed from the first value)."""
    values = list(values)
    if ints is None:
        ints = bool(values) and isinstance(values[0], int)
    if connection.vendor == "postgresql":
        if ints:
            return "SELECT unnest(string_to_array(%s, ',')::bigint[])", [
                ",".join(map(str, values))
            ]
        return "SELECT unnest(%s::text[])", [values]
    return "SELECT value FROM json_each(%s)", [json.dumps(values)]


def values_param(values: list) -> RawSQL:
    """`values_sql` as an expression for `field__in=`."""
    return RawSQL(*values_sql(values))
