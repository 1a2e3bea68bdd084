import datetime as dt

import pytest
from auditlog.models import LogEntry

from tongyun.catalog.models import System
from tongyun.catalog.services import record_system_change, system_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_system(user_of):
    system = System.objects.get(row_no=7)
    system_update(user_of("bureau_admin"), system, mlps_level=3, deployment="政务云（迁移后）")
    record_system_change(user_of("pm"), system, kind="shutdown", effective_date=dt.date(2026, 10, 1),
                         description="系统下线")
    return system


def test_every_change_records_who_when_what_before_and_after(changed_system, user_of):
    entries = LogEntry.objects.get_for_object(changed_system).order_by("timestamp", "id")
    update, shutdown = list(entries)[-2:]
    assert update.actor == user_of("bureau_admin")
    assert update.changes_dict["deployment"][1] == "政务云（迁移后）"
    assert shutdown.actor == user_of("pm")
    assert shutdown.changes_dict["service_end"] == ["2026-12-31", "2026-09-30"]
    assert shutdown.timestamp >= update.timestamp


@pytest.mark.parametrize("viewer", ["bureau_admin", "bureau_staff", "supervisor"])
def test_bureau_and_supervisor_browse_the_history_of_an_object(viewer, changed_system, client_as, api_as, client,
                                                              user_of):
    page = client_as(viewer).get(f"/audit/system/{changed_system.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "政务云（迁移后）" in text and "2026-09-30" in text and user_of("pm").full_name in text
    entries = client.get(f"/api/v1/audit/system/{changed_system.pk}", headers=api_as(viewer)).json()
    assert {e["actor"] for e in entries} >= {"bureau_admin", "pm"}
    everything = client_as(viewer).get("/audit/?model=system")
    assert everything.status_code == 200 and changed_system.name in everything.content.decode()


@pytest.mark.parametrize("viewer", ["unit01", "pm", "engineer"])
def test_others_cannot_browse_the_audit_trail(viewer, changed_system, client_as, api_as, client):
    assert client_as(viewer).get(f"/audit/system/{changed_system.pk}/").status_code == 404
    assert client_as(viewer).get("/audit/").status_code == 404
    assert client.get("/api/v1/audit/entries", headers=api_as(viewer)).status_code == 404


def test_unknown_model_is_404(client_as):
    assert client_as("bureau_admin").get("/audit/user/1/").status_code == 404
