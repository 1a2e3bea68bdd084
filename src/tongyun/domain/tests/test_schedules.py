"""Inspection schedules against the 2026 working calendar (chinesecalendar 1.11).

2026 facts used: 元旦 01-01…01-03 off, Sun 01-04 make-up; 春节 Sun 02-15 … Mon 02-23 off, make-up
Saturdays 02-14 and 02-28; 清明 04-04…04-06; 劳动节 05-01…05-05, make-up Sat 05-09; 国庆 10-01…10-07,
make-up Sun 09-20 and Sat 10-10.
"""

from datetime import date, timedelta

import pytest

from tongyun.domain.schedules import (
    CalendarUnknown,
    Occurrence,
    ScheduleError,
    default_rrule,
    occurrences,
    occurrences_until_unknown,
    validate_rrule,
)
from tongyun.domain.working_calendar import WorkingCalendar

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


def days(frequency, cal, start=YEAR[0], end=YEAR[1], **kwargs):
    return [o.day for o in occurrences(frequency, start, end, cal, **kwargs)]


def test_rrule_text_per_frequency():
    assert default_rrule("monthly") == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert default_rrule("weekly") == "FREQ=WEEKLY;BYDAY=MO"
    assert default_rrule("ten_daily") == "FREQ=MONTHLY;BYMONTHDAY=1,11,21"
    assert default_rrule("quarterly") == default_rrule("four_per_year")
    assert default_rrule("on_demand") == default_rrule("other") == ""
    with pytest.raises(ScheduleError):
        default_rrule("hourly")


def test_monthly_is_the_first_working_day_of_each_month(cal):
    got = days("monthly", cal)
    assert len(got) == 12
    assert date(2026, 2, 2) in got          # Feb 1 is a Sunday
    assert date(2026, 5, 6) in got          # 劳动节 05-01…05-05
    assert date(2026, 10, 8) in got         # 国庆 10-01…10-07
    assert date(2026, 3, 2) in got          # Mar 1 is a Sunday
    for day in got:
        assert cal.is_working_day(day)


def test_january_first_working_day_is_the_make_up_sunday(cal):
    # 01-04 (Sunday) is a make-up working day of 元旦 — the first working day of 2026.
    assert cal.is_working_day(date(2026, 1, 4))
    assert days("monthly", cal)[0] == date(2026, 1, 4)
    assert days("annual", cal) == [date(2026, 1, 4)]


def test_due_is_the_last_day_of_the_period(cal):
    occ = occurrences("monthly", *YEAR, cal)
    assert occ[1] == Occurrence(date(2026, 2, 2), date(2026, 2, 28))
    assert occ[-1] == Occurrence(date(2026, 12, 1), date(2026, 12, 31))
    weekly = occurrences("weekly", date(2026, 3, 2), date(2026, 3, 15), cal)
    assert weekly == [Occurrence(date(2026, 3, 2), date(2026, 3, 8)), Occurrence(date(2026, 3, 9), date(2026, 3, 15))]
    daily = occurrences("daily", date(2026, 3, 2), date(2026, 3, 3), cal)
    assert daily == [Occurrence(date(2026, 3, 2), date(2026, 3, 2)), Occurrence(date(2026, 3, 3), date(2026, 3, 3))]


def test_weekly_across_national_day(cal):
    got = days("weekly", cal, date(2026, 9, 21), date(2026, 10, 18))
    # Mon 09-21, Mon 09-28, week of 10-05: Mon…Wed off → Thu 10-08, Mon 10-12
    assert got == [date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 8), date(2026, 10, 12)]


def test_weekly_skips_a_week_without_working_day(cal):
    got = days("weekly", cal, date(2026, 2, 9), date(2026, 3, 1))
    # week of 02-16 is all 春节 (02-15…02-23): no inspection; week of 02-23: Mon off → Tue 02-24
    assert got == [date(2026, 2, 9), date(2026, 2, 24)]
    assert len(days("weekly", cal)) == 52  # 53 Mondays-weeks touch 2026, minus the Spring Festival week


