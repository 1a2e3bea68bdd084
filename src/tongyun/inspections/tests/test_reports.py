"""Monthly inspection reports (月度巡检报告): generation from a real month of row 1 (智慧顺义基础地理信息平台,
区经信局, monthly cadence, plus a weekly remote plan), lateness, submit / confirm / return / resubmit,
the Word and Excel outputs, pages, API, scheduling and access."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from tongyun.catalog.models import InspectionCadence, System
from tongyun.domain import schedules
from tongyun.incidents import services as incident_services
from tongyun.inspections import selectors, services, tasks
from tongyun.inspections.choices import ReportState
from tongyun.inspections.models import InspectionPlan, MonthlyInspectionReport

SH = ZoneInfo("Asia/Shanghai")
OCTOBER = dt.date(2026, 10, 1)
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


@pytest.fixture
def report(october):
    services.generate_monthly_reports("2026-10", now=NOV1)
    return MonthlyInspectionReport.objects.get(system=october["system"], month=OCTOBER)


def test_generation_snapshots_the_month(october, user_of):
    outcome = services.generate_monthly_reports("2026-10", now=NOV1)
    in_service = services.systems_in_service(OCTOBER).count()
    assert outcome.created == in_service == MonthlyInspectionReport.objects.filter(month=OCTOBER).count() > 100
    report = MonthlyInspectionReport.objects.get(system=october["system"], month=OCTOBER)
    assert report.state == ReportState.DRAFT and report.due_at == dt.datetime(2026, 11, 7, 23, 59, 59, tzinfo=SH)
    snap = report.snapshot
    counts = snap["counts"]
    weekly = october["weekly"]
    missed = [t for t in weekly[2:] if t.due_date < NOV1.date()]
    assert missed, "at least one weekly task is left missed"
    assert counts["tasks"] == 1 + len(weekly)
    assert (counts["onsite"], counts["remote"]) == (1, len(weekly))
    assert counts["done"] == 3 and counts["missed"] == len(missed) and counts["open"] == len(weekly) - 2 - len(missed)
    assert counts["findings"] == 1 and counts["inspection_incidents"] == 1 and counts["incidents"] == 2
    (finding,) = snap["findings"]
    assert finding["item"] == october["failing"].label and finding["note"] == FAILED_NOTE
    incident = october["monthly"].results.get(item=october["failing"]).incident
    assert finding["incident_number"] == incident.number
    assert snap["inspection_incidents"][0]["id"] == incident.pk and incident.source == "inspection"
    # neither incident was acknowledged: both response clocks are breached by 1 November
    assert counts["response_breached"] == 2 and counts["response_met"] == 0
    by_id = {t["id"]: t for t in snap["tasks"]}
    assert by_id[october["monthly"].pk]["outcome"] == "done" and by_id[october["monthly"].pk]["failed"] == 1
    assert {by_id[t.pk]["outcome"] for t in missed} == {"missed"}
    # another system, untouched that month, still gets its (empty) draft
    other = MonthlyInspectionReport.objects.exclude(system=october["system"]).filter(month=OCTOBER).first()
    assert other.snapshot["counts"]["tasks"] == 0
    # idempotent: the second run refreshes the drafts and creates nothing
    again = services.generate_monthly_reports("2026-10", now=NOV1 + dt.timedelta(hours=1))
    assert (again.created, again.refreshed, again.kept) == (0, in_service, 0)


def test_edit_submit_on_time_and_confirm(report, user_of):
    pm, engineer = user_of("pm"), user_of("engineer")
    for username in ("unit_admin", "supervisor", "bureau_admin"):
        with pytest.raises(PermissionDenied):
            services.update_report(user_of(username), report, summary="x")
    services.update_report(engineer, report, summary="本月巡检总体正常。", open_risks="切片服务偶发超时",
                           improvements="扩容切片服务节点")
    with pytest.raises(PermissionDenied):
        services.submit_report(engineer, report)
    submitted = services.submit_report(pm, report, now=dt.datetime(2026, 11, 7, 23, 30, tzinfo=SH))
    assert submitted.state == ReportState.SUBMITTED and submitted.submitted_by == pm
    assert selectors.report_lateness(submitted)["late"] is False
    assert not selectors.report_list(pm, {"late": "true", "month": "2026-10"}).filter(pk=report.pk).exists()
    with pytest.raises(ValidationError):
        services.update_report(pm, submitted, summary="改")
    # the unit of another system cannot sign; the field staff cannot either
    for username in ("unit_admin_education", "engineer", "pm"):
        with pytest.raises(PermissionDenied):
            services.confirm_report(user_of(username), submitted)
    # a later generation leaves the submitted report alone
    before = MonthlyInspectionReport.objects.get(pk=report.pk).snapshot
    outcome = services.generate_monthly_reports(OCTOBER, now=NOV1 + dt.timedelta(days=10))
    assert outcome.kept == 1 and MonthlyInspectionReport.objects.get(pk=report.pk).snapshot == before
    moment = dt.datetime(2026, 11, 9, 9, 15, tzinfo=SH)
    confirmed = services.confirm_report(user_of("unit_staff"), submitted, comment="同意", now=moment)
    confirmed.refresh_from_db()
    assert confirmed.state == ReportState.CONFIRMED
    assert (confirmed.confirmed_by, confirmed.confirmed_at) == (user_of("unit_staff"), moment)
    assert [h["action"] for h in confirmed.history] == ["submit", "confirm"]
    with pytest.raises(ValidationError):
        services.return_report(user_of("unit_admin"), confirmed, comment="晚了")


def test_late_submission_return_and_resubmit(report, user_of):
    pm, unit_admin = user_of("pm"), user_of("unit_admin")
    with pytest.raises(ValidationError):
        services.submit_report(pm, report)  # no summary yet
    # past the deadline and never submitted: overdue
    assert selectors.report_list(pm, {"overdue": "true", "month": "2026-10"}).filter(pk=report.pk).exists()
    services.update_report(pm, report, summary="本月巡检发现一处异常，已报障处理。")
    first = dt.datetime(2026, 11, 8, 0, 30, tzinfo=SH)
    services.submit_report(pm, report, now=first)
    row = selectors.report_list(pm, {"month": "2026-10", "late": "true"}).get(pk=report.pk)
    assert row.is_late and not row.is_overdue
    assert selectors.report_lateness(row) == {"late": True, "overdue": False, "days": 1}
    with pytest.raises(ValidationError):
        services.return_report(unit_admin, report, comment="  ")
    returned = services.return_report(unit_admin, report, comment="请补充遗留风险和整改计划",
                                      now=dt.datetime(2026, 11, 9, 10, tzinfo=SH))
    assert (returned.state, returned.returned_by, returned.return_comment) == \
        (ReportState.RETURNED, unit_admin, "请补充遗留风险和整改计划")
    # a returned report is the contractor's again: editable, and refreshed by generation
    services.update_report(pm, returned, open_risks="切片服务偶发超时，计划 11 月扩容")
    assert services.generate_monthly_reports(OCTOBER, now=NOV1 + dt.timedelta(days=9)).refreshed >= 1
    resubmitted = services.submit_report(pm, returned, now=dt.datetime(2026, 11, 10, 9, tzinfo=SH))
    resubmitted.refresh_from_db()
    assert resubmitted.state == ReportState.SUBMITTED and resubmitted.first_submitted_at == first
    assert [h["action"] for h in resubmitted.history] == ["submit", "return", "resubmit"]
    services.confirm_report(unit_admin, resubmitted)
    assert MonthlyInspectionReport.objects.get(pk=report.pk).confirmed_by == unit_admin


def test_word_document_reads_back_in_chinese(report, october, client_as):
    from docx import Document
    from docx.oxml.ns import qn

    response = client_as("pm").get(reverse("inspections:report_docx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "智慧顺义基础地理信息平台" in text and "2026年10月 月度巡检报告" in text
    assert october["failing"].label in text and FAILED_NOTE in text
    assert "签字确认" in text
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "SimSun"
    run_fonts = doc.tables[0].rows[0].cells[0].paragraphs[0].runs[0].element.rPr.find(qn("w:rFonts"))
    assert run_fonts.get(qn("w:eastAsia")) == "SimSun"


def test_workbook_has_the_same_counts(report, client_as, api_as, client):
    response = client_as("unit_admin").get(reverse("inspections:report_xlsx", args=[report.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["巡检任务", "巡检发现", "故障工单"]
    counts = report.snapshot["counts"]
    assert book["巡检任务"].max_row - 1 == counts["tasks"]
    assert book["巡检发现"].max_row - 1 == counts["findings"] == 1
    assert book["故障工单"].max_row - 1 == counts["incidents"] == 2
    results = [row[4] for row in book["巡检任务"].iter_rows(min_row=2, values_only=True)]
    assert sum(1 for r in results if str(r).startswith("已逾期")) == counts["missed"]
    api = client.get(f"/api/v1/inspections/reports/{report.pk}.xlsx", headers=api_as("pm"))
    assert api.status_code == 200 and openpyxl.load_workbook(io.BytesIO(api.content)).sheetnames == book.sheetnames


def test_pages_flow(report, client_as):
    pm = client_as("pm")
    page = pm.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert "智慧顺义基础地理信息平台" in page and 'data-testid="report-form"' in page
    response = pm.post(reverse("inspections:report_edit", args=[report.pk]),
                       {"summary": "本月巡检正常", "open_risks": "", "improvements": ""})
    assert response.status_code == 302
    response = pm.post(reverse("inspections:report_action", args=[report.pk, "submit"]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert pm.post(reverse("inspections:report_action", args=[report.pk, "nonsense"])).status_code == 404
    unit = client_as("unit_admin")
    page = unit.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-confirm"' in page and 'data-testid="late-flag"' in page  # submitted today: late
    unit.post(reverse("inspections:report_action", args=[report.pk, "confirm"]), {"comment": "同意"})
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED
    printed = unit.get(reverse("inspections:report_print", args=[report.pk])).content.decode()
    assert "智慧顺义基础地理信息平台" in printed and "签字确认" in printed and "@page" in printed
    assert str(report.confirmed_by) in printed and "<nav" not in printed
    listing = unit.get(reverse("inspections:report_list") + "?month=2026-10&state=confirmed").content.decode()
    assert "智慧顺义基础地理信息平台" in listing
    # generation from the list page: PM and bureau admin only
    assert client_as("unit_admin").post(reverse("inspections:report_generate"), {"month": "2026-09"}).status_code \
        == 403
    assert pm.post(reverse("inspections:report_generate"), {"month": "2026-09"}).status_code == 302
    assert MonthlyInspectionReport.objects.filter(month=dt.date(2026, 9, 1)).exists()


def test_api_flow_and_access(report, client, api_as):
    pm, unit = api_as("pm"), api_as("unit_admin")
    url = f"/api/v1/inspections/reports/{report.pk}"
    listed = client.get("/api/v1/inspections/reports?month=2026-10&unit_id=" + str(report.system.unit_id),
                        headers=unit).json()
    assert report.pk in [r["id"] for r in listed["results"]]
    assert client.patch(url, {"summary": "API 总结"}, content_type="application/json", headers=pm).status_code == 200
    body = client.post(f"{url}/submit", headers=pm).json()
    assert body["state"] == "submitted" and body["is_late"] is True  # submitted now, after 7 November
    assert client.post(f"{url}/return", {"comment": ""}, content_type="application/json",
                       headers=unit).status_code == 422
    body = client.post(f"{url}/return", {"comment": "请补充"}, content_type="application/json", headers=unit).json()
    assert body["state"] == "returned" and body["return_comment"] == "请补充"
    client.post(f"{url}/submit", headers=pm)
    body = client.post(f"{url}/confirm", {}, content_type="application/json", headers=unit).json()
    assert body["state"] == "confirmed" and body["confirmed_by"] == "unit_admin"
    assert body["snapshot"]["counts"]["findings"] == 1
    docx = client.get(f"{url}.docx", headers=unit)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    other = api_as("unit_admin_education")
    for path in (url, f"{url}.docx", f"{url}.xlsx"):
        assert client.get(path, headers=other).status_code == 404
    assert client.post(f"{url}/submit", headers=other).status_code == 404
    listed = client.get("/api/v1/inspections/reports?month=2026-10", headers=other).json()["results"]
    assert report.pk not in [r["id"] for r in listed] and listed


def test_pages_of_another_unit_answer_404(report, client_as):
    client = client_as("unit_admin_education")
    for name in ("report_detail", "report_print", "report_docx", "report_xlsx"):
        assert client.get(reverse(f"inspections:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("inspections:report_action", args=[report.pk, "confirm"])).status_code == 404
    page = client.get(reverse("inspections:report_list") + "?month=2026-10").content.decode()
    assert "智慧顺义基础地理信息平台" not in page


def test_command_and_monthly_schedule(db, settings):
    call_command("inspection_reports", "--month", "2026-10", stdout=io.StringIO())
    assert MonthlyInspectionReport.objects.filter(month=OCTOBER).count() == services.systems_in_service(
        OCTOBER).count()
    out = io.StringIO()
    call_command("inspection_reports", "--month", "2026-10", stdout=out)
    assert "0 created" in out.getvalue()
    assert tasks.previous_month(dt.datetime(2026, 1, 1, 0, 30, tzinfo=SH)) == dt.date(2025, 12, 1)
    assert tasks.next_run(dt.datetime(2026, 12, 15, tzinfo=SH)) == dt.datetime(2027, 1, 1, 1, tzinfo=SH)
    assert services.report_due(dt.date(2026, 12, 1)) == dt.datetime(2027, 1, 7, 23, 59, 59, tzinfo=SH)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert tasks.schedule_monthly_reports() is True
    assert tasks.schedule_monthly_reports() is False  # one queued is enough, though it is in the future
    queued = DBTaskResult.objects.get(task_path=tasks.generate_previous_month_reports.module_path)
    assert queued.run_after == tasks.next_run()
    # the run itself: last month's reports, and (once the queued row is no longer waiting) the next run
    DBTaskResult.objects.all().delete()
    made = tasks.generate_previous_month_reports.call()
    last = tasks.previous_month()
    assert MonthlyInspectionReport.objects.filter(month=last).count() == services.systems_in_service(last).count()
    assert made >= services.systems_in_service(last).count()
    assert DBTaskResult.objects.filter(task_path=tasks.generate_previous_month_reports.module_path).count() == 1


def test_pages_in_english(report, client_as):
    from django.conf import settings

    client = client_as("pm")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("inspections:report_detail", args=[report.pk])).content.decode()
    assert "monthly inspection report 2026-10" in page and "Submit to the user unit" in page
    assert "Monthly reports" in client.get(reverse("inspections:report_list")).content.decode()
    # the printed report stays Chinese, the language of the contract
    assert "签字确认" in client.get(reverse("inspections:report_print", args=[report.pk])).content.decode()
