"""Report cadences and deadlines (报告周期与提交期限) — pure Python, no Django.

A cadence is a recurrence rule of `schedules.py` (daily, weekly Monday to Sunday, monthly, quarterly,
annual); its periods are the reporting periods. Daily and weekly periods are calendar days: the tender's
日报 / 周报 (rows 74 and 82) say nothing of working days, and both systems run every day (row 74 has a
7×24×365 hot line, row 82 a daily inspection), so a holiday has its daily report like any other day.
A deadline rule says when a period's report is due, in the words of the tender:

- ``("next_month_day", 7)``: the 7th of the month after the period (RD-10, row 2: "每月第一周" → the 7th);
- ``("last_month_day", 30)``: the 30th of the period's last month (RD-11, row 13: "季度报告在每季度最后一个月
  的 30 日前提交"; February has no 30th: its last day);
- ``("period_end", 0)``: the period's last day (RD-13, row 18: "每季度月底前");
- ``("next_month_day", 30)`` on an annual / term period: the 30th of the first month after it (RD-11: "年度
  报告在每年运维期结束后第一个月的 30 日前提交");
- ``("working_days_after", n)``: n working days after the period (the working calendar: holidays count not);
- ``("none", 0)``: the tender gives no deadline (RD-04) — no lateness.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

from . import schedules
from .working_calendar import WorkingCalendar

CADENCE_RULES = {
    "daily": schedules.RRULES["daily"],
    "weekly": schedules.RRULES["weekly"],
    "monthly": schedules.RRULES["monthly"],
    "quarterly": schedules.RRULES["quarterly"],
    "annual": schedules.RRULES["annual"],
}
# Cadences without periods of their own: a report of the whole term, of an event, or made once.
ONE_OFF = frozenset({"term", "event", "once"})
# How far ahead period_containing looks for the next anchor: a little more than one period (a year of
# daily anchors would cost a walk of 400 days for each day looked up).
_HORIZON_DAYS = {"daily": 2, "weekly": 8}
# How many past periods the daily run makes sure exist: a worker down for a few days catches up on the
# short cadences (the longer ones are looked at every day of their next period anyway).
CATCH_UP = {"daily": 7, "weekly": 2}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def _day_in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def period_containing(cadence: str, day: date) -> Period:
    """The reporting period of `cadence` that contains `day` (looked up over the following 400 days, so the
    next anchor — the day after the period — is always among them; a few days for daily and weekly)."""
    horizon = _HORIZON_DAYS.get(cadence, 400)
    start, end = schedules.periods(CADENCE_RULES[cadence], day, day + timedelta(days=horizon))[0]
    return Period(start, end)


def previous_period(cadence: str, day: date) -> Period:
    """The last period that ended before `day` (what the 1st of a month generates a draft for)."""
    current = period_containing(cadence, day)
    return period_containing(cadence, current.start - timedelta(days=1))


def recent_periods(cadence: str, day: date) -> list[Period]:
    """The periods that ended before `day`, latest first: one, or CATCH_UP[cadence] for the short ones."""
    result = [previous_period(cadence, day)]
    for _ in range(CATCH_UP.get(cadence, 1) - 1):
        result.append(period_containing(cadence, result[-1].start - timedelta(days=1)))
    return result


def periods_between(cadence: str, start: date, end: date) -> list[Period]:
    """Every whole period of `cadence` that ends on or before `end` and starts on or after `start` (one walk
    of the rule, past `end` so that the last period is not cut short)."""
    horizon = end + timedelta(days=_HORIZON_DAYS.get(cadence, 400))
    return [Period(first, last) for first, last in schedules.periods(CADENCE_RULES[cadence], start, horizon)
            if first >= start and last <= end]


def due_date(rule: tuple[str, int], period: Period, calendar: WorkingCalendar | None = None) -> date | None:
    """The last day on which the period's report is on time (None: no deadline)."""
    kind, number = rule
    if kind == "none":
        return None
    if kind == "period_end":
        return period.end
    if kind == "last_month_day":
        return _day_in_month(period.end.year, period.end.month, number)
    if kind == "next_month_day":
        following = period.end + timedelta(days=1)
        return _day_in_month(following.year, following.month, number)
    if kind == "working_days_after":
        if calendar is None:
            raise ValueError("working_days_after needs the working calendar")
        day, left = period.end, number
        while left:
            day += timedelta(days=1)
            if calendar.is_working_day(day):
                left -= 1
        return day
    raise ValueError(f"unknown deadline rule {kind!r}")


def label(cadence: str, period: Period) -> str:
    if cadence == "daily":
        return f"{period.start.year}年{period.start.month}月{period.start.day}日"
    if cadence == "weekly":
        year, week, _weekday = period.start.isocalendar()
        return f"{year}年第{week}周（{period.start:%m-%d}至{period.end:%m-%d}）"
    if cadence == "monthly":
        return f"{period.start.year}年{period.start.month}月"
    if cadence == "quarterly":
        return f"{period.start.year}年第{(period.start.month - 1) // 3 + 1}季度"
    if cadence == "annual":
        return f"{period.start.year}年度"
    if period.start == period.end:
        return f"{period.start:%Y-%m-%d}"
    return f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}"
