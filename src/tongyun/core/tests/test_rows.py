"""The row-plan lists (core.rows, core.pagination.paginate_rows) answer exactly what ninja's validation of
the ORM objects answered: each item compared, as JSON text, with `schema.model_validate(obj).model_dump()`
rendered by the API's own encoder; and the plan refuses a schema it cannot prove unchanged."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.models import Device, System
from tongyun.catalog.schemas import DeviceOut, SystemOut
from tongyun.core.rows import RowPlan
from tongyun.incidents import selectors as incident_selectors
from tongyun.incidents.models import Incident
from tongyun.incidents.schemas import IncidentOut
from tongyun.inspections import selectors as inspection_selectors
from tongyun.inspections.models import InspectionPlan, InspectionTask
from tongyun.inspections.schemas import TaskOut
from tongyun.monitoring import selectors as monitoring_selectors
from tongyun.monitoring.models import AlertSource, Event
from tongyun.monitoring.schemas import AlertEventOut

UTC = dt.UTC


@pytest.fixture
def rows(db, user_of, system_of):
    system = system_of("区经信局")
    other = System.objects.exclude(unit=system.unit).order_by("id").first()
    engineer = user_of("engineer")
    camera = Device.objects.create(system=system, code="ROW-1", name="摄像机 1", kind="摄像机", quantity=2,
                                   latitude=Decimal("40.130000"), longitude=Decimal("116.654321"),
                                   ip_address="10.1.2.3", install_date=dt.date(2025, 5, 6))
    Device.objects.create(system=other, code="ROW-2", name="交换机", kind="交换机", upstream=None)
    base = dt.datetime(2026, 12, 31, 23, 59, 58, 987654, tzinfo=UTC)  # 2027 in Beijing, microseconds
    Incident.objects.create(system=system, title="离线", severity="urgent", reported_at=base, device=camera,
                            assignee=engineer, acknowledged_at=base + dt.timedelta(minutes=3),
                            response_due=base + dt.timedelta(minutes=30), calendar_unknown_year=2027,
                            source="api", policy={"targets": {"response": "30 分钟"}})
    Incident.objects.create(system=other, title="慢", severity="minor", reported_at=base - dt.timedelta(days=40))
    source = AlertSource.objects.create(name="rows", kind="alertmanager", token_hash="f" * 64, token_prefix="r")
    Event.objects.create(source=source, fingerprint="a", status="firing", starts_at=base, system=system,
                         device=camera, severity="general", summary="摄像机离线", labels={"a": [1, {"b": None}]})
    Event.objects.create(source=source, fingerprint="b", status="resolved", starts_at=base, ends_at=base,
                         unmapped=True)
    plan = InspectionPlan.objects.create(system=system, name="月巡检", frequency="monthly")
    InspectionTask.objects.create(plan=plan, system=system, scheduled_for=dt.date(2020, 1, 1),
                                  due_date=dt.date(2020, 1, 2))  # overdue: "missed", a resolver's value
    InspectionTask.objects.create(plan=plan, system=system, scheduled_for=dt.date(2099, 1, 1),
                                  due_date=dt.date(2099, 1, 2), assignee=engineer, state="done",
                                  completed_at=base)


CASES = [
    ("/api/v1/incidents", IncidentOut, lambda user: incident_selectors.incident_list(user),
     ("-reported_at", "-id")),
    ("/api/v1/devices", DeviceOut, lambda user: catalog_selectors.device_list(user, {}), ("id",)),
    ("/api/v1/systems", SystemOut, lambda user: catalog_selectors.system_list(user, {}), ("id",)),
    ("/api/v1/monitoring/alerts", AlertEventOut, lambda user: monitoring_selectors.event_list(user, {}), ("-id",)),
    ("/api/v1/inspections/tasks", TaskOut, lambda user: inspection_selectors.task_list(user, {}),
     ("scheduled_for", "id")),
]


@pytest.mark.parametrize(("url", "schema", "objects", "ordering"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("username", ["bureau_admin", "unit_admin", "engineer"])
def test_rows_answer_what_validation_answered(rows, client, api_as, user_of, url, schema, objects, ordering,
                                               username):
    response = client.get(f"{url}?page_size=500", headers=api_as(username))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    page = json.loads(response.content)
    assert list(page) == ["previous", "next", "results"]
    expected = [json.dumps(schema.model_validate(obj).model_dump(), cls=NinjaJSONEncoder)
                for obj in objects(user_of(username)).order_by(*ordering)[:500]]
    assert [json.dumps(item) for item in page["results"]] == expected
    assert expected or username == "engineer"


def test_cursor_walk_is_the_same_list(rows, client, api_as):
    headers = api_as("bureau_admin")
    whole = client.get("/api/v1/incidents?page_size=500", headers=headers).json()["results"]
    walked, url = [], "/api/v1/incidents?page_size=1"
    while url:
        page = client.get(url, headers=headers).json()
        walked += page["results"]
        url = page["next"]
    assert walked == whole and len(whole) >= 2


def test_plan_refuses_what_it_cannot_prove_unchanged():
    class Coerced(Schema):
        id: str  # pydantic would turn the int into a string

    class NotOptional(Schema):
        assignee: str = Field(..., alias="assignee.username")  # a null assignee would fail validation

    class Constrained(Schema):
        title: str = Field(..., max_length=5)

    class Relation(Schema):
        system: int  # the relation, not its system_id column

    for schema in (Coerced, NotOptional, Constrained, Relation):
        with pytest.raises(ImproperlyConfigured):
            RowPlan(Incident, schema)
    plan = RowPlan(Incident, IncidentOut)
    # one column per field in the schema's order; the property `number` reads the primary key in its place
    assert (plan.names[:4], plan.columns[:4]) == (("id", "number", "system_id", "system_name"),
                                                  ("id", "id", "system_id", "system__name"))


def test_a_resolver_computes_a_per_page_value_once_per_page():
    calls = []

    class Stamped(Schema):
        id: int
        today: str

        @staticmethod
        def resolve_today(row) -> str:
            return row.once("today", lambda: calls.append(1) or f"day {len(calls)}")

    plan = RowPlan(System, Stamped)
    assert plan.columns == ("id", "id")  # the computed field's place reads the primary key, then replaced
    assert plan.shape([(1, 1), (2, 2)]) == [{"id": 1, "today": "day 1"}, {"id": 2, "today": "day 1"}]
    assert plan.shape([(3, 3)]) == [{"id": 3, "today": "day 2"}]  # a new page asks again
