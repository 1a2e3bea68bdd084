"""Many rows in few statements, for the alert path: a storm's request writes a hundred events, outages and
device states, and the ORM's `bulk_create` / `bulk_update` spent more in Python preparing every value of
every field (and resolving a CASE per field and row) than the database spent on the rows.

Values are prepared as the ORM's saves prepare them, once per column rather than per field lookup; no
signals are sent (as with bulk_create and bulk_update)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils.functional import Promise


def _preparer(field: models.Field) -> Callable[[Any], Any]:
    """The function turning a Python value into the database's, for one column."""
    if isinstance(field, models.DateTimeField):
        adapt = connection.ops.adapt_datetimefield_value
        if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone == dt.UTC:
            # what the SQLite backend's adapter does to an aware datetime (naive UTC, str()), without its checks
            return lambda value: adapt(value) if value is None or value.tzinfo is None else \
                str(value.astimezone(dt.UTC).replace(tzinfo=None))
        return adapt
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: str(value) if isinstance(value, Promise) else value  # a lazy translation


def column_preparers(model, fields: list[str]) -> list[Callable[[Any], Any]]:
    """For each of `fields` (attribute names), the function preparing its values for the database."""
    meta = model._meta
    return [_preparer(meta.get_field(name)) for name in fields]


def update_rows(model, fields: list[str], objects) -> None:
    """UPDATE … SET <fields> WHERE pk = … for each of `objects`, as one executemany."""
    objects = list(objects)
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    prepare = [(c.attname, _preparer(c)) for c in columns]
    rows = [[p(getattr(o, name)) for name, p in prepare] + [o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_rows(model, fields: list[str], rows: Sequence[Sequence[Any]], *, returning: bool = False,
                on_conflict: str = "", prepared: bool = False) -> list[int]:
    """INSERT the `rows` (one value per name in `fields`, attribute names such as "device_id") in
    multi-row statements as large as the backend allows; the new primary keys in the order of the rows
    when `returning` (both backends return a multi-row INSERT's rows in order, as bulk_create relies on).
    `on_conflict`: an ON CONFLICT clause, the same text on SQLite and PostgreSQL; `prepared`: the values
    are the database's already (`column_preparers`)."""
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    prepare = [(lambda value: value) if prepared else _preparer(c) for c in columns]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) VALUES "
    tail = (f" {on_conflict}" if on_conflict else "") + (f" RETURNING {quote(meta.pk.column)}" if returning else "")
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(500, connection.ops.bulk_batch_size(columns, rows)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            params = [p(v) for row in chunk for p, v in zip(prepare, row, strict=True)]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


CHUNK = 450  # IN-list values per statement, leaving room for the statement's other parameters (SQLite: 999)


def marks(values) -> str:
    """The placeholders of an IN list."""
    return ", ".join(["%s"] * len(values))


def select_in(sql: str, values, params: Sequence[Any] = ()) -> list[tuple]:
    """The rows of `sql` for every value, in chunks: `sql` has one `{values}` where the IN list of a chunk
    goes; its parameters come first, then `params`. Raw, for the statements every request of an alert storm
    runs (the ORM cost more building them than the database reading)."""
    values, rows = sorted(values), []
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = values[start:start + CHUNK]
            cursor.execute(sql.format(values=marks(chunk)), [*chunk, *params])
            rows += cursor.fetchall()
    return rows
