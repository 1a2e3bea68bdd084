"""WorkingCalendar against the official 2026 arrangement (国务院办公厅 2026 年部分节假日安排, chinesecalendar 1.11).

The 2026 facts used below, read from chinesecalendar (``holidays`` / ``workdays``):

* 元旦 New Year: holidays Thu 01-01 – Sat 01-03; make-up working day Sun 01-04.
* 春节 Spring Festival: holidays Sun 02-15 – Mon 02-23 (9 days);
  make-up working Saturdays 02-14 and 02-28.
* 劳动节 Labour Day: holidays 05-01 – 05-05; make-up working Saturday 05-09.
* 中秋 Mid-autumn: holidays Fri 09-25 – Sun 09-27.
* 国庆节 National Day: holidays Thu 10-01 – Wed 10-07; make-up working days Sun 09-20 and Sat 10-10.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from tongyun.domain.working_calendar import SHANGHAI, CalendarUnknown, DayOverride, WorkingCalendar


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


# ---------------------------------------------------------------- working days


def test_official_2026_facts_as_stated_in_module_docstring():
    sf = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert all(chinese_calendar.get_holiday_detail(d) == (True, "Spring Festival") for d in sf)
    assert chinese_calendar.is_workday(date(2026, 2, 14)) and chinese_calendar.is_workday(date(2026, 2, 28))
    nd = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]
    assert all(chinese_calendar.get_holiday_detail(d) == (True, "National Day") for d in nd)
    assert chinese_calendar.is_workday(date(2026, 9, 20)) and chinese_calendar.is_workday(date(2026, 10, 10))


def test_agrees_with_chinesecalendar_on_every_day_it_knows(cal):
    d = date(2004, 1, 1)
    while d.year <= 2026:
        assert cal.is_working_day(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before Spring Festival
        (date(2026, 2, 14), True),  # make-up Saturday
        (date(2026, 2, 15), False),  # Sunday, first day of the holiday
        (date(2026, 2, 17), False),  # 初一, Tuesday
        (date(2026, 2, 23), False),  # Monday, last holiday day
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # make-up Saturday
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # make-up Sunday before National Day
        (date(2026, 9, 30), True),
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_is_working_day_2026(cal, day, working):
    assert cal.is_working_day(day) is working


def test_day_info_names_and_sources(cal):
    assert cal.day_info(date(2026, 2, 17)).name == "春节"
    assert cal.day_info(date(2026, 2, 17)).source == "chinesecalendar"
    info = cal.day_info(date(2026, 10, 10))
    assert info.is_working and info.name == "国庆节调休上班"
    assert cal.day_info(date(2026, 3, 10)).source == "weekday"


def test_aware_datetime_uses_local_date(cal):
    # 2026-02-13 17:00 UTC is 2026-02-14 01:00 in Beijing: a make-up Saturday, working.
    assert cal.is_working_day(datetime(2026, 2, 13, 17, 0, tzinfo=ZoneInfo("UTC")))
    # 2026-02-14 16:30 UTC is Sunday 2026-02-15 00:30 in Beijing: holiday.
    assert not cal.is_working_day(datetime(2026, 2, 14, 16, 30, tzinfo=ZoneInfo("UTC")))


def test_next_working_day_across_holidays(cal):
    assert cal.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)  # skips the whole Spring Festival
    assert cal.next_working_day(date(2026, 2, 27)) == date(2026, 2, 28)  # Friday → make-up Saturday
    assert cal.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert cal.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)
    assert cal.next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)  # Fri → Mon


def test_working_days_between(cal):
    # February 2026: 28 days, 20 weekdays, minus 6 weekday holidays (16–20, 23), plus 2 make-up Saturdays = 16.
    assert cal.working_days_between(date(2026, 2, 1), date(2026, 3, 1)) == 16
    assert cal.working_days_between(date(2026, 3, 1), date(2026, 2, 1)) == -16
    # Whole 2026: 261 weekdays (52 weeks + Thu 12-31); 19 weekday holidays (01-01, 01-02, 02-16..20, 02-23,
    # 04-06, 05-01, 05-04, 05-05, 06-19, 09-25, 10-01, 10-02, 10-05..07); 6 make-up days (01-04, 02-14, 02-28,
    # 05-09, 09-20, 10-10): 261 − 19 + 6 = 248.
    assert len([d for d in chinese_calendar.holidays if d.year == 2026 and d.weekday() < 5]) == 19
    assert cal.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 248


# ---------------------------------------------------------------- unknown years and overrides


def test_unknown_year_raises_calendar_unknown(cal):
    with pytest.raises(CalendarUnknown) as info:
        cal.is_working_day(date(2027, 1, 4))
    assert info.value.year == 2027
    with pytest.raises(CalendarUnknown):
        cal.next_working_day(date(2026, 12, 31))  # would have to look into 2027
    with pytest.raises(CalendarUnknown):
        cal.is_working_day(date(2003, 6, 2))
    assert not isinstance(CalendarUnknown(2027), ValueError)


def test_declare_2027_makes_it_known():
    cal = WorkingCalendar()
    # Test data only (the 2027 arrangement is not published): New Year Fri 01-01, a make-up Saturday 01-09.
    cal.declare_year(2027, holidays={date(2027, 1, 1): "元旦"}, makeup_workdays=[date(2027, 1, 9)], reason="测试")
    assert cal.is_year_known(2027)
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.day_info(date(2027, 1, 1)).name == "元旦"
    assert cal.is_working_day(date(2027, 1, 4))  # ordinary Monday
    assert cal.is_working_day(date(2027, 1, 9))  # declared make-up Saturday
    assert not cal.is_working_day(date(2027, 1, 10))  # ordinary Sunday
    assert cal.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    with pytest.raises(CalendarUnknown):
        cal.is_working_day(date(2028, 1, 3))


def test_redeclaring_a_year_replaces_the_previous_declaration():
    cal = WorkingCalendar()
    cal.declare_year(2027, holidays=[date(2027, 1, 1), date(2027, 1, 4)])
    assert not cal.is_working_day(date(2027, 1, 4))
    cal.declare_year(2027, holidays=[date(2027, 1, 1)])
    assert cal.is_working_day(date(2027, 1, 4))


def test_declare_year_validation():
    cal = WorkingCalendar()
    with pytest.raises(ValueError, match="not in the declared year"):
        cal.declare_year(2027, holidays=[date(2026, 12, 31)])
    with pytest.raises(ValueError, match="both"):
        cal.declare_year(2027, holidays=[date(2027, 1, 2)], makeup_workdays=[date(2027, 1, 2)])


def test_single_day_override_corrects_a_known_year():
    cal = WorkingCalendar()
    assert cal.next_working_day(date(2026, 3, 9)) == date(2026, 3, 10)
    cal.set_day(date(2026, 3, 10), False, "区政府临时停电")
    assert not cal.is_working_day(date(2026, 3, 10))
    info = cal.day_info(date(2026, 3, 10))
    assert (info.source, info.name) == ("override", "区政府临时停电")
    assert cal.next_working_day(date(2026, 3, 9)) == date(2026, 3, 11)  # compiled year rebuilt
    cal.set_day(date(2026, 3, 14), True, "周六加班")
    assert cal.next_working_day(date(2026, 3, 13)) == date(2026, 3, 14)
    cal.clear_day(date(2026, 3, 10))
    assert cal.is_working_day(date(2026, 3, 10))


def test_override_alone_does_not_make_a_year_known():
    cal = WorkingCalendar(overrides={date(2027, 1, 4): DayOverride(True, "x")})
    with pytest.raises(CalendarUnknown):
        cal.is_working_day(date(2027, 1, 4))


def test_override_wins_over_declaration_and_constructor_overrides():
    cal = WorkingCalendar(overrides={date(2026, 2, 14): False})  # cancel the make-up Saturday
    assert not cal.is_working_day(date(2026, 2, 14))
    cal.declare_year(2027, holidays=[date(2027, 1, 1)])
    cal.set_day(date(2027, 1, 1), True)
    assert cal.is_working_day(date(2027, 1, 1))


def test_without_chinesecalendar_only_declared_years_are_known():
    cal = WorkingCalendar(use_chinese_calendar=False)
    with pytest.raises(CalendarUnknown):
        cal.is_working_day(date(2026, 3, 10))
    cal.declare_year(2026, holidays=[date(2026, 10, 1)])
    assert not cal.is_working_day(date(2026, 10, 1))
    assert cal.is_working_day(date(2026, 2, 17))  # a plain Tuesday without chinesecalendar


# ---------------------------------------------------------------- working time


def test_add_working_hours_within_a_day(cal):
    assert cal.add_working_hours(at(2026, 3, 10, 10), 4) == at(2026, 3, 10, 14)
    assert cal.add_working_hours(at(2026, 3, 10, 10), 0) == at(2026, 3, 10, 10)
    assert cal.add_working_hours(at(2026, 3, 10, 10), minutes=30) == at(2026, 3, 10, 10, 30)


def test_add_working_hours_ends_at_business_end_not_next_morning(cal):
    assert cal.add_working_hours(at(2026, 3, 10, 13, 30), 4) == at(2026, 3, 10, 17, 30)
    assert cal.add_working_hours(at(2026, 3, 10, 13, 30), 4, minutes=1) == at(2026, 3, 11, 9, 1)


def test_add_working_hours_outside_business_hours(cal):
    # Before opening: counting starts 09:00. After closing: next working day 09:00.
    assert cal.add_working_hours(at(2026, 3, 10, 7), 2) == at(2026, 3, 10, 11)
    assert cal.add_working_hours(at(2026, 3, 10, 19), 2) == at(2026, 3, 11, 11)
    # Friday evening → Monday.
    assert cal.add_working_hours(at(2026, 3, 13, 18), 8) == at(2026, 3, 16, 17)


def test_add_working_hours_across_spring_festival_and_make_up_saturdays(cal):
    # Fri 02-13 16:00: 1.5 h that day, then make-up Sat 02-14 (8.5 h) → 10 h used at 17:30 on 02-14.
    assert cal.add_working_hours(at(2026, 2, 13, 16), 10) == at(2026, 2, 14, 17, 30)
    # One more hour lands after the whole holiday: Tue 02-24 10:00.
    assert cal.add_working_hours(at(2026, 2, 13, 16), 11) == at(2026, 2, 24, 10)
    # Reported on 初一 (holiday): 8.5 h = the whole of 02-24.
    assert cal.add_working_hours(at(2026, 2, 17, 10), 8.5) == at(2026, 2, 24, 17, 30)


def test_add_working_hours_across_national_day(cal):
    # Wed 09-30 15:00: 2.5 h left that day; then Thu 10-08.
    assert cal.add_working_hours(at(2026, 9, 30, 15), 4) == at(2026, 10, 8, 10, 30)
    # 2.5 + 8.5 (10-08) + 8.5 (10-09) + 1 = 20.5 h → make-up Saturday 10-10 10:00.
    assert cal.add_working_hours(at(2026, 9, 30, 15), 20.5) == at(2026, 10, 10, 10)


def test_add_working_days_rule(cal):
    assert cal.add_working_days(at(2026, 3, 10, 10), 1) == at(2026, 3, 11, 17, 30)
    assert cal.add_working_days(at(2026, 2, 17, 10), 5) == at(2026, 2, 28, 17, 30)
    with pytest.raises(ValueError):
        cal.add_working_days(at(2026, 3, 10, 10), 0)


def test_working_time_between(cal):
    assert cal.working_time_between(at(2026, 3, 10, 10), at(2026, 3, 10, 12)) == timedelta(hours=2)
    assert cal.working_time_between(at(2026, 3, 10, 12), at(2026, 3, 10, 10)) == -timedelta(hours=2)
    # Fri 16:00 → Mon 10:00: 1.5 h + 1 h.
    assert cal.working_time_between(at(2026, 3, 13, 16), at(2026, 3, 16, 10)) == timedelta(hours=2, minutes=30)
    # Across the Spring Festival: 02-13 16:00 → 02-24 10:00 = 1.5 + 8.5 (make-up Sat 02-14) + 1 = 11 h.
    assert cal.working_time_between(at(2026, 2, 13, 16), at(2026, 2, 24, 10)) == timedelta(hours=11)
    # Entirely inside the holiday: nothing.
    assert cal.working_time_between(at(2026, 2, 16, 9), at(2026, 2, 20, 17)) == timedelta(0)


def test_working_time_between_is_inverse_of_add(cal):
    start = at(2026, 9, 29, 11, 17)
    for minutes in (1, 59, 510, 511, 1000, 5000, 20000):
        end = cal.add_working_hours(start, minutes=minutes)
        assert cal.working_time_between(start, end) == timedelta(minutes=minutes)


def test_lunch_break():
    cal = WorkingCalendar(business_hours=(time(8, 30), time(17, 30)), breaks=[(time(12), time(13, 30))])
    assert cal.working_time_per_day == timedelta(hours=7, minutes=30)
    # 11:00 + 1 h → 12:00 exactly (earliest moment), + 1 h 1 min → 13:31.
    assert cal.add_working_hours(at(2026, 3, 10, 11), 1) == at(2026, 3, 10, 12)
    assert cal.add_working_hours(at(2026, 3, 10, 11), 1, minutes=1) == at(2026, 3, 10, 13, 31)
    # Reported during lunch: counting resumes at 13:30.
    assert cal.add_working_hours(at(2026, 3, 10, 12, 15), 2) == at(2026, 3, 10, 15, 30)
    assert cal.working_time_between(at(2026, 3, 10, 11), at(2026, 3, 10, 14)) == timedelta(hours=1, minutes=30)
    assert cal.business_end(date(2026, 3, 10)) == at(2026, 3, 10, 17, 30)
    assert cal.add_working_days(at(2026, 3, 10, 11), 1) == at(2026, 3, 11, 17, 30)


def test_business_hours_validation():
    with pytest.raises(ValueError):
        WorkingCalendar(business_hours=(time(18), time(9)))
    with pytest.raises(ValueError):
        WorkingCalendar(breaks=[(time(8), time(10))])  # outside business hours
    with pytest.raises(ValueError):
        WorkingCalendar(breaks=[(time(12), time(11))])


def test_results_are_in_shanghai_whatever_the_input_zone(cal):
    utc_moment = datetime(2026, 3, 10, 2, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 Beijing
    result = cal.add_working_hours(utc_moment, 4)
    assert result == at(2026, 3, 10, 14)
    assert result.tzinfo == SHANGHAI and result.hour == 14


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_hours(datetime(2026, 3, 10, 10), 1),
        lambda c: c.add_working_days(datetime(2026, 3, 10, 10), 1),
        lambda c: c.working_time_between(datetime(2026, 3, 10, 10), at(2026, 3, 10, 12)),
        lambda c: c.working_time_between(at(2026, 3, 10, 10), datetime(2026, 3, 10, 12)),
        lambda c: c.is_working_day(datetime(2026, 3, 10, 10)),
    ],
)
def test_naive_datetimes_are_rejected(cal, call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(cal)


def test_unknown_year_in_working_time(cal):
    with pytest.raises(CalendarUnknown) as info:
        cal.add_working_hours(at(2026, 12, 31, 16), 8)
    assert info.value.year == 2027
