"""The SLA settings pages (working calendar, corrections, business hours, 重保期) and the compliance page,
through the Django test client against the real catalog.

Row 1 (智慧顺义基础地理信息平台, 区经信局): 紧急 30 分钟响应 / 8 小时修复, 一般 4 小时 / 48 小时 —
hour targets count in calendar time, so the tests work on any date."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.incidents import compliance, services
from tongyun.incidents.models import BusinessHours, CalendarDay, CalendarYear, MajorEventPeriod
from tongyun.incidents.selectors import chinese_calendar_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def row1():
    return System.objects.get(row_no=1)


def text(response) -> str:
    return response.content.decode()


def next_year() -> int:
    return timezone.localdate().year + 1


def ics_for(year: int) -> bytes:
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//holidays//CN
BEGIN:VEVENT
UID:1@test
DTSTART;VALUE=DATE:{year}0101
DTEND;VALUE=DATE:{year}0104
SUMMARY:元旦
END:VEVENT
BEGIN:VEVENT
UID:2@test
DTSTART;VALUE=DATE:{year}0109
DTEND;VALUE=DATE:{year}0110
SUMMARY:元旦（班）
END:VEVENT
END:VCALENDAR
""".encode()


def workbook(rows, sheet_title="日历") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(["日期", "类型", "名称"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- calendar: import


def test_ics_import_declares_the_year(client_as):
    client = client_as("bureau_admin")
    year = next_year()
    page = text(client.get(reverse("incidents:calendar")))
    first, last = chinese_calendar_years()
    assert f"{first}–{last}" in page
    if year > last:
        assert 'data-testid="next-year-unknown"' in page
    response = client.post(reverse("incidents:calendar_import"), {
        "year": year, "source": "国办发明电", "file": upload("holidays.ics", ics_for(year))})
    assert response.status_code == 302 and response["Location"] == reverse("incidents:calendar")
    declared = CalendarYear.objects.get(year=year)
    assert declared.source == "国办发明电"
    days = {d.date: (d.is_working, d.name) for d in CalendarDay.objects.filter(date__year=year)}
    assert days == {dt.date(year, 1, 1): (False, "元旦"), dt.date(year, 1, 2): (False, "元旦"),
                    dt.date(year, 1, 3): (False, "元旦"), dt.date(year, 1, 9): (True, "元旦")}
    page = text(client.get(reverse("incidents:calendar")))
    assert 'data-testid="next-year-unknown"' not in page
    assert f'data-testid="declared-{year}"' in page and f"{year}-01-09" in page


def test_excel_import_through_the_page_and_the_template(client_as):
    client = client_as("bureau_admin")
    template = client.get(reverse("incidents:calendar_template"))
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.content))["日历"]
    assert [c.value for c in sheet[1]] == ["日期", "类型", "名称"]
    content = workbook([["2027-02-10", "休", "春节"], ["2027-02-11", "休", "春节"], ["2027-02-20", "班", "春节"]])
    response = client.post(reverse("incidents:calendar_import"), {"year": 2027, "file": upload("2027.xlsx", content)})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "2027.xlsx"  # no source given: the file's name
    assert CalendarDay.objects.filter(date__year=2027, is_working=False).count() == 2
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 20)).is_working


