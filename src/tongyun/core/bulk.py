"""Many rows in few statements, first for the alert path: a storm's request writes a hundred events, outages
and device states, and the ORM's `bulk_create` / `bulk_update` spent more in Python preparing every value of
every field (and resolving a CASE per field and row) than the database spent on the rows. The device import
updates with them too: `bulk_update` of 100,000 changed devices built a CASE of 100,000 branches per column.

Values are prepared as the ORM's saves prepare them, once per column rather than per field lookup; no
signals are sent (as with bulk_create and bulk_update)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import contextmanager
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
    """UPDATE … SET <fields> WHERE pk = … for each of `objects` (an object listed twice: its last values)."""
    objects = list({o.pk: o for o in objects}.values())
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    prepare = [(c.attname, _preparer(c)) for c in columns]
    if connection.vendor == "postgresql":
        # one statement joining the rows' binary arrays (see insert_rows) rather than one per object: a storm
        # request retitles twenty incidents, and the twenty quoted statements took 6.5 ms, the join 1
        names = [f"v{i}" for i in range(len(columns))]
        types = [c.db_type(connection).split("(")[0] for c in [meta.pk, *columns]]
        arrays = [[o.pk for o in objects]] + [[p(getattr(o, name)) for o in objects] for name, p in prepare]
        assignments = ", ".join(f"{quote(c.column)} = v.{n}" for c, n in zip(columns, names, strict=True))
        with _binary_cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} FROM UNNEST({', '.join(f'%b::{t}[]' for t in types)}) "
                           f"AS v(pk, {', '.join(names)}) WHERE {table}.{pk} = v.pk", arrays)
        return
    rows = [[p(getattr(o, name)) for name, p in prepare] + [o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
                           f"WHERE {pk} = %s", rows)


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
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
    tail = (f" {on_conflict}" if on_conflict else "") + (f" RETURNING {quote(meta.pk.column)}" if returning else "")
    if connection.vendor == "postgresql":
        # one array per column, as Django's bulk_create does there (InsertUnnest), bound in binary: the
        # statement's text stays short and the same for any number of rows (psycopg parses a statement of
        # more than 50 parameters or 4 KiB anew on every execution: 3.8 ms for a storm request's 100
        # events), and no value is quoted into it (the client-side quoting of those events' arrays took
        # 10 ms, the binary arrays 3). The types lose their length so that a cast never truncates: a value
        # too long for its column fails as it would in VALUES.
        types = [c.db_type(connection).split("(")[0] for c in columns]
        arrays = [[p(v) for v in values] for p, values in zip(prepare, zip(*rows, strict=True), strict=True)]
        with _binary_cursor() as cursor:
            cursor.execute(head + "SELECT * FROM UNNEST(" + ", ".join(f"%b::{t}[]" for t in types) + ")" + tail,
                           arrays)
            return [r[0] for r in cursor.fetchall()] if returning else []
    ids: list[int] = []
    with connection.cursor() as cursor:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        size = max(1, min(500, connection.ops.bulk_batch_size(columns, rows)))
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            params = [p(v) for row in chunk for p, v in zip(prepare, row, strict=True)]
            cursor.execute(head + "VALUES " + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


@contextmanager
def _binary_cursor():
    """On PostgreSQL, a cursor of the connection (its transaction, its execute wrappers and query log) that
    sends its parameters apart from the statement; `%b` sends one in binary (Django's cursors quote every
    value into the statement's text, regular expressions per array element)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = ServerBindingCursor(connection.connection)
    with (connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)) as cursor:
        yield cursor


CHUNK = 450  # IN-list values per statement, leaving room for the statement's other parameters (SQLite: 999)


def marks(values) -> str:
    """The placeholders of an IN list."""
    return ", ".join(["%s"] * len(values))


def select_in(sql: str, values, params: Sequence[Any] = ()) -> list[tuple]:
    """The rows of `sql` for every value: `sql` has one `{in_values}` after the column it tests, where
    `IN (…)` goes (SQLite, in chunks) or `= ANY(%b)` with the values as one binary array (PostgreSQL: a short
    statement psycopg parses once); its parameters come first, then `params`. Raw, for the statements
    every request of an alert storm runs (the ORM cost more building them than the database reading)."""
    values, rows = sorted(values), []
    if connection.vendor == "postgresql":
        if values:
            with _binary_cursor() as cursor:
                cursor.execute(sql.format(in_values="= ANY(%b)"), [values, *params])
                rows = cursor.fetchall()
        return rows
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = values[start:start + CHUNK]
            cursor.execute(sql.format(in_values=f"IN ({marks(chunk)})"), [*chunk, *params])
            rows += cursor.fetchall()
    return rows
