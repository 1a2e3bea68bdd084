"""SLA clock rules, with expected values computed by hand from the official 2026 arrangement.

2026 facts (chinesecalendar 1.11; checked in test_working_calendar.py):
春节 holidays Sun 02-15 – Mon 02-23, make-up working Saturdays 02-14 and 02-28;
中秋 holidays Fri 09-25 – Sun 09-27; 国庆节 holidays Thu 10-01 – Wed 10-07, make-up working days Sun 09-20
and Sat 10-10. Business hours 09:00–17:30 (8.5 h a working day).

The rule under test — "N 个工作日内": 17:30 on the N-th working day after the day of report (day 0,
never counted); "N 小时内": N × 60 minutes after the report, 7×24.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tongyun.domain.sla_clock import (
    MajorEventPeriod,
    Target,
    deadline,
    deadline_with_pauses,
    effective_targets,
    elapsed_fraction,
    is_at_risk,
    is_breached,
    stricter,
)
from tongyun.domain.working_calendar import SHANGHAI, CalendarUnknown, WorkingCalendar


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


H4, H8, H24, M30 = Target(4, "hour"), Target(8, "hour"), Target(24, "hour"), Target(30, "minute")
WD1, WD5, WD7 = Target(1, "working_day"), Target(5, "working_day"), Target(7, "working_day")


# ---------------------------------------------------------------- Target


def test_target_values_and_labels():
    assert Target(0.5, "hour").value == Decimal("0.5")
    assert Target(0.5, "hour").duration == timedelta(minutes=30)
    assert Target(Decimal("1.5"), "working_hour").duration == timedelta(minutes=90)
    assert Target(2, "day").duration == timedelta(hours=48)
    assert str(WD5) == "5 个工作日"
    assert str(Target(Decimal("0.5"), "hour")) == "0.5 小时"
    assert str(M30) == "30 分钟"
    assert Target(4, "hour") == Target(Decimal("4.0"), "hour")


@pytest.mark.parametrize(
    ("value", "unit", "error"),
    [
        (0, "hour", ValueError),
        (-1, "minute", ValueError),
        (Decimal("1.5"), "working_day", ValueError),  # only whole working days
        (4, "week", ValueError),
        (True, "hour", TypeError),
        ("4", "hour", TypeError),
        (Decimal("NaN"), "hour", ValueError),
    ],
)
def test_target_validation(value, unit, error):
    with pytest.raises(error):
        Target(value, unit)


def test_working_day_target_has_no_fixed_duration():
    with pytest.raises(ValueError):
        _ = WD5.duration


# ---------------------------------------------------------------- "N 小时内响应": 7×24


@pytest.mark.parametrize(
    ("reported", "target", "due"),
    [
        (at(2026, 3, 10, 10), H4, at(2026, 3, 10, 14)),  # Tue during business hours
        (at(2026, 3, 13, 18), H8, at(2026, 3, 14, 2)),  # Fri evening → Sat 02:00, nights count
        (at(2026, 2, 17, 10), H4, at(2026, 2, 17, 14)),  # Spring Festival holiday: holidays count
        (at(2026, 2, 17, 23, 50), M30, at(2026, 2, 18, 0, 20)),
        (at(2026, 9, 30, 15), H24, at(2026, 10, 1, 15)),
        (at(2026, 12, 30, 10), Target(2, "day"), at(2027, 1, 1, 10)),  # 2027 unknown: irrelevant for 7×24
    ],
)
def test_calendar_hour_targets(cal, reported, target, due):
    assert deadline(reported, target, cal) == due
    assert deadline(reported, target) == due  # no calendar needed


def test_calendar_time_result_is_in_shanghai_for_utc_input(cal):
    result = deadline(datetime(2026, 3, 10, 2, 0, tzinfo=ZoneInfo("UTC")), H4, cal)
    assert result == at(2026, 3, 10, 14) and result.tzinfo is SHANGHAI and result.hour == 14


# ---------------------------------------------------------------- "N 个工作日内修复"


@pytest.mark.parametrize(
    ("reported", "target", "due"),
    [
        # Tue 10:00: day 0 = Tue 03-10; Wed 11 (1) … Tue 17 (5) … Thu 19 (7).
        (at(2026, 3, 10, 10), WD1, at(2026, 3, 11, 17, 30)),
        (at(2026, 3, 10, 10), WD5, at(2026, 3, 17, 17, 30)),
        (at(2026, 3, 10, 10), WD7, at(2026, 3, 19, 17, 30)),
        # The hour of the report does not matter: before opening, just before and just after closing.
        (at(2026, 3, 10, 8), WD1, at(2026, 3, 11, 17, 30)),
        (at(2026, 3, 10, 17, 29), WD1, at(2026, 3, 11, 17, 30)),
        (at(2026, 3, 10, 17, 31), WD1, at(2026, 3, 11, 17, 30)),
        # Fri 18:00: day 0 = Fri 03-13; Mon 16 (1) … Fri 20 (5), Mon 23 (6), Tue 24 (7).
        (at(2026, 3, 13, 18), WD1, at(2026, 3, 16, 17, 30)),
        (at(2026, 3, 13, 18), WD5, at(2026, 3, 20, 17, 30)),
        (at(2026, 3, 13, 18), WD7, at(2026, 3, 24, 17, 30)),
        # Ordinary Sunday 03-15: day 1 = Mon 03-16.
        (at(2026, 3, 15, 11), WD1, at(2026, 3, 16, 17, 30)),
        # 初一 holiday Tue 02-17: Tue 24 (1), 25 (2), 26 (3), 27 (4), make-up Sat 28 (5), Mon 03-02 (6), Tue 03 (7).
        (at(2026, 2, 17, 10), WD1, at(2026, 2, 24, 17, 30)),
        (at(2026, 2, 17, 10), WD5, at(2026, 2, 28, 17, 30)),
        (at(2026, 2, 17, 10), WD7, at(2026, 3, 3, 17, 30)),
        # Make-up Saturday 02-14 (a working day, but still day 0): the whole holiday follows → Tue 02-24 is day 1.
        (at(2026, 2, 14, 10), WD1, at(2026, 2, 24, 17, 30)),
        (at(2026, 2, 14, 10), WD5, at(2026, 2, 28, 17, 30)),
        # Fri 02-13 10:00: make-up Sat 02-14 is day 1.
        (at(2026, 2, 13, 10), WD1, at(2026, 2, 14, 17, 30)),
        (at(2026, 2, 13, 10), WD5, at(2026, 2, 27, 17, 30)),
        # Make-up Saturday 02-28: Mon 03-02 (1) … Fri 03-06 (5), Mon 09 (6), Tue 10 (7).
        (at(2026, 2, 28, 10), WD5, at(2026, 3, 6, 17, 30)),
        (at(2026, 2, 28, 10), WD7, at(2026, 3, 10, 17, 30)),
        # Thu 09-24 before Mid-autumn (09-25..27 off): Mon 09-28 is day 1.
        (at(2026, 9, 24, 10), WD1, at(2026, 9, 28, 17, 30)),
        # Sat 09-19 (ordinary weekend day): make-up Sunday 09-20 is day 1.
        (at(2026, 9, 19, 10), WD1, at(2026, 9, 20, 17, 30)),
        # Wed 09-30 15:00 before National Day: Thu 10-08 (1), Fri 10-09 (2), make-up Sat 10-10 (3), Mon 12 (4),
        # Tue 13 (5), Wed 14 (6), Thu 15 (7).
        (at(2026, 9, 30, 15), WD1, at(2026, 10, 8, 17, 30)),
        (at(2026, 9, 30, 15), WD5, at(2026, 10, 13, 17, 30)),
        (at(2026, 9, 30, 15), WD7, at(2026, 10, 15, 17, 30)),
        # On National Day itself (10-03): same as before it.
        (at(2026, 10, 3, 9), WD5, at(2026, 10, 13, 17, 30)),
        # 12-30 with the deadline still in 2026.
        (at(2026, 12, 30, 10), WD1, at(2026, 12, 31, 17, 30)),
    ],
)
def test_working_day_targets(cal, reported, target, due):
    assert deadline(reported, target, cal) == due


def test_working_day_uses_the_local_date_of_a_utc_moment(cal):
    # 2026-03-13 16:30 UTC = Sat 03-14 00:30 in Beijing: day 0 is Saturday → Mon 03-16 (1).
    assert deadline(datetime(2026, 3, 13, 16, 30, tzinfo=ZoneInfo("UTC")), WD1, cal) == at(2026, 3, 16, 17, 30)
    # 2026-03-13 15:59 UTC = Fri 23:59 in Beijing: same day 0 as Fri 18:00.
    assert deadline(datetime(2026, 3, 13, 15, 59, tzinfo=ZoneInfo("UTC")), WD1, cal) == at(2026, 3, 16, 17, 30)


def test_deadline_into_unknown_2027_raises(cal):
    # 12-30 + 5 working days: Thu 12-31 (1), then 2027 — not known to chinesecalendar 1.11.
    with pytest.raises(CalendarUnknown) as info:
        deadline(at(2026, 12, 30, 10), WD5, cal)
    assert info.value.year == 2027
    with pytest.raises(CalendarUnknown):
        deadline(at(2026, 12, 31, 16), Target(4, "working_hour"), cal)


def test_deadline_into_declared_2027():
    cal = WorkingCalendar()
    # Test data, not the official 2027 arrangement: New Year's Day Fri 2027-01-01 off.
    cal.declare_year(2027, holidays={datetime(2027, 1, 1).date(): "元旦"})
    # Thu 12-31 (1), [Fri 01-01 holiday, weekend], Mon 01-04 (2), Tue 05 (3), Wed 06 (4), Thu 07 (5).
    assert deadline(at(2026, 12, 30, 10), WD5, cal) == at(2027, 1, 7, 17, 30)


def test_working_hour_targets(cal):
    assert deadline(at(2026, 3, 10, 10), Target(8, "working_hour"), cal) == at(2026, 3, 11, 9, 30)
    assert deadline(at(2026, 3, 13, 18), Target(8, "working_hour"), cal) == at(2026, 3, 16, 17)
    # Make-up Saturday 02-14 10:00: 7.5 h that day, 0.5 h on Tue 02-24.
    assert deadline(at(2026, 2, 14, 10), Target(8, "working_hour"), cal) == at(2026, 2, 24, 9, 30)


def test_working_units_need_a_calendar():
    with pytest.raises(ValueError, match="WorkingCalendar"):
        deadline(at(2026, 3, 10, 10), WD5)
    with pytest.raises(ValueError, match="WorkingCalendar"):
        deadline(at(2026, 3, 10, 10), Target(4, "working_hour"))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: deadline(datetime(2026, 3, 10, 10), H4, c),
        lambda c: deadline(datetime(2026, 3, 10, 10), WD5, c),
        lambda c: deadline_with_pauses(datetime(2026, 3, 10, 10), H4, c, []),
        lambda c: deadline_with_pauses(at(2026, 3, 10, 10), H4, c, [(datetime(2026, 3, 10, 11), at(2026, 3, 10, 12))]),
        lambda c: elapsed_fraction(at(2026, 3, 10, 10), at(2026, 3, 10, 14), datetime(2026, 3, 10, 11), c, H4),
        lambda c: MajorEventPeriod("x", datetime(2026, 3, 3), at(2026, 3, 12), {}),
        lambda c: effective_targets(datetime(2026, 3, 10, 10), {"response": H4}, [], c),
    ],
)
def test_naive_datetimes_are_rejected(cal, call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(cal)


# ---------------------------------------------------------------- pauses


def test_pause_shifts_an_hour_target(cal):
    # Tue 10:00 + 4 h, waiting for the user 11:00–13:00 → 16:00.
    assert deadline_with_pauses(at(2026, 3, 10, 10), H4, cal, [(at(2026, 3, 10, 11), at(2026, 3, 10, 13))]) == at(
        2026, 3, 10, 16
    )


def test_pause_after_deadline_or_before_report_changes_nothing_or_is_clipped(cal):
    reported = at(2026, 3, 10, 10)
    assert deadline_with_pauses(reported, H4, cal, [(at(2026, 3, 10, 15), at(2026, 3, 10, 18))]) == at(2026, 3, 10, 14)
    assert deadline_with_pauses(reported, H4, cal, [(at(2026, 3, 10, 14), at(2026, 3, 10, 18))]) == at(2026, 3, 10, 14)
    # Only the part after the report counts: 10:00–11:00 → +1 h.
    assert deadline_with_pauses(reported, H4, cal, [(at(2026, 3, 10, 9), at(2026, 3, 10, 11))]) == at(2026, 3, 10, 15)
    assert deadline_with_pauses(reported, H4, cal, [(at(2026, 3, 9, 9), at(2026, 3, 9, 11))]) == at(2026, 3, 10, 14)


def test_overlapping_pauses_are_merged(cal):
    pauses = [(at(2026, 3, 10, 11, 30), at(2026, 3, 10, 13)), (at(2026, 3, 10, 11), at(2026, 3, 10, 12))]
    assert deadline_with_pauses(at(2026, 3, 10, 10), H4, cal, pauses) == at(2026, 3, 10, 16)


def test_successive_pauses(cal):
    # 4 h from 10:00 with pauses 11:00–12:00 and 13:00–15:00: runs 10–11, 12–13, 15–17 → 17:00.
    pauses = [(at(2026, 3, 10, 11), at(2026, 3, 10, 12)), (at(2026, 3, 10, 13), at(2026, 3, 10, 15))]
    assert deadline_with_pauses(at(2026, 3, 10, 10), H4, cal, pauses) == at(2026, 3, 10, 17)


def test_weekend_pause_counts_for_7x24_targets_only(cal):
    # Fri 18:00 + 8 h (7×24), paused Fri 20:00 – Sat 08:00: 2 h before, 6 h after → Sat 14:00.
    pause = [(at(2026, 3, 13, 20), at(2026, 3, 14, 8))]
    assert deadline_with_pauses(at(2026, 3, 13, 18), H8, cal, pause) == at(2026, 3, 14, 14)
    # Fri 10:00 + 1 working day = Mon 17:30; a pause over the weekend covers no business time.
    weekend = [(at(2026, 3, 14, 10), at(2026, 3, 15, 20))]
    assert deadline_with_pauses(at(2026, 3, 13, 10), WD1, cal, weekend) == at(2026, 3, 16, 17, 30)


def test_overnight_pause_for_working_hours(cal):
    # 8 working hours from Tue 10:00 (plain: Wed 09:30). Paused Tue 17:00 – Wed 10:00 (business time 0.5 + 1 h):
    # 7 h used before the pause, 1 h from Wed 10:00 → Wed 11:00.
    pause = [(at(2026, 3, 10, 17), at(2026, 3, 11, 10))]
    assert deadline_with_pauses(at(2026, 3, 10, 10), Target(8, "working_hour"), cal, pause) == at(2026, 3, 11, 11)


def test_pause_for_working_days(cal):
    # Tue 03-10 10:00, 2 working days → Thu 03-12 17:30 (budget 7.5 + 8.5 + 8.5 = 24.5 business hours).
    # Waiting for a spare part Wed 14:00 – Thu 10:00: 3.5 + 1 = 4.5 business hours → Fri 03-13 09:00 + 4.5 h = 13:30.
    wd2 = Target(2, "working_day")
    assert deadline(at(2026, 3, 10, 10), wd2, cal) == at(2026, 3, 12, 17, 30)
    pause = [(at(2026, 3, 11, 14), at(2026, 3, 12, 10))]
    assert deadline_with_pauses(at(2026, 3, 10, 10), wd2, cal, pause) == at(2026, 3, 13, 13, 30)


def test_pause_across_spring_festival(cal):
    # Fri 02-13 10:00, 1 working day → make-up Sat 02-14 17:30. Paused Sat 02-14 16:30 – Tue 02-24 10:00:
    # business time in the pause = 1 h (Sat) + 1 h (Tue) = 2 h; the last hour of the budget runs Tue 10:00–11:00.
    pause = [(at(2026, 2, 14, 16, 30), at(2026, 2, 24, 10))]
    assert deadline_with_pauses(at(2026, 2, 13, 10), WD1, cal, pause) == at(2026, 2, 24, 11)


def test_no_pause_equals_plain_deadline(cal):
    for reported in (at(2026, 2, 14, 10), at(2026, 9, 30, 15), at(2026, 3, 13, 18)):
        for target in (H4, WD5, WD7, Target(8, "working_hour")):
            assert deadline_with_pauses(reported, target, cal, []) == deadline(reported, target, cal)


def test_invalid_pause(cal):
    with pytest.raises(ValueError):
        deadline_with_pauses(at(2026, 3, 10, 10), H4, cal, [(at(2026, 3, 10, 12), at(2026, 3, 10, 11))])


# ---------------------------------------------------------------- elapsed fraction, at risk, breach


def test_elapsed_fraction_calendar_time(cal):
    start, due = at(2026, 3, 10, 10), at(2026, 3, 10, 14)
    assert elapsed_fraction(start, due, at(2026, 3, 10, 9), cal, H4) == 0.0
    assert elapsed_fraction(start, due, at(2026, 3, 10, 12), cal, H4) == 0.5
    assert elapsed_fraction(start, due, at(2026, 3, 10, 13, 12), cal, H4) == pytest.approx(0.8)
    assert elapsed_fraction(start, due, at(2026, 3, 10, 15), cal, H4) == 1.25


def test_elapsed_fraction_working_days_counts_business_time_only(cal):
    # Fri 18:00, 1 working day → Mon 03-16 17:30; budget 8.5 business hours, none of them at the weekend.
    start = at(2026, 3, 13, 18)
    due = deadline(start, WD1, cal)
    assert elapsed_fraction(start, due, at(2026, 3, 15, 12), cal, WD1) == 0.0
    # 80 % of 8.5 h = 6 h 48 min → Mon 15:48.
    assert elapsed_fraction(start, due, at(2026, 3, 16, 15, 48), cal, WD1) == pytest.approx(0.8)
    assert is_at_risk(start, due, at(2026, 3, 16, 15, 48), cal, WD1)
    assert not is_at_risk(start, due, at(2026, 3, 16, 15, 47), cal, WD1)
    assert not is_at_risk(start, due, at(2026, 3, 16, 17, 31), cal, WD1)  # breached, no longer "at risk"


def test_elapsed_fraction_with_pauses(cal):
    start = at(2026, 3, 10, 10)
    pauses = [(at(2026, 3, 10, 11), at(2026, 3, 10, 13))]
    due = deadline_with_pauses(start, H4, cal, pauses)
    assert due == at(2026, 3, 10, 16)
    # At 14:00: 4 h elapsed − 2 h paused = 2 h of 4 h.
    assert elapsed_fraction(start, due, at(2026, 3, 10, 14), cal, H4, pauses=pauses) == 0.5
    assert elapsed_fraction(start, due, at(2026, 3, 10, 12), cal, H4, pauses=pauses) == 0.25
    assert elapsed_fraction(start, due, due, cal, H4, pauses=pauses) == 1.0


def test_breach_is_strictly_after_due():
    due = at(2026, 3, 17, 17, 30)
    assert not is_breached(due, due)
    assert is_breached(due, due + timedelta(microseconds=1))


# ---------------------------------------------------------------- major-event periods (重保期)

BASE = {"response": H4, "repair": WD5}
# Illustrative dates for a 全国两会 protection period.
LIANGHUI = MajorEventPeriod(
    "2026 全国两会保障", at(2026, 3, 3), at(2026, 3, 12), {"response": Target(1, "hour"), "repair": Target(2, "hour")}
)


def test_period_applies_inside_half_open_interval(cal):
    inside = effective_targets(at(2026, 3, 10, 10), BASE, [LIANGHUI], cal)
    assert inside == {"response": Target(1, "hour"), "repair": Target(2, "hour")}
    assert deadline(at(2026, 3, 10, 10), inside["repair"], cal) == at(2026, 3, 10, 12)
    assert effective_targets(at(2026, 3, 3, 0, 0), BASE, [LIANGHUI], cal)["response"] == Target(1, "hour")
    assert effective_targets(at(2026, 3, 12, 0, 0), BASE, [LIANGHUI], cal) == BASE
    assert effective_targets(at(2026, 3, 2, 23, 59), BASE, [LIANGHUI], cal) == BASE


def test_period_never_loosens_a_target(cal):
    loose = MajorEventPeriod("宽松", at(2026, 3, 1), at(2026, 4, 1), {"response": Target(8, "hour")})
    assert effective_targets(at(2026, 3, 10, 10), BASE, [loose], cal)["response"] == H4


def test_stricter_mixed_units_depends_on_report_moment(cal):
    # 1 working day vs 48 hours. Fri 03-06 18:00: 1 wd → Mon 03-09 17:30; 48 h → Sun 03-08 18:00 — 48 h is stricter.
    h48 = Target(48, "hour")
    assert stricter(WD1, h48, at(2026, 3, 6, 18), cal) == h48
    # Tue 03-10 10:00: 1 wd → Wed 17:30; 48 h → Thu 10:00 — the working day is stricter.
    assert stricter(WD1, h48, at(2026, 3, 10, 10), cal) == WD1
    with pytest.raises(ValueError):
        stricter(WD1, h48, at(2026, 3, 10, 10))  # mixed kinds need a calendar
    assert stricter(Target(90, "minute"), Target(1, "hour"), at(2026, 3, 10, 10)) == Target(1, "hour")


def test_overlapping_periods_and_period_only_kinds(cal):
    strict = MajorEventPeriod(
        "国庆重保", at(2026, 9, 28), at(2026, 10, 9), {"response": Target(30, "minute"), "on_site": Target(2, "hour")}
    )
    wider = MajorEventPeriod("秋季重保", at(2026, 9, 1), at(2026, 11, 1), {"response": Target(1, "hour")})
    result = effective_targets(at(2026, 10, 2, 3), BASE, [wider, strict], cal)
    assert result == {"response": Target(30, "minute"), "repair": WD5, "on_site": Target(2, "hour")}
    # Holiday 10-02: Thu 10-08 (1), Fri 09 (2), make-up Sat 10 (3), Mon 12 (4), Tue 13 (5).
    assert deadline(at(2026, 10, 2, 3), result["repair"], cal) == at(2026, 10, 13, 17, 30)


def test_period_validation():
    with pytest.raises(ValueError):
        MajorEventPeriod("x", at(2026, 3, 12), at(2026, 3, 3), {})


@pytest.mark.parametrize("hours", [1, 2, 3, 24])
def test_calendar_time_is_absolute_across_a_dst_change(hours):
    # The fast path adds wall-clock time when the zone's offset does not change; across Berlin's spring
    # change (2026-03-29 02:00 → 03:00) it must still add absolute time.
    berlin = ZoneInfo("Europe/Berlin")
    cal = WorkingCalendar(tz=berlin)
    reported = datetime(2026, 3, 29, 1, 30, tzinfo=berlin)
    result = deadline(reported, Target(hours, "hour"), cal)
    utc = ZoneInfo("UTC")
    # Compare in UTC: Python compares datetimes that share a tzinfo by their wall clocks.
    assert result.astimezone(utc) == reported.astimezone(utc) + timedelta(hours=hours)
    assert result.tzinfo is berlin


@pytest.mark.parametrize("hours", [1, 2, 24])
def test_calendar_time_is_absolute_across_chinas_last_summer_time(hours):
    # China kept summer time until 1991 (ended Sun 1991-09-15 02:00 → 01:00): before the zone's fixed-offset
    # date the fast path must not add wall-clock time blindly.
    reported = datetime(1991, 9, 15, 0, 30, tzinfo=SHANGHAI)
    result = deadline(reported, Target(hours, "hour"))
    utc = ZoneInfo("UTC")
    assert result.astimezone(utc) == reported.astimezone(utc) + timedelta(hours=hours)
    assert result.tzinfo is SHANGHAI


def test_shanghai_offset_is_fixed_from_the_date_the_fast_path_trusts():
    # The fast path for calendar targets (wall-clock + duration) is right only if the offset never changes
    # after fixed_offset_since: check every day to 2200 (a change lasting a day or more would show).
    from tongyun.domain.working_calendar import fixed_offset_since

    since = fixed_offset_since(SHANGHAI)
    assert since is not None and since.year == 1992
    day = since
    offsets = set()
    while day.year < 2200:
        offsets.add(day.utcoffset())
        offsets.add(day.replace(hour=12).utcoffset())
        day += timedelta(days=1)
    assert offsets == {timedelta(hours=8)}
    assert fixed_offset_since(ZoneInfo("Europe/Berlin")) is None