def test_bad_workbook_names_row_and_column_and_changes_nothing(client_as):
    client = client_as("bureau_admin")
    content = workbook([["2027-01-01", "休", "元旦"], ["2027-02-30", "休", "春节"], ["2027-02-06", "上班", ""]])
    response = client.post(reverse("incidents:calendar_import"), {"year": 2027, "file": upload("bad.xlsx", content)})
    assert response.status_code == 422
    page = text(response)
    problems = re.search(r'<table data-testid="import-problems">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", problems)
    assert ("日历", "3", "日期") in rows and ("日历", "4", "类型") in rows
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_days_outside_the_year_and_unreadable_files_change_nothing(client_as):
    client = client_as("bureau_admin")
    response = client.post(reverse("incidents:calendar_import"),
                           {"year": 2028, "file": upload("h.ics", ics_for(2027))})
    assert response.status_code == 422
    assert "2027-01-01" in text(response) and "2028" in text(response)
    response = client.post(reverse("incidents:calendar_import"),
                           {"year": 2027, "file": upload("h.xlsx", b"not a workbook")})
    assert response.status_code == 422 and 'data-testid="import-problems"' in text(response)
    response = client.post(reverse("incidents:calendar_import"), {"year": 2027})
    assert response.status_code == 422 and 'data-testid="error-file"' in text(response)
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


# ---------------------------------------------------------------- calendar: corrections, business hours


def test_a_correction_is_added_shown_and_removed(client_as, user_of, row1):
    tz = timezone.get_current_timezone()
    incident = services.report_incident(user_of("dispatcher"), system=row1, title="x", severity="minor",
                                        reported_at=dt.datetime(2026, 3, 10, 10, tzinfo=tz),
                                        now=dt.datetime(2026, 3, 10, 10, tzinfo=tz))
    assert incident.repair_due == dt.datetime(2026, 3, 19, 17, 30, tzinfo=tz)  # 7 个工作日
    client = client_as("bureau_admin")
    response = client.post(reverse("incidents:calendar_correction"),
                           {"date": "2026-03-12", "kind": "off", "name": "临时停工"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2026, 3, 12))
    assert day.is_correction and not day.is_working and day.name == "临时停工"
    incident.refresh_from_db()
    assert incident.repair_due == dt.datetime(2026, 3, 20, 17, 30, tzinfo=tz)
    page = text(client.get(reverse("incidents:calendar")))
    assert 'data-day="2026-03-12"' in page and "临时停工" in page
    response = client.post(reverse("incidents:calendar_correction_remove"), {"date": "2026-03-12"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 12)).exists()
    incident.refresh_from_db()
    assert incident.repair_due == dt.datetime(2026, 3, 19, 17, 30, tzinfo=tz)
    response = client.post(reverse("incidents:calendar_correction"), {"date": "2026-02-30", "kind": "off"})
    assert response.status_code == 422 and 'data-testid="error-date"' in text(response)


def test_business_hours_set_listed_and_reset(client_as, row1):
    client = client_as("bureau_admin")
    response = client.post(reverse("incidents:business_hours"),
                           {"hours-system": row1.pk, "hours-start": "08:30", "hours-end": "17:00"})
    assert response.status_code == 302
    hours = BusinessHours.objects.get(system=row1)
    assert (hours.start, hours.end) == (dt.time(8, 30), dt.time(17, 0))
    page = text(client.get(reverse("incidents:calendar")))
    assert "08:30–17:00" in page and row1.name in page
    response = client.post(reverse("incidents:business_hours"),
                           {"hours-system": row1.pk, "hours-start": "18:00", "hours-end": "09:00"})
    assert response.status_code == 422 and 'data-testid="error-end"' in text(response)
    response = client.post(reverse("incidents:business_hours"), {"hours-system": row1.pk, "hours-start": "08:30"})
    assert response.status_code == 422
    response = client.post(reverse("incidents:business_hours"), {"hours-system": row1.pk})
    assert response.status_code == 302 and not BusinessHours.objects.filter(system=row1).exists()


# ---------------------------------------------------------------- major-event periods


def test_major_event_created_by_the_form_gives_stricter_deadlines(client_as, user_of, row1):
    client = client_as("bureau_admin")
    assert client.get(reverse("incidents:major_event_create")).status_code == 200
    now = timezone.now().replace(second=0, microsecond=0)
    response = client.post(reverse("incidents:major_event_create"), {
        "name": "两会保障", "start": local_input(now - dt.timedelta(hours=1)),
        "end": local_input(now + dt.timedelta(hours=2)), "response_value": "10", "response_unit": "minute",
        "repair_value": "1", "repair_unit": "hour", "all_systems": "on", "note": "全区重保"})
    assert response.status_code == 302 and response["Location"] == reverse("incidents:major_events")
    period = MajorEventPeriod.objects.get(name="两会保障")
    assert period.start == now - dt.timedelta(hours=1) and period.all_systems
    page = text(client.get(reverse("incidents:major_events")))
    assert "两会保障" in page and timezone.localtime(period.start).strftime("%Y-%m-%d %H:%M") in page
    # 一般: 4 小时响应 / 48 小时修复 of its own; 10 分钟 / 1 小时 inside the period
    incident = services.report_incident(user_of("dispatcher"), system=row1, title="重保期故障", severity="general",
                                        reported_at=now, now=now)
    assert incident.response_due == now + dt.timedelta(minutes=10)
    assert incident.repair_due == now + dt.timedelta(hours=1)
    assert "两会保障" in incident.policy["major_events"]


def test_major_event_for_chosen_systems_edit_and_delete(client_as, user_of, row1):
    client = client_as("bureau_admin")
    other = System.objects.get(row_no=2)
    now = timezone.now().replace(second=0, microsecond=0)
    fields = {"name": "国庆保障", "start": local_input(now - dt.timedelta(hours=1)),
              "end": local_input(now + dt.timedelta(hours=2)), "response_value": "10", "response_unit": "minute",
              "repair_value": "1", "repair_unit": "hour"}
    response = client.post(reverse("incidents:major_event_create"), fields)  # neither all systems nor a choice
    assert response.status_code == 422 and 'data-testid="error-systems"' in text(response)
    response = client.post(reverse("incidents:major_event_create"),
                           {**fields, "end": local_input(now - dt.timedelta(hours=2)), "systems": [other.pk]})
    assert response.status_code == 422 and 'data-testid="error-end"' in text(response)
    assert not MajorEventPeriod.objects.exists()
    response = client.post(reverse("incidents:major_event_create"), {**fields, "systems": [other.pk]})
    assert response.status_code == 302
    period = MajorEventPeriod.objects.get()
    assert list(period.systems.all()) == [other] and not period.all_systems
    assert other.name in text(client.get(reverse("incidents:major_events")))
    incident = services.report_incident(user_of("dispatcher"), system=row1, title="x", severity="general",
                                        reported_at=now, now=now)
    assert incident.response_due == now + dt.timedelta(hours=4)  # row 1 is not covered
    edit = client.get(reverse("incidents:major_event_edit", args=[period.pk]))
    assert edit.status_code == 200 and local_input(period.start) in text(edit)
    response = client.post(reverse("incidents:major_event_edit", args=[period.pk]),
                           {**fields, "name": "国庆保障（全区）", "all_systems": "on", "systems": [other.pk]})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.name == "国庆保障（全区）" and period.all_systems and not period.systems.exists()
    incident.refresh_from_db()  # open tickets are recomputed: row 1 is covered now
    assert incident.response_due == now + dt.timedelta(minutes=10)
    confirm = client.get(reverse("incidents:major_event_delete", args=[period.pk]))
    assert confirm.status_code == 200 and "国庆保障（全区）" in text(confirm)
    assert MajorEventPeriod.objects.exists()
    response = client.post(reverse("incidents:major_event_delete", args=[period.pk]))
    assert response.status_code == 302 and not MajorEventPeriod.objects.exists()
    incident.refresh_from_db()
    assert incident.response_due == now + dt.timedelta(hours=4)


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("username", ["dispatcher", "pm", "unit_admin", "engineer"])
def test_others_get_403(client_as, username, row1):
    client = client_as(username)
    for name in ("incidents:calendar", "incidents:calendar_template", "incidents:major_events",
                 "incidents:major_event_create"):
        assert client.get(reverse(name)).status_code == 403, name
    for name, body in (("incidents:calendar_import", {"year": 2027, "file": upload("h.ics", ics_for(2027))}),
                       ("incidents:calendar_correction", {"date": "2026-03-12", "kind": "off"}),
                       ("incidents:calendar_correction_remove", {"date": "2026-03-12"}),
                       ("incidents:business_hours", {"hours-system": row1.pk}),
                       ("incidents:major_event_create", {"name": "x"})):
        assert client.post(reverse(name), body).status_code == 403, name
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not MajorEventPeriod.objects.exists()


@pytest.mark.parametrize("username", ["bureau_staff", "supervisor"])
def test_bureau_staff_and_supervisor_read_the_settings_only(client_as, username):
    client = client_as(username)
    for name in ("incidents:calendar", "incidents:major_events"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and 'data-testid="read-only"' in text(response), name
        assert "<form method=\"post\" action=\"/incidents/" not in text(response)
    assert client.post(reverse("incidents:calendar_correction"), {"date": "2026-03-12", "kind": "off"}).status_code \
        == 403
    assert client.get(reverse("incidents:major_event_create")).status_code == 403


def test_navigation(client_as):
    admin = text(client_as("bureau_admin").get(reverse("home")))
    assert reverse("incidents:calendar") in admin and reverse("incidents:compliance") in admin
    unit = text(client_as("unit_admin").get(reverse("home")))
    assert reverse("incidents:calendar") not in unit and reverse("incidents:compliance") in unit


# ---------------------------------------------------------------- compliance


def _cells(page: str, group: str) -> dict:
    row = re.search(rf'<tr data-group="{group}">(.*?)</tr>', page, re.S).group(1)
    return {key: value.strip() for key, value in re.findall(r'data-testid="([a-z-]+)">(.*?)</td>', row)}


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def test_compliance_page_matches_compliance_table(client_as, user_of, row1):
    dispatcher = user_of("dispatcher")
    now = timezone.now()
    late = services.report_incident(dispatcher, system=row1, title="超时", severity="urgent",
                                    reported_at=now - dt.timedelta(minutes=45), now=now)  # 30 分钟响应: overdue
    on_time = services.report_incident(dispatcher, system=row1, title="按时", severity="general",
                                       reported_at=now - dt.timedelta(minutes=40), now=now)
    services.take_action(dispatcher, on_time, "acknowledge", now=now)
    month = compliance.parse_month(timezone.localtime(late.reported_at))
    client = client_as("bureau_admin")
    response = client.get(reverse("incidents:compliance"), {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    page = text(response)
    table = compliance.compliance_table(user_of("bureau_admin"), month=month, group_by="unit")
    row = next(r for r in table["rows"] if r["unit_id"] == row1.unit_id)
    assert row["incidents"] >= 2 and row["response_breached"] >= 1 and row["response_met"] >= 1
    cells = _cells(page, str(row1.unit_id))
    assert cells["response-pct"] == _pct(row["response_met_pct"])
    assert cells["repair-pct"] == _pct(row["repair_met_pct"])
    assert cells["breaches"] == str(row["breaches"])
    assert 'id="compliance-chart"' in page and "compliance-data" in page
    # the breach list links to the late ticket, not to the one on time
    breaches = re.search(r'data-testid="breach-list">(.*?)</table>', page, re.S).group(1)
    assert reverse("incidents:detail", args=[late.pk]) in breaches
    assert reverse("incidents:detail", args=[on_time.pk]) not in breaches
    # grouped by system, filtered by severity
    page = text(client.get(reverse("incidents:compliance"),
                           {"month": f"{month:%Y-%m}", "group_by": "system", "severity": "urgent"}))
    table = compliance.compliance_table(user_of("bureau_admin"), month=month, group_by="system",
                                        params={"severity": "urgent"})
    row = next(r for r in table["rows"] if r["system_id"] == row1.pk)
    assert row["incidents"] == 1
    assert _cells(page, str(row1.pk))["response-pct"] == _pct(row["response_met_pct"]) == "0.0%"
    # the workbook
    export = client.get(reverse("incidents:compliance_export"), {"month": f"{month:%Y-%m}", "breaches": "1"})
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert {"按用户单位", "按系统", "按类别", "超时明细"} <= set(book.sheetnames)
    assert late.number in [c.value for c in book["超时明细"]["A"]]


def test_compliance_defaults_to_this_month_and_refuses_a_bad_month(client_as):
    client = client_as("supervisor")
    response = client.get(reverse("incidents:compliance"))
    assert response.status_code == 200
    assert f'value="{compliance.current_month():%Y-%m}"' in text(response)
    response = client.get(reverse("incidents:compliance"), {"month": "2026-13"})
    assert response.status_code == 400 and 'data-testid="error-month"' in text(response)


def test_unit_admin_sees_only_its_own_unit(client_as, user_of, row1):
    education = System.objects.filter(unit__name="区教委").order_by("row_no").first()
    dispatcher = user_of("dispatcher")
    now = timezone.now()
    own = services.report_incident(dispatcher, system=row1, title="本单位", severity="urgent",
                                   reported_at=now - dt.timedelta(minutes=45), now=now)
    foreign = services.report_incident(dispatcher, system=education, title="他单位", severity="urgent",
                                       reported_at=now - dt.timedelta(minutes=45), now=now)
    month = f"{compliance.parse_month(timezone.localtime(own.reported_at)):%Y-%m}"
    client = client_as("unit_admin")  # 区经信局
    for group_by in ("unit", "system", "category"):
        page = text(client.get(reverse("incidents:compliance"), {"month": month, "group_by": group_by}))
        assert education.name not in page and "区教委" not in page, group_by
        assert reverse("incidents:detail", args=[own.pk]) in page
        assert reverse("incidents:detail", args=[foreign.pk]) not in page
    page = text(client.get(reverse("incidents:compliance"), {"month": month}))
    rows = re.findall(r'<tr data-group="(\d+)">', page)
    assert rows == [str(row1.unit_id)]
    # asking for the other unit shows nothing of it
    page = text(client.get(reverse("incidents:compliance"), {"month": month, "unit": education.unit_id}))
    assert "他单位" not in page and education.name not in page
    export = client.get(reverse("incidents:compliance_export"), {"month": month})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    values = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "区教委" not in values and education.name not in values and row1.unit.name in values