def test_every_working_day_across_spring_festival(cal):
    got = days("working_daily", cal, date(2026, 2, 9), date(2026, 3, 3))
    assert date(2026, 2, 14) in got and date(2026, 2, 28) in got  # make-up Saturdays
    assert not any(date(2026, 2, 15) <= d <= date(2026, 2, 23) for d in got)
    assert date(2026, 2, 21) not in got and date(2026, 3, 1) not in got
    assert got[:6] == [date(2026, 2, 9), date(2026, 2, 10), date(2026, 2, 11), date(2026, 2, 12),
                       date(2026, 2, 13), date(2026, 2, 14)]
    assert got[6] == date(2026, 2, 24)
    assert len(days("working_daily", cal)) == sum(
        cal.is_working_day(YEAR[0] + timedelta(days=i)) for i in range(365))


def test_daily_is_every_calendar_day(cal):
    got = days("daily", cal)
    assert len(got) == 365
    assert date(2026, 2, 17) in got and date(2026, 10, 1) in got


def test_ten_daily_and_semimonthly(cal):
    assert days("ten_daily", cal, date(2026, 10, 1), date(2026, 10, 31)) == [
        date(2026, 10, 8), date(2026, 10, 12), date(2026, 10, 21)]  # 10-11 is a Sunday
    assert days("ten_daily", cal, date(2026, 2, 1), date(2026, 2, 28)) == [
        date(2026, 2, 2), date(2026, 2, 11), date(2026, 2, 24)]  # 02-21 in 春节 → 02-24
    assert len(days("ten_daily", cal)) == 36
    assert days("semimonthly", cal, date(2026, 8, 1), date(2026, 8, 31)) == [date(2026, 8, 3), date(2026, 8, 17)]
    assert len(days("semimonthly", cal)) == 24


def test_quarterly_semiannual_annual_bimonthly(cal):
    quarterly = [date(2026, 1, 4), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 8)]
    assert days("quarterly", cal) == quarterly
    assert days("four_per_year", cal) == quarterly
    assert days("semiannual", cal) == [date(2026, 1, 4), date(2026, 7, 1)]
    assert days("bimonthly", cal) == [date(2026, 1, 4), date(2026, 3, 2), date(2026, 5, 6), date(2026, 7, 1),
                                      date(2026, 9, 1), date(2026, 11, 2)]
    occ = occurrences("quarterly", *YEAR, cal)
    assert [o.due for o in occ] == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]


def test_on_demand_and_other_have_no_occurrences(cal):
    assert days("on_demand", cal) == []
    assert days("other", cal) == []


def test_service_start_inside_a_period(cal):
    # service starts Sat 2026-07-25: nothing before; the July period gets its inspection on the next working day
    got = days("monthly", cal, date(2026, 7, 25), YEAR[1])
    assert got[0] == date(2026, 7, 27)
    assert all(d >= date(2026, 7, 25) for d in got)
    assert len(got) == 6
    assert days("weekly", cal, date(2026, 7, 25), date(2026, 8, 9)) == [date(2026, 7, 27), date(2026, 8, 3)]
    assert days("annual", cal, date(2026, 7, 25), YEAR[1]) == [date(2026, 7, 27)]
    assert days("daily", cal, date(2026, 7, 25), date(2026, 7, 26)) == [date(2026, 7, 25), date(2026, 7, 26)]
    # service ends before a period's working day: due is capped, the empty remainder is skipped
    occ = occurrences("monthly", YEAR[0], date(2026, 10, 5), cal)
    assert occ[-1] == Occurrence(date(2026, 9, 1), date(2026, 9, 30))  # October 1…5 has no working day


def test_custom_rrule(cal):
    assert validate_rrule("rrule:freq=weekly;byday=we") == "FREQ=WEEKLY;BYDAY=WE"
    got = days("weekly", cal, date(2026, 9, 30), date(2026, 10, 18), rrule_text="FREQ=WEEKLY;BYDAY=WE")
    # Wed 09-30, week from Wed 10-07 (off) → Thu 10-08, Wed 10-14
    assert got == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 14)]
    for bad in ("FREQ=HOURLY", "FREQ=MONTHLY;COUNT=3", "nonsense", ""):
        with pytest.raises(ScheduleError):
            validate_rrule(bad)


