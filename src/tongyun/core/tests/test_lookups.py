"""Incident.state__in with the field's choices is written into the SQL on SQLite, so that SQLite's planner
can use the open-ticket partial indexes; other values are bound (the board and home tests read the rows)."""

import pytest
from django.db import connection

from tongyun.domain.incident_lifecycle import OPEN_STATES
from tongyun.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL quotes the values into the SQL already")
def test_open_states_are_literals_and_the_partial_index_is_used():
    unassigned = Incident.objects.filter(state__in=OPEN_STATES, assignee__isnull=True).order_by("response_due")
    sql, params = unassigned.query.sql_with_params()
    assert "IN ('acknowledged', 'dispatched'," in sql and "acknowledged" not in [str(p) for p in params]
    # the statistics of a district's table (100,000 tickets, 47 open and unassigned), as ANALYZE left them
    # on the board bench: the plan then depends on whether SQLite may use the partial index at all
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'incidents_incident'")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES ('incidents_incident', %s, %s)", [
            ("incident_assignee_state", "100000 25000 3572"), ("incident_unassigned_response", "47 1"),
            ("incident_state_response_due", "100000 8334 1"),
            ("incidents_incident_assignee_id_34068d21", "100000 25000")])
        cursor.execute("ANALYZE sqlite_schema")
    assert "incident_unassigned_response" in _plan(unassigned)
    bound = sql.replace("IN ('acknowledged', 'dispatched', 'in_progress', 'on_site', 'reported', 'triaged', "
                        "'waiting_parts', 'waiting_user', 'waiting_vendor')", "IN (" + ", ".join(["%s"] * 9) + ")")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + bound, [*sorted(OPEN_STATES), *params])
        assert "incident_unassigned_response" not in " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL quotes the values into the SQL already")
def test_values_that_are_not_choices_are_bound():
    sql, params = Incident.objects.filter(state__in=["reported", "x') OR 1=1 --"]).query.sql_with_params()
    assert "OR 1=1" not in sql and "x') OR 1=1 --" in params

