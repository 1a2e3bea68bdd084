"""The worker's batch path (services.generate_period → engine.build_many, the sections' batched forms) makes
the same reports as the single-report path (engine.build through services.compute), number by number: every
report of a month for every system and unit, and of a quarter, with rows cut at a small limit so that the
merge of several systems' first rows is exercised too (incidents and inspection findings)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.catalog.models import Device, System
from tongyun.core import facts, report_sections
from tongyun.incidents import report_sections as incident_sections
from tongyun.incidents import services as incident_services
from tongyun.inspections import report_sections as inspection_sections
from tongyun.inspections.models import ChecklistItem, InspectionPlan, InspectionResult, InspectionTask
from tongyun.monitoring.models import Outage
from tongyun.reports import engine, services, types
from tongyun.reports.models import Report

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 1, 1, 0, tzinfo=SH)
pytestmark = pytest.mark.django_db


@pytest.fixture
def district(month, user_of):
    """Row 1's month (conftest) plus incidents, outages and inspections on systems of two other units and of
    row 1's unit: some in October (one cancelled, one resolved in time, one resolved after the month: an open
    risk), some in September still open (open risks only), one in November (in no October report)."""
    dispatcher, engineer = user_of("dispatcher"), user_of("engineer")
    items = list(ChecklistItem.objects.order_by("id")[:3])
    row1 = month["system"]
    others = list(System.objects.exclude(unit=row1.unit).exclude(service_start__isnull=True)
                  .order_by("row_no")[:3])
    same_unit = System.objects.filter(unit=row1.unit).exclude(pk=row1.pk).exclude(service_start__isnull=True).first()
    systems = [*others, *([same_unit] if same_unit else [])]
    moments = [dt.datetime(2026, 10, day, 9 + day % 5, tzinfo=SH) for day in (2, 9, 15, 23, 30)]
    for number, system in enumerate(systems):
        made = [incident_services.report_incident(dispatcher, system=system, title=f"{system.name} 故障 {i}",
                                                  severity=("general", "serious", "minor")[i % 3],
                                                  reported_at=moment, now=moment)
                for i, moment in enumerate(moments[: 2 + number])]
        september = dt.datetime(2026, 9, 20 + number, 10, tzinfo=SH)
        incident_services.report_incident(dispatcher, system=system, title="九月遗留", severity="general",
                                          reported_at=september, now=september)
        made[0].__class__.objects.filter(pk=made[0].pk).update(
            state="closed", acknowledged_at=made[0].reported_at + dt.timedelta(minutes=3),
            resolved_at=made[0].reported_at + dt.timedelta(hours=2))
        made[1].__class__.objects.filter(pk=made[1].pk).update(
            state="closed", resolved_at=dt.datetime(2026, 11, 3, tzinfo=SH))
        if len(made) > 2:
            made[2].__class__.objects.filter(pk=made[2].pk).update(state="cancelled")
        device = Device.objects.create(system=system, kind="服务器", name=f"SRV-{number}")
        Outage.objects.create(device=device, system=system, cause="monitoring",
                              start=dt.datetime(2026, 9, 30, 22, tzinfo=SH) + dt.timedelta(days=number),
                              end=dt.datetime(2026, 10, 1, 3, tzinfo=SH) + dt.timedelta(days=number, minutes=7))
        _inspections(system, number, items, engineer)
    november = dt.datetime(2026, 11, 2, 10, tzinfo=SH)
    incident_services.report_incident(dispatcher, system=systems[0], title="十一月", severity="general",
                                      reported_at=november, now=november)
    return [row1, *systems]


def _inspections(system, number: int, items: list, engineer) -> None:
    """Weekly tasks from late September to early November: done on time (one at 23:30 on its due date),
    done late (00:30 the day after: the same UTC date), or left missed; failed items on some of them."""
    plan = InspectionPlan.objects.create(system=system, name="每周远程巡检", frequency="weekly", mode="remote")
    for week in range(7):
        scheduled = dt.date(2026, 9, 24) + dt.timedelta(weeks=week)
        due = scheduled + dt.timedelta(days=2)
        done_at = {0: dt.datetime(due.year, due.month, due.day, 23, 30, tzinfo=SH),
                   1: dt.datetime(due.year, due.month, due.day, 10, tzinfo=SH),
                   2: dt.datetime(due.year, due.month, due.day, 10, tzinfo=SH) + dt.timedelta(hours=14, minutes=30),
                   }.get((week + number) % 4)
        task = InspectionTask.objects.create(plan=plan, system=system, scheduled_for=scheduled, due_date=due,
                                             state="done" if done_at else "pending", completed_at=done_at)
        for position, item in enumerate(items[: 1 + (week + number) % 3]):
            InspectionResult.objects.create(task=task, item=item, passed=position % 2 == 1, text=f"异常 {week}",
                                            recorded_by=engineer, recorded_at=done_at or NOW)


def _same_as_single(report_key: str, start: dt.date, end: dt.date) -> list[Report]:
    report_type = types.get(report_key)
    outcome = services.generate_period(report_type, start, end, now=NOW)
    reports = list(Report.objects.filter(type_key=report_key, period_start=start).select_related("system", "unit"))
    assert outcome.created == len(reports) > 0
    for report in reports:
        assert report.data == services.compute(report, now=NOW), report.title  # the single path, number by number
        assert report.data_at == NOW and report.created_by is None
    return reports


def _section(data: dict, key: str) -> dict:
    return next(s for part in data["parts"] for s in part["sections"] if s["key"] == key)


def _figure(data: dict, key: str, label: str):
    return next(f["value"] for f in _section(data, key)["figures"] if f["label"] == label)


def test_a_months_system_reports_equal_the_single_path(district, monkeypatch):
    monkeypatch.setattr(incident_sections, "ROW_LIMIT", 2)  # cut lists: the first rows of each system count
    monkeypatch.setattr(inspection_sections, "ROW_LIMIT", 2)
    reports = _same_as_single("om_monthly_system", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert len(reports) == services.in_service(dt.date(2026, 10, 1), dt.date(2026, 10, 31)).count() > 100
    by_system = {r.system_id: r.data for r in reports}
    # not a comparison of empty reports: the fixture's numbers are in them
    busiest = by_system[district[-1].pk] if len(district) > 4 else by_system[district[3].pk]
    assert _figure(busiest, "incidents.summary", "故障数") >= 3
    assert len(_section(busiest, "incidents.summary")["tables"][0]["rows"]) == 2
    assert _figure(by_system[district[1].pk], "incidents.open_risks", "期末未修复故障") == 2  # Sept. + Nov. 3
    assert _figure(by_system[district[1].pk], "availability.summary", "设备停机次数") == 1
    assert _figure(by_system[district[0].pk], "inspections.summary", "计划巡检") > 0
    inspected = _section(by_system[district[1].pk], "inspections.summary")
    assert {f["label"]: f["value"] for f in inspected["figures"]} == {  # 1 Oct … 29 Oct; 00:30 the day after is late
        "计划巡检": 5, "已完成": 4, "按时完成": 3, "逾期未巡检": 1, "巡检按时完成率": 60.0, "发现异常项": 7}
    assert len(inspected["tables"][0]["rows"]) == 2
    assert services.generate_period(types.get("om_monthly_system"), dt.date(2026, 10, 1),
                                    dt.date(2026, 10, 31)).created == 0  # idempotent


def test_unit_reports_merge_their_systems_like_the_single_path(district, monkeypatch):
    monkeypatch.setattr(incident_sections, "ROW_LIMIT", 3)
    monkeypatch.setattr(inspection_sections, "ROW_LIMIT", 3)
    reports = _same_as_single("om_monthly_unit", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    row1_unit = next(r for r in reports if r.unit_id == district[0].unit_id)
    assert row1_unit.data["systems"] > 1
    assert len(_section(row1_unit.data, "incidents.summary")["tables"][0]["rows"]) == 3
    assert len(_section(row1_unit.data, "inspections.summary")["tables"][0]["rows"]) == 3


def test_a_quarters_reports_with_the_month_by_month_tables(district):
    _same_as_single("quarterly_system", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    (district_report,) = _same_as_single("project_quarterly", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert _section(district_report.data, "availability.summary")["tables"][1]["title"] == "逐月情况"


@pytest.mark.parametrize("start,end", [(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
                                       (dt.date(2026, 10, 1), dt.date(2026, 12, 31))])
def test_every_batched_section_equals_its_provider(district, monkeypatch, start, end):
    # the reports above take a section's batched form for one scope too (engine.build is build_many of one):
    # here each batched section's answer for every scope is compared with its provider's, the unbatched read
    monkeypatch.setattr(incident_sections, "ROW_LIMIT", 2)
    monkeypatch.setattr(inspection_sections, "ROW_LIMIT", 2)
    serving = services.in_service(start, end).order_by("row_no", "id")
    units = {system.unit_id for system in district}
    groups = [*[[system.pk] for system in district],
              *[list(serving.filter(unit_id=unit).values_list("id", flat=True)) for unit in sorted(units)],
              list(serving.values_list("id", flat=True))]
    batched = [section for section in report_sections.registered() if section.batch is not None]
    assert "inspections.summary" in {section.key for section in batched}
    for section in batched:
        with facts.reading():
            together = engine.sections_data(section.key, groups, start, end)
        for system_ids, answer in zip(groups, together, strict=True):
            with facts.reading():
                alone = engine.section_data(section.key, system_ids, start, end)  # the provider's
            assert answer == alone, (section.key, system_ids[:3], len(system_ids))
    inspected = engine.section_data("inspections.summary", groups[1], start, end)
    assert inspected["figures"][0]["value"] >= 5 and len(inspected["tables"][0]["rows"]) == 2
