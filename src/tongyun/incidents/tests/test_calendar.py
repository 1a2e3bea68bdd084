"""The bureau's calendar: declare a year from Excel or iCalendar, correct single days; deadlines follow."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.catalog.models import System
from tongyun.core.excel import WorkbookInvalid
from tongyun.incidents import calendar_io, services
from tongyun.incidents.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

ICS_2027 = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//holidays//CN
BEGIN:VEVENT
UID:1@test
DTSTART;VALUE=DATE:20270101
DTEND;VALUE=DATE:20270104
SUMMARY:\xe5\x85\x83\xe6\x97\xa6
END:VEVENT
BEGIN:VEVENT
UID:2@test
DTSTART;VALUE=DATE:20270109
DTEND;VALUE=DATE:20270110
SUMMARY:\xe5\x85\x83\xe6\x97\xa6\xef\xbc\x88\xe7\x8f\xad\xef\xbc\x89
END:VEVENT
END:VCALENDAR
"""


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "日历"
    sheet.append(["日期", "类型", "名称"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_ics_declares_days_off_and_make_up_days():
    days = calendar_io.read_ics(ICS_2027)
    assert days == [(dt.date(2027, 1, 1), False, "元旦"), (dt.date(2027, 1, 2), False, "元旦"),
                    (dt.date(2027, 1, 3), False, "元旦"), (dt.date(2027, 1, 9), True, "元旦")]


def test_declared_year_unblocks_a_ticket_waiting_for_the_calendar(user_of):
    system = System.objects.get(row_no=1)          # 轻微: 7 个工作日内修复
    incident = services.report_incident(user_of("dispatcher"), system=system, title="x", severity="minor",
                                        reported_at=dt.datetime(2026, 12, 28, 10, tzinfo=SH),
                                        now=dt.datetime(2026, 12, 28, 10, tzinfo=SH))
    assert incident.calendar_unknown_year == 2027
    services.declare_calendar_year(user_of("bureau_admin"), 2027, calendar_io.read_ics(ICS_2027), source="测试")
    incident.refresh_from_db()
    # 12-29, 12-30, 12-31, (01-01…03 off), 01-04, 01-05, 01-06, 01-07 → 7th working day = 2027-01-07
    assert incident.repair_due == dt.datetime(2027, 1, 7, 17, 30, tzinfo=SH)
    assert incident.calendar_unknown_year is None
    assert incident.events.filter(kind="deadlines").exists()


def test_excel_import_with_bad_rows_names_them_and_changes_nothing(user_of):
    content = _workbook([["2027-01-01", "休", "元旦"], ["2027-02-30", "休", "春节"], ["2027-02-06", "上班", ""]])
    with pytest.raises(WorkbookInvalid) as invalid:
        calendar_io.read_workbook(content)
    found = {(p.row, p.column) for p in invalid.value.problems}
    assert found == {(3, "日期"), (4, "类型")}
    days = calendar_io.read_workbook(_workbook([["2027-01-01", "休", "元旦"], ["2027-02-06", "班", "春节调休"]]))
    with pytest.raises(ValidationError) as refused:
        services.declare_calendar_year(user_of("bureau_admin"), 2028, days)
    assert "2027-01-01" in refused.value.message_dict
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_only_the_bureau_admin_keeps_the_calendar(user_of):
    with pytest.raises(PermissionDenied):
        services.correct_calendar_day(user_of("dispatcher"), dt.date(2026, 3, 12), False)


def test_a_correction_moves_open_deadlines_and_can_be_removed(user_of):
    system = System.objects.get(row_no=1)
    incident = services.report_incident(user_of("dispatcher"), system=system, title="x", severity="minor",
                                        reported_at=dt.datetime(2026, 3, 10, 10, tzinfo=SH))
    assert incident.repair_due == dt.datetime(2026, 3, 19, 17, 30, tzinfo=SH)
    services.correct_calendar_day(user_of("bureau_admin"), dt.date(2026, 3, 12), False, "临时停工")
    incident.refresh_from_db()
    assert incident.repair_due == dt.datetime(2026, 3, 20, 17, 30, tzinfo=SH)
    services.remove_calendar_correction(user_of("bureau_admin"), dt.date(2026, 3, 12))
    incident.refresh_from_db()
    assert incident.repair_due == dt.datetime(2026, 3, 19, 17, 30, tzinfo=SH)


def test_business_hours_per_system(user_of):
    system = System.objects.get(row_no=1)
    services.set_business_hours(user_of("bureau_admin"), system, dt.time(8, 30), dt.time(17, 0))
    incident = services.report_incident(user_of("dispatcher"), system=system, title="x", severity="minor",
                                        reported_at=dt.datetime(2026, 3, 10, 10, tzinfo=SH))
    assert incident.repair_due == dt.datetime(2026, 3, 19, 17, 0, tzinfo=SH)
    with pytest.raises(ValidationError):
        services.set_business_hours(user_of("bureau_admin"), system, dt.time(18), dt.time(9))
