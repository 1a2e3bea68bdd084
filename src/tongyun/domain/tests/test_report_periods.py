from datetime import date

import pytest

from tongyun.domain.report_periods import (
    Period,
    due_date,
    label,
    period_containing,
    periods_between,
    previous_period,
    recent_periods,
)
from tongyun.domain.working_calendar import WorkingCalendar


def test_periods_of_each_cadence():
    assert period_containing("monthly", date(2026, 2, 14)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period_containing("quarterly", date(2026, 5, 31)) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert period_containing("annual", date(2026, 12, 31)) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert previous_period("monthly", date(2026, 3, 1)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert previous_period("quarterly", date(2026, 4, 1)) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert [p.start.month for p in periods_between("quarterly", date(2026, 1, 1), date(2026, 12, 31))] == [1, 4, 7, 10]


def test_row_13_quarterly_due_on_the_30th_of_the_quarters_last_month():
    q1 = period_containing("quarterly", date(2026, 2, 1))
    assert due_date(("last_month_day", 30), q1) == date(2026, 3, 30)
    q2 = period_containing("quarterly", date(2026, 5, 1))
    assert due_date(("last_month_day", 30), q2) == date(2026, 6, 30)


def test_row_13_annual_due_on_the_30th_of_the_first_month_after_the_term():
    year = period_containing("annual", date(2026, 7, 1))
    assert due_date(("next_month_day", 30), year) == date(2027, 1, 30)
    # a February deadline on the 30th falls on its last day
    assert due_date(("next_month_day", 30), period_containing("monthly", date(2026, 1, 5))) == date(2026, 2, 28)


def test_monthly_first_week_and_working_days_and_no_deadline():
    march = period_containing("monthly", date(2026, 3, 9))
    assert due_date(("next_month_day", 7), march) == date(2026, 4, 7)
    assert due_date(("period_end", 0), march) == date(2026, 3, 31)
    assert due_date(("none", 0), march) is None
    calendar = WorkingCalendar()
    # September 2026: 5 working days after the 30th skip the National Day week (10-01 … 10-07);
    # Saturday 10-10 is a make-up working day
    september = period_containing("monthly", date(2026, 9, 1))
    assert due_date(("working_days_after", 5), september, calendar) == date(2026, 10, 13)
    with pytest.raises(ValueError):
        due_date(("working_days_after", 5), september)


def test_labels():
    assert label("quarterly", Period(date(2026, 4, 1), date(2026, 6, 30))) == "2026年第2季度"
    assert label("monthly", Period(date(2026, 4, 1), date(2026, 4, 30))) == "2026年4月"


def test_daily_and_weekly_periods_are_calendar_days_monday_to_sunday():
    # National Day 2026 (10-01 … 10-07, days off): a holiday has its own daily period, the week runs on
    assert period_containing("daily", date(2026, 10, 1)) == Period(date(2026, 10, 1), date(2026, 10, 1))
    assert previous_period("daily", date(2026, 10, 1)) == Period(date(2026, 9, 30), date(2026, 9, 30))
    assert period_containing("weekly", date(2026, 10, 1)) == Period(date(2026, 9, 28), date(2026, 10, 4))
    assert period_containing("weekly", date(2026, 10, 4)) == Period(date(2026, 9, 28), date(2026, 10, 4))
    assert previous_period("weekly", date(2026, 10, 5)) == Period(date(2026, 9, 28), date(2026, 10, 4))
    # across the turn of the year: the week of Monday 2026-12-28 ends on Sunday 2027-01-03
    assert period_containing("weekly", date(2027, 1, 2)) == Period(date(2026, 12, 28), date(2027, 1, 3))
    assert period_containing("daily", date(2026, 12, 31)).end == date(2026, 12, 31)
    # the tender gives no deadline for either
    assert due_date(("none", 0), period_containing("weekly", date(2026, 10, 1))) is None


def test_recent_periods_catch_up_on_the_short_cadences_only():
    days = recent_periods("daily", date(2026, 10, 8))
    assert [p.start for p in days] == [date(2026, 10, d) for d in (7, 6, 5, 4, 3, 2, 1)]
    assert all(p.start == p.end for p in days)
    assert recent_periods("weekly", date(2026, 10, 8)) == [Period(date(2026, 9, 28), date(2026, 10, 4)),
                                                          Period(date(2026, 9, 21), date(2026, 9, 27))]
    assert recent_periods("monthly", date(2026, 10, 8)) == [Period(date(2026, 9, 1), date(2026, 9, 30))]


def test_periods_between_for_each_cadence():
    weeks = periods_between("weekly", date(2026, 10, 1), date(2026, 10, 31))
    assert [(p.start, p.end) for p in weeks] == [(date(2026, 10, d), date(2026, 10, d + 6)) for d in (5, 12, 19)]
    assert len(periods_between("daily", date(2026, 1, 1), date(2026, 12, 31))) == 365
    assert [p.start.month for p in periods_between("monthly", date(2026, 2, 15), date(2026, 6, 30))] == [3, 4, 5, 6]


def test_daily_and_weekly_labels():
    assert label("daily", Period(date(2026, 10, 1), date(2026, 10, 1))) == "2026年10月1日"
    assert label("weekly", Period(date(2026, 9, 28), date(2026, 10, 4))) == "2026年第40周（09-28至10-04）"
    assert label("weekly", Period(date(2026, 12, 28), date(2027, 1, 3))) == "2026年第53周（12-28至01-03）"
