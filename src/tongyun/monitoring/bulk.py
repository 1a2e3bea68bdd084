"""One UPDATE statement for many rows with different values, run as executemany: `bulk_update` builds a
CASE per field and row, and for the twenty groups and incidents a storm's request touches it spent more in
Python resolving those expressions than the database spent on the rows."""

from __future__ import annotations

from django.db import connection


def update_rows(model, fields: list[str], objects) -> None:
    """UPDATE … SET <fields> WHERE pk = … for each of `objects` (values prepared as the ORM's saves do;
    no signals, like bulk_update)."""
    objects = list(objects)
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    rows = [[c.get_db_prep_save(getattr(o, c.attname), connection) for c in columns] + [o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
