from datetime import date

import pytest

from tongyun.domain.report_periods import Period, due_date, label, period_containing, periods_between, previous_period
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
