"""Values of raw SQL rows as the ORM would give them.

The statements every request runs (a token's user) or every alert of a storm runs (earlier deliveries) are
raw SQL; their rows must still read as the ORM reads them — SQLite returns a datetime as text, which the
ORM's converters turn into an aware datetime. The converters are the backend's and the field's own.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection


def column_readers(model, fields: list[str]) -> list[Callable[[Any], Any] | None]:
    """For each of `fields` (attribute names), the function turning a raw row's value into the ORM's, or
    None where the ORM converts nothing (callers skip those: most columns of most rows)."""
    meta = model._meta
    readers: list[Callable[[Any], Any] | None] = []
    for name in fields:
        column = meta.get_field(name).get_col(meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)

        def read(value, converters=converters, column=column):
            for convert in converters:
                value = convert(value, column, connection)
            return value
        readers.append(read if converters else None)
    return readers
