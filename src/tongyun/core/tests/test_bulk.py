"""The alert path's own multi-row statements (core/bulk.py) store and read what the ORM would, on both
databases: PostgreSQL takes them as binary arrays (UNNEST, = ANY), SQLite as VALUES and IN lists in chunks."""

import datetime as dt

import pytest
from django.db import DataError, connection, transaction

from tongyun.catalog.models import System
from tongyun.core.bulk import CHUNK, insert_rows, select_in, update_rows
from tongyun.monitoring.models import CorrelationGroup

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
TABLE = CorrelationGroup._meta.db_table


@pytest.fixture
def system(db):
    return System.objects.order_by("row_no").first()


def _rows(system, count: int) -> list[list]:
    return [[f"键-{i}", system.pk, T0 + dt.timedelta(seconds=i), T0 + dt.timedelta(minutes=i),
             None if i % 2 else T0, i, [f"{system.pk}:sib:{i}", "引号'与\"逗号,{"], 0] for i in range(count)]


FIELDS = ["key", "system_id", "opened_at", "last_event_at", "closed_at", "firing_count", "sibling_tokens",
          "device_count"]


def test_insert_rows_returns_the_new_keys_in_the_order_of_the_rows_and_stores_every_value(system):
    rows = _rows(system, 7)
    ids = insert_rows(CorrelationGroup, FIELDS, rows, returning=True)
    assert len(ids) == 7 and len(set(ids)) == 7
    stored = {g.pk: g for g in CorrelationGroup.objects.filter(pk__in=ids)}
    for pk, row in zip(ids, rows, strict=True):
        group = stored[pk]
        assert [group.key, group.system_id, group.opened_at, group.last_event_at, group.closed_at,
                group.firing_count, group.sibling_tokens, group.device_count] == row


def test_insert_rows_without_returning_and_a_column_of_nulls_only(system):
    rows = [[*row[:4], None, *row[5:]] for row in _rows(system, 3)]
    assert insert_rows(CorrelationGroup, FIELDS, rows) == []
    assert CorrelationGroup.objects.filter(key__startswith="键-", closed_at__isnull=True).count() == 3


def test_a_value_too_long_for_its_column_is_never_cut_short(system):
    """PostgreSQL refuses it and stores none of the rows (a cast to varchar(200)[] would truncate silently);
    SQLite, which keeps no lengths, stores it whole."""
    rows = _rows(system, 3)
    rows[1][0] = "长" * 201
    if connection.vendor == "postgresql":
        with pytest.raises(DataError), transaction.atomic():
            insert_rows(CorrelationGroup, FIELDS, rows)
        assert not CorrelationGroup.objects.filter(key__startswith="键-").exists()
    else:
        insert_rows(CorrelationGroup, FIELDS, rows)
        assert CorrelationGroup.objects.filter(key="长" * 201).exists()


def test_update_rows_writes_each_object_once_with_its_last_values(system):
    ids = insert_rows(CorrelationGroup, FIELDS, _rows(system, 4), returning=True)
    groups = list(CorrelationGroup.objects.filter(pk__in=ids).order_by("pk"))
    first, twice = groups[0], CorrelationGroup.objects.get(pk=groups[1].pk)
    first.firing_count, first.closed_at, first.sibling_tokens = 99, None, ["新"]
    groups[1].firing_count = 5
    twice.firing_count, twice.closed_at = 6, T0 + dt.timedelta(hours=1)
    update_rows(CorrelationGroup, ["firing_count", "closed_at", "sibling_tokens"], [first, groups[1], twice])
    after = {g.pk: g for g in CorrelationGroup.objects.filter(pk__in=ids)}
    changed = after[first.pk]
    assert (changed.firing_count, changed.closed_at, changed.sibling_tokens) == (99, None, ["新"])
    assert (after[twice.pk].firing_count, after[twice.pk].closed_at) == (6, T0 + dt.timedelta(hours=1))
    assert [after[g.pk].firing_count for g in groups[2:]] == [2, 3]  # the others untouched


def test_select_in_reads_every_value_across_chunks_with_the_statements_other_parameters(system):
    ids = insert_rows(CorrelationGroup, FIELDS, _rows(system, CHUNK + 30), returning=True)
    rows = select_in(f"SELECT id, firing_count FROM {TABLE} WHERE id {{in_values}} AND firing_count >= %s",
                     set(ids), [10])
    assert sorted(rows) == sorted((pk, n) for n, pk in enumerate(ids) if n >= 10)
    assert select_in(f"SELECT id FROM {TABLE} WHERE id {{in_values}}", set()) == []