def test_unknown_year_raises_never_guesses(cal):
    with pytest.raises(CalendarUnknown) as raised:
        occurrences("monthly", date(2026, 12, 1), date(2027, 2, 28), cal)
    assert raised.value.year == 2027
    known, unknown = occurrences_until_unknown("monthly", date(2026, 12, 1), date(2027, 2, 28), cal)
    assert known == [Occurrence(date(2026, 12, 1), date(2026, 12, 31))] and unknown == 2027
    # 7×24 daily needs no calendar
    assert len(days("daily", cal, date(2026, 12, 31), date(2027, 1, 2))) == 3
    declared = WorkingCalendar()
    declared.declare_year(2027, holidays=[date(2027, 1, 1)])
    assert days("monthly", declared, date(2027, 1, 1), date(2027, 2, 28)) == [date(2027, 1, 4), date(2027, 2, 1)]


# ---------------------------------------------------------------- the tender's cadence vocabulary (issue 8)


def test_twice_a_quarter_is_the_two_halves_of_each_quarter(cal):
    days = [o.day for o in occurrences("semiquarterly", date(2026, 1, 1), date(2026, 12, 31), cal)]
    assert len(days) == 8
    # 01-05 (元旦 then Sun 01-04 is a make-up working day: 01-04), 02-16 is 春节 → 02-24
    assert days[:2] == [date(2026, 1, 4), date(2026, 2, 24)]
    assert days[2:4] == [date(2026, 4, 1), date(2026, 5, 18)]          # Sat 05-16 → Mon 05-18
    dues = [o.due for o in occurrences("semiquarterly", date(2026, 1, 1), date(2026, 12, 31), cal)]
    assert dues[:2] == [date(2026, 2, 15), date(2026, 3, 31)]


def test_a_rule_of_several_lines_merges_their_anchors(cal):
    text = validate_rrule("FREQ=MONTHLY;BYMONTH=3;BYMONTHDAY=2\nRRULE:FREQ=MONTHLY;BYMONTH=9;BYMONTHDAY=1")
    assert text.count("\n") == 1
    days = [o.day for o in occurrences("other", date(2026, 1, 1), date(2026, 12, 31), cal, rrule_text=text)]
    # the period opened by 2025-09-01 runs into 2026: its inspection is on the first working day (01-04)
    assert days == [date(2026, 1, 4), date(2026, 3, 2), date(2026, 9, 1)]
    with pytest.raises(ScheduleError):
        validate_rrule("FREQ=MONTHLY;BYMONTHDAY=1\nFREQ=HOURLY")


def test_every_n_days_and_n_times_a_year_need_their_number(cal):
    assert default_rrule("every_n_days") == "" and default_rrule("times_per_year") == ""
    assert occurrences("every_n_days", date(2026, 3, 1), date(2026, 3, 31), cal) == []
    every15 = occurrences("every_n_days", date(2026, 3, 1), date(2026, 3, 31), cal,
                          rrule_text="FREQ=DAILY;INTERVAL=15")
    # anchors every 15 days from 2025-01-01 (the phase is the same every year): 02-25, 03-12, 03-27
    assert [(o.day, o.due) for o in every15] == [(date(2026, 3, 2), date(2026, 3, 11)),
                                                 (date(2026, 3, 12), date(2026, 3, 26)),
                                                 (date(2026, 3, 27), date(2026, 3, 31))]
    thrice = occurrences("times_per_year", date(2026, 1, 1), date(2026, 12, 31), cal,
                         rrule_text="FREQ=MONTHLY;INTERVAL=4;BYMONTHDAY=1")
    assert [o.due for o in thrice] == [date(2026, 4, 30), date(2026, 8, 31), date(2026, 12, 31)]
