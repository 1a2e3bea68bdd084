"""Monthly inspection reports (月度巡检报告) — reports of the engine (tongyun.reports, type
`inspections.monthly`): generation from a real month of row 1 (智慧顺义基础地理信息平台, 区经信局, monthly
cadence, plus a weekly remote plan) checked number by number, lateness, submit / sign / return with
comments / resubmit, only the system's own unit signs, the Word and Excel outputs, the old addresses'
redirects, the API adapter, the worker's schedule, and another unit's 404."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import InspectionCadence, System
from tongyun.core import facts
from tongyun.domain import schedules
from tongyun.incidents import services as incident_services
from tongyun.inspections import services
from tongyun.inspections.models import InspectionPlan, MovedReport
from tongyun.reports import selectors as reports
from tongyun.reports import services as engine
from tongyun.reports import types
from tongyun.reports.choices import ReportState
from tongyun.reports.models import Report

SH = ZoneInfo("Asia/Shanghai")
OCTOBER = dt.date(2026, 10, 1)
OCTOBER_END = dt.date(2026, 10, 31)
KEY = "inspections.monthly"
NOV1 = dt.datetime(2026, 11, 1, 1, 0, tzinfo=SH)  # the monthly run
FAILED_NOTE = "地图切片服务响应超时，进程异常"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


def answer_all(user, task, now, fail=None):
    """Answer every item (one failed → incident) and complete the task."""
    for item in services.checklist_items(task):
        if fail is not None and item.pk == fail.pk:
            services.fail_item(user, task, item, note=FAILED_NOTE, severity="general", now=now)
        elif item.kind == "pass_fail":
            services.record_result(user, task, item, passed=True, now=now)
        elif item.kind == "number":
            services.record_result(user, task, item, number=item.min_value if item.min_value is not None else 1,
                                   now=now)
        elif item.kind == "text":
            services.record_result(user, task, item, text="正常", now=now)
        elif item.required:
            services.record_result(user, task, item, text="见附件", passed=True, now=now)
    return services.complete_task(user, task, note="本次巡检完成", now=now)


@pytest.fixture
def october(db, user_of):
    """Row 1's October: a monthly (tender cadence) and a weekly remote plan generated since 1 October; the
    monthly task done with one failed item (→ incident), two weekly tasks done, the rest left missed; and
    a phone report of the unit in the month."""
    services.seed_checklists()
    engineer = user_of("engineer")
    system = System.objects.select_related("unit").get(row_no=1)
    assert system.name == "智慧顺义基础地理信息平台" and system.unit.name == "区经信局"
    cadence = InspectionCadence.objects.get(system=system)
    assert cadence.frequency == "monthly"
    monthly = InspectionPlan.objects.create(system=system, source_cadence=cadence, name="每月巡检",
                                            frequency="monthly", mode="onsite",
                                            rrule=schedules.default_rrule("monthly"), assignee=engineer)
    weekly = InspectionPlan.objects.create(system=system, name="每周远程巡检", frequency="weekly", mode="remote",
                                           rrule=schedules.default_rrule("weekly"), assignee=engineer)
    for plan in (monthly, weekly):
        services.generate_tasks(plan, today=OCTOBER, since=OCTOBER)
    month_tasks = lambda plan: list(plan.tasks.filter(scheduled_for__month=10).order_by("scheduled_for"))  # noqa: E731
    (monthly_task,) = month_tasks(monthly)
    weekly_tasks = month_tasks(weekly)
    assert len(weekly_tasks) >= 3
    failing = next(i for i in services.checklist_items(monthly_task) if i.kind == "pass_fail")
    answer_all(engineer, monthly_task, at(monthly_task.scheduled_for), fail=failing)
    for task in weekly_tasks[:2]:
        answer_all(engineer, task, at(task.scheduled_for, 15))
    incident_services.report_incident(user_of("unit_admin"), system=system, title="电话报障：地图无法加载",
                                      severity="general", now=at(dt.date(2026, 10, 20)))
    return {"system": system, "monthly": monthly_task, "weekly": weekly_tasks, "failing": failing}


def generate(now=NOV1):
    return engine.generate_period(types.get(KEY), OCTOBER, OCTOBER_END, now=now)


@pytest.fixture
def report(october):
    generate()
    return Report.objects.get(type_key=KEY, system=october["system"], period_start=OCTOBER)


def section(report, key) -> dict:
    (found,) = [s for part in report.data["parts"] for s in part["sections"] if s["key"] == key]
    return found


def figures(report, key) -> dict:
    return {f["label"]: f["value"] for f in section(report, key)["figures"]}


def test_generation_snapshots_the_month(october):
    outcome = generate()
    in_service = engine.in_service(OCTOBER, OCTOBER_END).count()
    assert outcome.created == in_service == Report.objects.filter(type_key=KEY, period_start=OCTOBER).count() > 100
    report = Report.objects.get(type_key=KEY, system=october["system"], period_start=OCTOBER)
    assert report.state == ReportState.DRAFT and report.due_at == dt.datetime(2026, 11, 7, 23, 59, 59, tzinfo=SH)
    assert report.title == "2026年10月 智慧顺义基础地理信息平台 月度巡检报告"
    assert [n["heading"] for n in report.data["narratives"]] == ["巡检总结", "遗留风险", "改进建议"]
    weekly, today = october["weekly"], timezone.localdate()
    missed = [t for t in weekly[2:] if t.due_date < today]
    assert missed, "at least one weekly task is left missed"
    tasks = figures(report, "inspections.month_tasks")
    assert tasks["巡检任务"] == 1 + len(weekly)
    assert (tasks["现场巡检"], tasks["远程巡检"]) == (1, len(weekly))
    assert tasks["已完成"] == 3 and tasks["逾期未巡检"] == len(missed)
    assert tasks["未到期"] == len(weekly) - 2 - len(missed)
    (table,) = section(report, "inspections.month_tasks")["tables"]
    assert len(table["rows"]) == 1 + len(weekly)
    (monthly_row,) = [row for row in table["rows"] if row[1] == "每月巡检"]
    assert monthly_row[5] == "已完成" and monthly_row[10] == 1  # one failed item
    assert sum(1 for row in table["rows"] if row[5] == "已逾期") == len(missed)
    assert figures(report, "inspections.month_findings") == {"异常项": 1, "已报障": 1}
    (finding,) = section(report, "inspections.month_findings")["tables"][0]["rows"]
    incident = october["monthly"].results.get(item=october["failing"]).incident
    assert finding[3] == october["failing"].label and finding[5] == FAILED_NOTE and finding[7] == incident.number
    assert incident.source == "inspection"
    assert figures(report, "inspections.month_incidents")["巡检发现的故障"] == 1
    assert section(report, "inspections.month_incidents")["tables"][0]["rows"][0][0] == incident.number
    # every incident of the system in the month with its SLA outcome: neither was acknowledged in time
    incidents = figures(report, "incidents.summary")
    assert incidents["故障数"] == 2 and incidents["响应超时"] == 2 and incidents["响应达标"] == 0
    # another system, untouched that month, still gets its (empty) draft
    other = Report.objects.filter(type_key=KEY, period_start=OCTOBER).exclude(system=october["system"]).first()
    assert figures(other, "inspections.month_tasks")["巡检任务"] == 0
    # idempotent: the second run creates nothing
    again = generate(NOV1 + dt.timedelta(hours=1))
    assert (again.created, again.existing) == (0, in_service)


def test_edit_submit_on_time_and_sign(report, user_of):
    pm = user_of("pm")
    for username in ("unit_admin", "supervisor", "bureau_admin", "engineer"):
        with pytest.raises(PermissionDenied):
            engine.update(user_of(username), report, narratives={"巡检总结": "x"})
    with pytest.raises(ValidationError):
        engine.update(pm, report, narratives={"本月工作小结": "not a heading of this type"})
    engine.update(pm, report, narratives={"巡检总结": "本月巡检总体正常。", "遗留风险": "切片服务偶发超时",
                                          "改进建议": "扩容切片服务节点"})
    with pytest.raises(PermissionDenied):
        engine.submit(user_of("engineer"), report)
    engine.submit(pm, report, now=dt.datetime(2026, 11, 7, 23, 30, tzinfo=SH))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and not report.is_late()
    assert report.narratives["遗留风险"] == "切片服务偶发超时"
    assert {"heading": "改进建议", "text": "扩容切片服务节点"} in report.data["narratives"]
    assert not reports.report_list(pm, {"late": True, "type_key": KEY}).filter(pk=report.pk).exists()
    with pytest.raises(ValidationError):
        engine.update(pm, report, narratives={"巡检总结": "改"})
    # the unit of another system does not see it; the field staff, the PM and the unit's staff do not sign
    with pytest.raises(Http404):
        engine.decide(user_of("unit_admin_education"), report, "approve")
    for username in ("engineer", "pm", "unit_staff"):
        with pytest.raises(PermissionDenied):
            engine.decide(user_of(username), report, "approve")
    # a later generation leaves the submitted report alone
    before = Report.objects.get(pk=report.pk).data
    assert generate(NOV1 + dt.timedelta(days=10)).created == 0
    assert Report.objects.get(pk=report.pk).data == before
    moment = dt.datetime(2026, 11, 9, 9, 15, tzinfo=SH)
    engine.decide(user_of("unit_admin"), report, "approve", comment="同意", now=moment)
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED and report.signed_at == moment
    signoff = engine.signoff_of(report)
    step = signoff.steps.get(position=1)
    assert (step.party, step.decided_by, step.decided_at, step.comment) == \
        ("unit", user_of("unit_admin"), moment, "同意")
    assert [e.action for e in signoff.events.all()] == ["start", "approve", "approve"]
    assert facts.values("inspections.report_on_time", [report.system_id], OCTOBER) == {report.system_id: True}
    with pytest.raises(ValidationError):
        engine.decide(user_of("unit_admin"), report, "return", comment="晚了")


def test_late_submission_return_and_resubmit(report, user_of):
    pm, unit_admin = user_of("pm"), user_of("unit_admin")
    # past the deadline and never submitted: late, and the evaluation's fact says so
    assert report.is_late() and reports.report_list(pm, {"late": True, "type_key": KEY}).filter(pk=report.pk).exists()
    assert facts.values("inspections.report_on_time", [report.system_id], OCTOBER) == {report.system_id: False}
    first = dt.datetime(2026, 11, 8, 0, 30, tzinfo=SH)
    engine.submit(pm, report, now=first)
    report.refresh_from_db()
    assert report.is_late() and report.first_submitted_at == first
    with pytest.raises(ValidationError):
        engine.decide(unit_admin, report, "return", comment="  ")
    engine.decide(unit_admin, report, "return", comment="请补充遗留风险和整改计划",
                  now=dt.datetime(2026, 11, 9, 10, tzinfo=SH))
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    returned = engine.signoff_of(report).events.get(action="return")
    assert (returned.actor, returned.comment) == (unit_admin, "请补充遗留风险和整改计划")
    # a returned report is the contractor's again: editable; resubmitting takes the snapshot again
    engine.update(pm, report, narratives={"遗留风险": "切片服务偶发超时，计划 11 月扩容"})
    engine.submit(pm, report, now=dt.datetime(2026, 11, 10, 9, tzinfo=SH))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.first_submitted_at == first and report.is_late()
    assert [e.action for e in engine.signoff_of(report).events.all()] == ["start", "approve", "return", "approve"]
    engine.decide(unit_admin, report, "approve")
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED and report.is_late()  # lateness stays that of the first submission
    assert facts.values("inspections.report_on_time", [report.system_id], OCTOBER) == {report.system_id: False}


def test_word_and_workbook_carry_the_month(report, october, client_as):
    from docx import Document

    response = client_as("pm").get(reverse("reports:docx", args=[report.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "智慧顺义基础地理信息平台" in text and "2026年10月" in text and "月度巡检报告" in text
    assert october["failing"].label in text and FAILED_NOTE in text
    response = client_as("unit_admin").get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert october["failing"].label in values and FAILED_NOTE in values
    assert values.count("已完成") >= 3  # the task rows with their outcome


def test_old_addresses_redirect_to_the_engine(report, client_as):
    MovedReport.objects.create(id=4242, report_id=report.pk)
    pm = client_as("pm")
    for old, new in (("/inspections/reports/4242/", f"/reports/{report.pk}/"),
                     ("/inspections/reports/4242/print/", f"/reports/{report.pk}/print/"),
                     ("/inspections/reports/4242/confirm/", f"/reports/{report.pk}/"),
                     ("/inspections/reports/4242.docx", f"/reports/{report.pk}/report.docx"),
                     ("/inspections/reports/4242.xlsx", f"/reports/{report.pk}/report.xlsx")):
        response = pm.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    listing = pm.get("/inspections/reports/?month=2026-10")
    assert listing.status_code == 301 and listing["Location"] == "/reports/?type=inspections.monthly"
    assert pm.get("/inspections/reports/4243/").status_code == 404  # no such old report
    other = client_as("unit_admin_education")
    for path in ("/inspections/reports/4242/", "/inspections/reports/4242.docx"):
        assert other.get(path).status_code == 404


def test_pages_flow(report, client_as):
    pm = client_as("pm")
    page = pm.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "智慧顺义基础地理信息平台" in page and "巡检总结" in page and "本月巡检任务" in page
    response = pm.post(reverse("reports:narratives", args=[report.pk]), {"n0": "本月巡检正常", "n1": "", "n2": ""})
    assert response.status_code == 302
    assert pm.post(reverse("reports:submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.narratives["巡检总结"] == "本月巡检正常"
    unit = client_as("unit_admin")
    page = unit.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-testid="signoff-approve"' in page and 'id="late"' in page  # submitted today: late
    listing = unit.get("/reports/?type=inspections.monthly").content.decode()
    assert "智慧顺义基础地理信息平台 月度巡检报告" in listing


def test_pages_of_another_unit_answer_404(report, client_as):
    client = client_as("unit_admin_education")
    for name in ("reports:detail", "reports:print", "reports:docx", "reports:xlsx"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 404
    page = client.get("/reports/?type=inspections.monthly").content.decode()
    assert "智慧顺义基础地理信息平台" not in page


def test_the_worker_drafts_last_month_by_the_engine():
    """The engine's daily run (reports.tasks.daily_reports → services.generate_due) drafts last month's
    inspection reports on the 1st; the inspections app has no generation of its own any more."""
    report_type = types.get(KEY)
    assert report_type.is_periodic and report_type.signers == ("unit",)
    (period,) = engine.periods_to_generate(report_type, dt.date(2026, 11, 1))
    assert (period.start, period.end) == (OCTOBER, OCTOBER_END)
    assert engine.due_at(report_type, dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == \
        dt.datetime(2027, 1, 7, 23, 59, 59, tzinfo=SH)
    import importlib.util

    assert importlib.util.find_spec("tongyun.inspections.tasks") is None


def test_api_adapter_keeps_the_old_shape(report, client, api_as, user_of):
    """GET /api/v1/inspections/reports… answer in the old shape over the engine's reports; the writes are
    the engine's (/api/v1/reports/{id}/…)."""
    pm, unit = api_as("pm"), api_as("unit_admin")
    url = f"/api/v1/inspections/reports/{report.pk}"
    listed = client.get(f"/api/v1/inspections/reports?month=2026-10&unit_id={report.unit_id}", headers=unit).json()
    row = next(r for r in listed["results"] if r["id"] == report.pk)
    assert (row["system"], row["unit"], row["month"], row["state"]) == \
        ("智慧顺义基础地理信息平台", "区经信局", "2026-10-01", "draft")
    assert row["is_late"] is True and row["is_overdue"] is True  # not submitted, past 7 November
    assert client.get("/api/v1/inspections/reports?month=2026-13", headers=unit).status_code == 422
    assert client.post(f"/api/v1/reports/{report.pk}/narratives", {"narratives": {"巡检总结": "API 总结"}},
                       content_type="application/json", headers=pm).status_code == 200
    client.post(f"/api/v1/reports/{report.pk}/submit", {}, content_type="application/json", headers=pm)
    client.post(f"/api/v1/reports/{report.pk}/decision", {"decision": "return", "comment": "请补充"},
                content_type="application/json", headers=unit)
    body = client.get(url, headers=unit).json()
    assert (body["state"], body["return_comment"], body["returned_by"]) == ("returned", "请补充", "unit_admin")
    client.post(f"/api/v1/reports/{report.pk}/submit", {}, content_type="application/json", headers=pm)
    client.post(f"/api/v1/reports/{report.pk}/decision", {"decision": "approve"}, content_type="application/json",
                headers=unit)
    body = client.get(url, headers=unit).json()
    assert (body["state"], body["confirmed_by"], body["submitted_by"]) == ("confirmed", "unit_admin", "pm")
    assert body["summary"] == "API 总结" and body["is_late"] is True and body["is_overdue"] is False
    assert [h["action"] for h in body["history"]] == ["submit", "return", "resubmit", "confirm"]
    assert body["snapshot"]["parts"][0]["sections"][1]["figures"][0] == {"label": "异常项", "value": 1, "unit": "项"}
    confirmed = client.get("/api/v1/inspections/reports?state=confirmed&month=2026-10", headers=unit).json()
    assert [r["id"] for r in confirmed["results"]] == [report.pk]
    other = api_as("unit_admin_education")
    assert client.get(url, headers=other).status_code == 404
    listed = client.get("/api/v1/inspections/reports?month=2026-10", headers=other).json()["results"]
    assert report.pk not in [r["id"] for r in listed] and listed


