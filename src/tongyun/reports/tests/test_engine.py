"""The report engine: a monthly O&M report of row 1 for October 2026, number by number against the sources;
deadlines; sections that are not built; the end-of-term package."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.catalog.models import System
from tongyun.core import report_sections
from tongyun.incidents.models import Incident
from tongyun.inspections.models import InspectionResult, InspectionTask
from tongyun.reports import engine, services, types
from tongyun.reports.models import Report

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def section(data, key):
    return next(s for part in data["parts"] for s in part["sections"] if s["key"] == key)


def figures(data, key):
    return {f["label"]: f["value"] for f in section(data, key)["figures"]}


def test_monthly_report_numbers_match_the_sources(monthly, month):
    system = month["system"]
    data = monthly.data
    assert data["scope"] == "区经信局 · 智慧顺义基础地理信息平台" and data["period"] == "2026年10月"
    assert monthly.due_at == dt.datetime(2026, 11, 7, 23, 59, 59, tzinfo=SH)  # first week of November

    incidents = Incident.objects.filter(system=system, reported_at__gte=dt.datetime(2026, 10, 1, tzinfo=SH),
                                        reported_at__lt=dt.datetime(2026, 11, 1, tzinfo=SH))
    assert incidents.count() == 2
    acknowledged = [i for i in incidents if i.acknowledged_at and i.acknowledged_at <= i.response_due]
    found = figures(data, "incidents.summary")
    assert found["故障数"] == 2
    assert found["响应达标"] == len(acknowledged) == 1
    assert found["响应超时"] == 1  # the other one was never acknowledged and is past due
    assert found["响应及时率"] == 50.0
    table = section(data, "incidents.summary")["tables"][0]
    assert sorted(row[0] for row in table["rows"]) == sorted(i.number for i in incidents)
    assert {row[7] for row in table["rows"]} == {"达标", "超时"}

    tasks = InspectionTask.objects.filter(system=system, scheduled_for__month=10, scheduled_for__year=2026)
    found = figures(data, "inspections.summary")
    assert found["计划巡检"] == tasks.count() == 1 + len(month["weekly"])
    assert found["已完成"] == tasks.filter(state="done").count() == 3
    missed = [t for t in tasks if t.state != "done" and t.due_date < dt.date.today()]
    assert found["逾期未巡检"] == len(missed) > 0
    assert found["发现异常项"] == InspectionResult.objects.filter(task__in=tasks, passed=False).count() == 1

    found = figures(data, "availability.summary")
    assert found["设备停机次数"] == 1 and found["停机时长（期内）"] == 2.5
    (outage_table,) = [t for t in section(data, "availability.summary")["tables"] if t["title"] == "设备停机记录"]
    assert outage_table["rows"][0][:4] == [system.name, "GIS-01", "2026-10-12 09:00", "2026-10-12 11:30"]
    # every section the type names is built and says what it is
    assert [s["key"] for s in data["parts"][0]["sections"]] == list(types.get("om_monthly_system").sections)
    assert all(s["available"] for s in data["parts"][0]["sections"])
    chart = section(data, "incidents.summary")["chart"]
    assert dict(zip(chart["labels"], chart["values"], strict=True))["一般"] == 2 == sum(chart["values"])


def test_a_section_nobody_registered_says_so():
    data = engine.section_data("nowhere.section", [1], dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert data["available"] is False and "尚未建设" in data["note"]
    assert report_sections.get("incidents.summary") is not None


def test_row_13_quarterly_and_annual_due_dates():
    system = System.objects.get(row_no=13)
    quarterly, _ = services.generate(types.get("row13_quarterly"), start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
                                     system=system)
    assert quarterly.due_at == dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=SH)
    annual, _ = services.generate(types.get("row13_annual"), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                                  system=system)
    assert annual.due_at == dt.datetime(2027, 1, 30, 23, 59, 59, tzinfo=SH)
    # the row-13 types are for row 13 only
    with pytest.raises(Exception, match="不适用"):
        services.generate(types.get("row13_quarterly"), start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
                          system=System.objects.get(row_no=1))


def test_worker_generates_drafts_on_their_cadence():
    # 1 September: the running quarter's row-13 report is due on the 30th — its draft exists from now on
    services.generate_due(dt.date(2026, 9, 1))
    assert Report.objects.filter(type_key="row13_quarterly", period_start=dt.date(2026, 7, 1)).count() == 1
    # and August's monthly reports, one per system in service and one per unit
    in_service = services.in_service(dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    assert Report.objects.filter(type_key="om_monthly_system", period_start=dt.date(2026, 8, 1)).count() == \
        in_service.count() > 0
    assert Report.objects.filter(type_key="om_monthly_unit", period_start=dt.date(2026, 8, 1)).count() == \
        in_service.values("unit").distinct().count()
    before = Report.objects.count()
    again = services.generate_due(dt.date(2026, 9, 1))
    assert again.created == 0 and Report.objects.count() == before  # idempotent


def test_end_of_term_package_lists_exactly_the_four_documents(user_of):
    system = System.objects.get(row_no=1)
    report = services.create(user_of("pm"), "term_package", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                             system_id=system.pk)
    assert report.data["documents"] == ["系统运行报告", "设备巡检报告", "维保工作报告", "备品备件库存清单"]
    assert [part["title"] for part in report.data["parts"]] == report.data["documents"]
    assert types.get("term_package").signers[-1] == "supervisor"
