"""The monthly figures as defined in docs/availability.md, through the selectors, the pages, the API
and the Excel export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongyun.availability import selectors, services
from tongyun.availability.models import AvailabilityTarget
from tongyun.catalog.models import Device, System

from .conftest import at

NOW = at(11, 20)  # after October


@pytest.fixture
def worked_example(make_system, device, outage, user_of):
    """October (744 h). D1 (one camera) is down 5 Oct 00:00 → 6 Oct 06:00 (30 h). An approved maintenance
    window of the whole system 5 Oct 10:00–20:00 (10 h) and an accepted force-majeure outage of D1 only
    6 Oct 01:00–16:00 (15 h) overlap it. D2 (4 identical recorders) is never down."""
    system = make_system()
    d1, d2 = device(system, 1, name="D1"), device(system, 4, kind="录像机", name="D2")
    outage(d1, at(10, 5), at(10, 6, 6))
    pm, bureau, unit_admin = user_of("pm"), user_of("bureau_admin"), user_of("unit_admin")
    window = services.request_window(pm, system, start=at(10, 5, 10), end=at(10, 5, 20), reason="升级存储")
    services.approve_window(unit_admin, window)
    accepted = services.request_acceptance(pm, system, kind="force_majeure", start=at(10, 6, 1), end=at(10, 6, 16),
                                           description="暴雨停电", devices=[d1],
                                           evidence=ContentFile(b"%PDF-1.4", name="notice.pdf"))
    services.approve_acceptance(bureau, accepted)
    # neither a pending nor a rejected request changes anything
    services.request_window(pm, system, start=at(10, 1), end=at(10, 31), reason="未批准")
    rejected = services.request_window(pm, system, start=at(10, 1), end=at(10, 31), reason="被驳回")
    services.reject_window(unit_admin, rejected, note="时间太长")
    return system, d1, d2


def test_worked_example_exclusions_leave_both_sides(worked_example, user_of):
    system, d1, d2 = worked_example
    table = selectors.device_table(user_of("bureau_admin"), system, "2026-10", now=NOW)
    rows = {r["device_id"]: r for r in table["devices"]}
    # D1: E = 10 h + 15 h = 25 h; S = 744 − 25 = 719 h; D = 30 − 10 − 5 = 15 h; A = 1 − 15/719 = 97.91 %
    assert rows[d1.pk]["excluded_hours"] == 25
    assert rows[d1.pk]["service_hours"] == 719
    assert rows[d1.pk]["down_hours"] == 15
    assert rows[d1.pk]["availability"] == round((1 - 15 / 719) * 100, 2) == 97.91
    # D2: only the window applies (the force majeure names D1): S = 734 h, never down
    assert rows[d2.pk]["excluded_hours"] == 10 and rows[d2.pk]["availability"] == 100.0
    # system: device-unit-weighted (1 × 97.9138 % + 4 × 100 %) / 5 = 99.58 %
    assert table["system"]["availability"] == round((1 * (1 - 15 / 719) + 4 * 1.0) / 5 * 100, 2) == 99.58
    assert table["system"]["device_units"] == 5
    assert table["system"]["down_hours"] == 15
    assert table["system"]["excluded_hours"] == 25 + 4 * 10
    assert table["system"]["service_hours"] == 719 + 4 * 734


def test_overlapping_outages_of_one_device_count_once(make_system, device, outage, user_of):
    system = make_system()
    camera = device(system)
    outage(camera, at(10, 2), at(10, 3))  # 24 h
    outage(camera, at(10, 2, 12), at(10, 3, 12), cause="manual")  # the same fault recorded again, +12 h
    table = selectors.device_table(user_of("bureau_admin"), system, "2026-10", now=NOW)
    assert table["devices"][0]["down_hours"] == 36
    assert table["devices"][0]["outages"] == 2


def test_open_outage_runs_to_now_and_the_current_month_to_now(make_system, device, outage, user_of):
    system = make_system()
    camera = device(system)
    outage(camera, at(11, 19), None)  # still down at NOW (20 Nov 00:00): 24 h
    table = selectors.device_table(user_of("bureau_admin"), system, "2026-11", now=NOW)
    row = table["devices"][0]
    assert row["service_hours"] == 19 * 24
    assert row["down_hours"] == 24
    assert row["availability"] == round((1 - 24 / (19 * 24)) * 100, 2)


def test_service_start_clips_the_month(make_system, device, outage, user_of):
    """Service from 25 July: July counts 168 h. An outage on 20 July does not count; 8.4 h on the 26th
    does: 1 − 8.4 / 168 = 95 %."""
    system = make_system(service_start=dt.date(2026, 7, 25))
    camera = device(system)
    outage(camera, at(7, 20), at(7, 20, 4))
    outage(camera, at(7, 26), at(7, 26, 8, 24))
    table = selectors.device_table(user_of("bureau_admin"), system, "2026-07", now=NOW)
    assert table["devices"][0]["service_hours"] == 168
    assert table["devices"][0]["down_hours"] == 8.4
    assert table["system"]["availability"] == 95.0
    # June: not in service at all — no figure, not 100 %
    june = selectors.device_table(user_of("bureau_admin"), system, "2026-06", now=NOW)
    assert june["system"]["availability"] is None and not june["system"]["in_service"]


def test_quantity_counts_device_units(make_system, device, outage, user_of):
    """10 cameras on one row, one of them down 74.4 h: 1 − 74.4 / (10 × 744) = 99 %; with a single
    server never down the system is (10 × 99 % + 1 × 100 %) / 11 = 99.09 %."""
    system = make_system()
    cameras, server = device(system, 10), device(system, 1, kind="服务器")
    outage(cameras, at(10, 1), at(10, 4, 2, 24))
    table = selectors.device_table(user_of("bureau_admin"), system, "2026-10", now=NOW)
    rows = {r["device_id"]: r for r in table["devices"]}
    assert rows[cameras.pk]["availability"] == 99.0 and rows[server.pk]["availability"] == 100.0
    assert table["system"]["availability"] == round((10 * 0.99 + 1) / 11 * 100, 2) == 99.09
    assert table["system"]["device_units"] == 11


@pytest.fixture
def row29(targets, device, outage):
    """非现场执法管理系统 (row 29, target 98 %): its tender devices replaced by one camera row."""
    system = System.objects.get(row_no=29)
    Device.objects.filter(system=system).delete()
    camera = device(system, 1)
    return system, camera


def test_row_29_target_98_shortfall_flagged(row29, outage, user_of, client_as):
    system, camera = row29
    assert float(AvailabilityTarget.objects.get(system=system).target_percent) == 98
    outage(camera, at(10, 10), at(10, 10, 22, 19))  # 22.32 h of 744 h: 97.00 %
    table = selectors.availability_table(user_of("unit_admin_police"), "2026-10", "system", now=NOW)
    row = next(r for r in table["rows"] if r["system_id"] == system.pk)
    assert row["availability"] == 97.0 and row["target"] == 98.0 and row["shortfall"]
    assert table["total"]["shortfall_systems"] >= 1
    units = selectors.availability_table(user_of("unit_admin_police"), "2026-10", "unit", now=NOW)
    assert units["rows"][0]["shortfall_systems"] >= 1
    page = client_as("unit_admin_police").get("/availability/?month=2026-10")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<tr class="shortfall" data-row="{system.pk}">' in html


def test_row_29_exactly_98_is_met(row29, outage, user_of):
    system, camera = row29
    outage(camera, at(10, 10), at(10, 10) + dt.timedelta(hours=14.88))  # 2 % of 744 h
    row = selectors.device_table(user_of("bureau_admin"), system, "2026-10", now=NOW)["system"]
    assert row["availability"] == 98.0 and not row["shortfall"]


def test_excel_export_equals_the_table(worked_example, row29, outage, client_as, user_of):
    system, camera = row29
    outage(camera, at(10, 10), at(10, 10, 22, 19))
    client = client_as("bureau_admin")
    response = client.get("/availability/export/?month=2026-10")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    user = user_of("bureau_admin")
    for sheet, group_by, key in (("按系统", "system", "system"), ("按用户单位", "unit", "unit")):
        table = selectors.availability_table(user, "2026-10", group_by)
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        cells = {row[header.index("系统" if group_by == "system" else "用户单位")]: row
                 for row in ws.iter_rows(min_row=2, values_only=True)}
        assert len(cells) == len(table["rows"]) + 1  # and the total
        for row in table["rows"]:
            line = cells[row[key]]
            shown = line[header.index("可用率")]
            assert (None if shown is None else round(shown * 100, 2)) == row["availability"], row[key]
            assert line[header.index("停机时长（台·小时）")] == row["down_hours"]
            assert line[header.index("设备台数")] == row["device_units"]
        total = cells["合计"]
        assert round(total[header.index("可用率")] * 100, 2) == table["total"]["availability"]
    # and the page shows the same figure for row 29
    html = client.get("/availability/?month=2026-10").content.decode()
    assert "97.00%" in html


def test_api_monthly_and_drill_down(worked_example, client, api_as):
    system, d1, _d2 = worked_example
    headers = api_as("unit_admin")
    payload = client.get("/api/v1/availability?month=2026-10&group_by=system", headers=headers).json()
    row = next(r for r in payload["results"] if r["system_id"] == system.pk)
    assert row["availability"] == 99.58 and row["device_units"] == 5
    units = client.get("/api/v1/availability?month=2026-10&group_by=unit", headers=headers).json()
    assert [r["unit"] for r in units["results"]] == ["区经信局"]
    devices = client.get(f"/api/v1/availability/systems/{system.pk}/devices?month=2026-10", headers=headers).json()
    assert {r["device_id"]: r["availability"] for r in devices["results"]}[d1.pk] == 97.91
    assert client.get("/api/v1/availability?month=2026-13", headers=headers).status_code == 422
    foreign = client.get(f"/api/v1/availability/systems/{system.pk}/devices",
                         headers=api_as("unit_admin_police"))
    assert foreign.status_code == 404


def test_pages_render(worked_example, client_as):
    system, d1, _d2 = worked_example
    client = client_as("unit_admin")
    assert "99.58%" in client.get("/availability/?month=2026-10").content.decode()
    assert "区经信局" in client.get("/availability/?month=2026-10&group_by=unit").content.decode()
    page = client.get(f"/availability/systems/{system.pk}/?month=2026-10").content.decode()
    assert "97.91%" in page and "暴雨停电" in page and "升级存储" in page
    assert client.get("/availability/?month=bad").status_code == 400
    assert client_as("unit_admin_police").get(f"/availability/systems/{system.pk}/").status_code == 404


def test_bulk_computation_takes_few_queries(worked_example, user_of):
    with CaptureQueriesContext(connection) as queries:
        selectors.availability_table(user_of("bureau_admin"), "2026-10", "system", now=NOW)
    assert len(queries) <= 10  # + what monitoring observed: device states and first alerts


def test_fresh_install_shows_no_data_not_100_percent(user_of, client_as):
    """The tender's devices, nobody monitoring them: every system with devices reads "no data" with 0 %
    of its device-time observed — not 100.00 %."""
    table = selectors.availability_table(user_of("bureau_admin"), "2026-10", "system", now=NOW)
    with_devices = [row for row in table["rows"] if row["device_units"]]
    assert with_devices
    assert all(row["availability"] is None and row["observed_share"] == 0 for row in with_devices)
    page = client_as("bureau_admin").get("/availability/?month=2026-10").content.decode()
    assert "100.00" not in page and "无数据" in page


def test_unwatched_time_is_left_out_and_shared(make_system, device, outage, user_of):
    system = make_system()
    watched = device(system, watched_since=at(10, 21))  # monitored from 21 October
    device(system, watched_since=None)                   # nobody watches this one
    outage(watched, at(10, 22), at(10, 22, 7, 26))       # 7.4333 h down
    row = next(r for r in selectors.availability_table(user_of("bureau_admin"), "2026-10", "system",
                                                        now=NOW)["rows"] if r["system_id"] == system.pk)
    observed_hours = 11 * 24
    assert row["availability"] == round(100 * (1 - (7 + 26 / 60) / observed_hours), 2)
    assert row["observed_share"] == round(100 * observed_hours / (2 * 744), 2)
