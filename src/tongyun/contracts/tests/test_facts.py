"""The monthly facts the evaluation reads from inspections and availability (incidents: test_money.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from tongyun.catalog.models import Device
from tongyun.core import facts
from tongyun.inspections.models import InspectionPlan, InspectionTask
from tongyun.monitoring.models import DeviceState, Outage

SH = ZoneInfo("Asia/Shanghai")
MARCH = dt.date(2026, 3, 1)


def test_inspections_done_on_time(db, system_of):
    system = system_of("区教委")
    other = system_of("区经信局")
    plan = InspectionPlan.objects.create(system=system, name="p", frequency="weekly", rrule="FREQ=WEEKLY")
    done_at = dt.datetime(2026, 3, 3, 10, tzinfo=SH)
    InspectionTask.objects.create(plan=plan, system=system, scheduled_for=dt.date(2026, 3, 2),
                                  due_date=dt.date(2026, 3, 4), state="done", completed_at=done_at)  # on time
    InspectionTask.objects.create(plan=plan, system=system, scheduled_for=dt.date(2026, 3, 9),
                                  due_date=dt.date(2026, 3, 11), state="done",
                                  completed_at=dt.datetime(2026, 3, 13, 10, tzinfo=SH))  # late
    InspectionTask.objects.create(plan=plan, system=system, scheduled_for=dt.date(2026, 3, 16),
                                  due_date=dt.date(2026, 3, 18), state="pending")  # missed
    values = facts.values("inspections.on_time_pct", [system.pk, other.pk], MARCH)
    # 1 on time of 3 decided (2 done + 1 overdue) = 33.3 %; a system without tasks is not measured
    assert values == {system.pk: 33.3, other.pk: None}
    assert facts.values("inspections.report_on_time", [system.pk], MARCH) == {system.pk: None}


def test_availability_facts(db, system_of):
    system = system_of("区教委")
    system.service_start, system.service_end = dt.date(2026, 1, 1), None
    system.save(update_fields=["service_start", "service_end"])
    system.devices.all().delete()
    assert facts.values("availability.availability_pct", [system.pk], MARCH) == {system.pk: None}
    assert facts.values("availability.observed_pct", [system.pk], MARCH) == {system.pk: None}
    device = Device.objects.create(system=system, kind="服务器", quantity=1)
    cameras = Device.objects.create(system=system, kind="摄像机", quantity=3)
    # a device nobody watches has no figure (honest availability): both are monitored from 1 March
    for watched in (device, cameras):
        DeviceState.objects.create(device=watched, status="up", since=dt.datetime(2026, 3, 1, tzinfo=SH))
    # one server down for 31 × 24 / 10 hours (a tenth of March): 1 of 4 units at 90 %, 3 at 100 % → 97.5 %
    start = dt.datetime(2026, 3, 1, tzinfo=SH)
    Outage.objects.create(device=device, system=system, start=start, end=start + dt.timedelta(hours=74.4),
                          cause="manual")
    with facts.reading():
        table = facts.table(["availability.availability_pct", "availability.observed_pct",
                             "availability.target_met"], [system.pk], MARCH)
    assert table["availability.availability_pct"][system.pk] == 97.5
    assert table["availability.observed_pct"][system.pk] == 100.0
    assert table["availability.target_met"][system.pk] is None  # no target set
