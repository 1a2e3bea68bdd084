"""Reading a year's official holiday arrangement from Excel or iCalendar (.ics).

Excel: one row per day — 日期 (date), 类型 (休 = day off / 班 = make-up working day), 名称 (e.g. 春节).
iCalendar: each VEVENT covers DTSTART…DTEND (exclusive, all-day); a SUMMARY containing 班 (调休上班)
marks make-up working days, anything else days off — the convention of the published Chinese holiday
calendars.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tongyun.core.excel import Column, Problem, SheetSpec, WorkbookInvalid, open_workbook

DAY_KINDS = [("off", "休"), ("work", "班")]
CALENDAR_SHEET = SheetSpec("日历", [
    Column("日期", "date", "date", required=True, width=12),
    Column("类型", "kind", "choice", required=True, choices=DAY_KINDS, width=8),
    Column("名称", "name", "text", width=16),
])

Day = tuple[dt.date, bool, str]  # (date, is_working, name)


def read_workbook(content: bytes) -> list[Day]:
    workbook = open_workbook(content)
    problems: list[Problem] = []
    rows = CALENDAR_SHEET.read(workbook, problems)
    if problems:
        raise WorkbookInvalid(problems)
    return [(r["date"], r["kind"] == "work", r.get("name") or "") for _n, r in rows]


def read_ics(content: bytes) -> list[Day]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(content)
    except ValueError as error:
        raise WorkbookInvalid([Problem("ics", None, None, _("无法读取 iCalendar 文件（%(e)s）") % {"e": error})]) \
            from error
    days: list[Day] = []
    problems: list[Problem] = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", ""))
        start = event.get("DTSTART")
        if start is None:
            problems.append(Problem("ics", number, "DTSTART", _("缺少开始日期")))
            continue
        first = start.dt if not isinstance(start.dt, dt.datetime) else start.dt.date()
        end = event.get("DTEND")
        last = (end.dt if not isinstance(end.dt, dt.datetime) else end.dt.date()) if end else first + dt.timedelta(1)
        is_working = "班" in summary
        day = first
        while day < max(last, first + dt.timedelta(1)):
            days.append((day, is_working, summary.replace("（班）", "").replace("(班)", "").strip()))
            day += dt.timedelta(1)
    if problems:
        raise WorkbookInvalid(problems)
    return days