def test_api_adapter_list_reads_a_page_in_a_constant_number_of_queries(report, client, api_as, user_of):
    """The list reads the page's sign-offs together: its queries do not grow with the rows listed (2 or 10),
    and each row is what the one-report read (as_moved_report) answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongyun.inspections import selectors
    from tongyun.inspections.schemas import ReportOut

    pm, unit, bureau = user_of("pm"), user_of("unit_admin"), api_as("bureau_admin")
    reports = list(Report.objects.filter(type_key=KEY, period_start=OCTOBER, system__unit__name="区经信局")
                   .order_by("id")[:12])
    assert len(reports) >= 4
    for number, draft in enumerate(reports):
        submitted = engine.submit(pm, draft, now=NOV1)
        if number % 2:
            engine.decide(unit, submitted, "return", comment=f"退回 {number}", now=NOV1)
    client.get("/api/v1/inspections/reports?page_size=1", headers=bureau)  # the content types' cache
    counts = {}
    for size in (2, 10):
        with CaptureQueriesContext(connection) as captured:
            listed = client.get(f"/api/v1/inspections/reports?month=2026-10&page_size={size}", headers=bureau)
        assert listed.status_code == 200 and len(listed.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[2], counts
    rows = client.get("/api/v1/inspections/reports?month=2026-10&unit_id="
                      f"{reports[0].unit_id}&page_size=500", headers=bureau).json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert {by_id[r.pk]["state"] for r in reports} == {"submitted", "returned"}
    assert {by_id[r.pk]["submitted_by"] for r in reports} == {"pm"}

    def plain(row: dict) -> dict:
        return ReportOut.model_validate(row).model_dump(mode="json")

    for one in Report.objects.filter(pk__in=by_id).select_related("system__unit"):
        assert plain(by_id[one.pk]) == plain(selectors.as_moved_report(one)), one.pk
