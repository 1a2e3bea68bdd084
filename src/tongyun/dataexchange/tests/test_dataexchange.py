"""数据对接: the rows' interface duties seeded with lines, a resource through its states, push figures as the
month's success and timeliness rates (row 69), the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.dataexchange import services
from tongyun.dataexchange.models import DataResource


@pytest.fixture
def duties(db):
    services.seed_tender_duties()
    return DataResource.objects.select_related("system")


def test_the_rows_interface_duties_are_seeded(duties):
    rows = sorted(r.system.row_no for r in duties)
    assert rows == [34, 37, 52, 69, 89, 90, 92, 119]
    row69 = duties.get(system__row_no=69)
    assert row69.source_line == 14016 and "成功率与及时率" in row69.duty_text and row69.state == "planned"
    assert services.seed_tender_duties() == 0


def test_a_resource_through_its_states(duties, user_of):
    resource = duties.get(system__row_no=89)
    pm, officer = user_of("pm"), user_of("dataquality")
    with pytest.raises(ValidationError):
        services.advance(pm, resource, "verified")  # no skipping
    services.advance(pm, resource, "connected", note="接口联调完成")
    with pytest.raises(PermissionDenied):
        services.advance(pm, resource, "verified")  # the contractor does not verify its own work
    services.advance(officer, resource, "verified", note="抽检 100 条一致")
    resource.refresh_from_db()
    assert resource.state == "verified" and resource.state_changed_by == officer
    assert "接口联调完成" in resource.note and "抽检" in resource.note


def test_row_69s_push_rates_are_a_monthly_fact(duties, user_of):
    resource = duties.get(system__row_no=69)
    pm = user_of("pm")
    for day in range(1, 31):
        succeeded = 12 if day == 3 else 24
        services.record_pushes(pm, resource, day=dt.date(2026, 11, day), expected=24, succeeded=succeeded,
                               on_time=succeeded if day > 10 else min(20, succeeded))
    with pytest.raises(ValidationError):
        services.record_pushes(pm, resource, day=dt.date(2026, 11, 1), expected=24, succeeded=25, on_time=0)
    system = resource.system
    success = facts.values("dataexchange.push_success_pct", [system.pk], dt.date(2026, 11, 1))[system.pk]
    on_time = facts.values("dataexchange.push_on_time_pct", [system.pk], dt.date(2026, 11, 1))[system.pk]
    assert success == (Decimal(720 - 12) * 100 / 720).quantize(Decimal("0.01"))  # 98.33
    # days 1–10: 20 on time (day 3: its 12), days 11–30: all 24 → (9·20 + 12 + 20·24) / 720
    assert on_time == (Decimal(9 * 20 + 12 + 20 * 24) * 100 / 720).quantize(Decimal("0.01"))  # 93.33
    other = System.objects.get(row_no=1)
    assert facts.values("dataexchange.push_success_pct", [other.pk], dt.date(2026, 11, 1)) == {other.pk: None}


def test_api(duties, client, api_as):
    resource = duties.get(system__row_no=119)
    headers = api_as("pm")
    url = f"/api/v1/dataexchange/resources/{resource.pk}/state"
    assert client.post(url, {"state": "connected", "by": "x"}, content_type="application/json",
                       headers=headers).status_code == 422
    assert client.post(url, {"state": "verified"}, content_type="application/json", headers=headers).status_code \
        == 422
    moved = client.post(url, {"state": "connected"}, content_type="application/json", headers=headers)
    assert moved.status_code == 200 and moved.json()["state"] == "connected"
    listed = client.get("/api/v1/dataexchange/resources?state=connected", headers=headers).json()["results"]
    assert [row["id"] for row in listed] == [resource.pk]
