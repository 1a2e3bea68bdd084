"""Roster arithmetic: rotations, layers, overrides, hand-overs, coverage gaps on the working calendar."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tongyun.domain import rosters
from tongyun.domain.rosters import Layer, Override
from tongyun.domain.working_calendar import WorkingCalendar

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def test_a_daily_rotation_hands_over_at_the_hand_over_time():
    layer = Layer(start=at(2026, 3, 2, 8, 30), shift=timedelta(days=1), members=("a", "b", "c"), name="L1")
    slots = rosters.layer_slots(layer, at(2026, 3, 2), at(2026, 3, 6))
    assert [(s.member, s.start.astimezone(TZ).hour, s.start.astimezone(TZ).minute) for s in slots] == [
        ("a", 8, 30), ("b", 8, 30), ("c", 8, 30), ("a", 8, 30)]
    assert slots[0].end == at(2026, 3, 3, 8, 30)
    # nobody before the rotation starts: the period's first 8.5 hours are a gap
    assert rosters.gaps([layer], [], at(2026, 3, 2), at(2026, 3, 3)) == [(at(2026, 3, 2), at(2026, 3, 2, 8, 30))]


def test_higher_layer_and_override_win():
    base = Layer(start=at(2026, 3, 2), shift=timedelta(days=7), members=("a",), name="base")
    nights = Layer(start=at(2026, 3, 2, 20), shift=timedelta(days=1), members=("n1", "n2"),
                   window=(time(20), time(8)), name="nights")
    swap = Override(start=at(2026, 3, 3, 10), end=at(2026, 3, 3, 12), member="x")
    final = rosters.final_schedule([base, nights], [swap], at(2026, 3, 2), at(2026, 3, 4))
    who = [(s.member, s.start.astimezone(TZ).strftime("%d %H:%M"), s.end.astimezone(TZ).strftime("%d %H:%M"))
           for s in final]
    assert who == [("a", "02 00:00", "02 20:00"), ("n1", "02 20:00", "03 08:00"),
                   ("a", "03 08:00", "03 10:00"), ("x", "03 10:00", "03 12:00"), ("a", "03 12:00", "03 20:00"),
                   ("n2", "03 20:00", "04 00:00")]
    # the night window wraps midnight; before the night rotation begins (02 20:00) the base layer holds
    assert rosters.on_duty([base, nights], [swap], at(2026, 3, 3, 11)).member == "x"
    assert rosters.on_duty([base, nights], [swap], at(2026, 3, 3, 23)).member == "n2"
    assert rosters.on_duty([base, nights], [swap], at(2026, 3, 3, 2)).member == "n1"


def test_spring_festival_2026_leaves_a_gap_in_a_working_day_plus_weekend_roster():
    """Working days (calendar) + weekends (RRULE): the 春节 weekdays 02-16…02-20 and 02-23 are neither."""
    calendar = WorkingCalendar()
    start, end = date(2026, 2, 9), date(2026, 3, 1)
    working = Layer(start=at(2026, 2, 9), shift=timedelta(days=1), members=("a", "b"), name="working",
                    days=rosters.layer_days(start, end, calendar, kind="working"))
    weekend = Layer(start=at(2026, 2, 9), shift=timedelta(days=1), members=("c",), name="weekend",
                    days=rosters.layer_days(start, end, calendar, rrule_text="FREQ=WEEKLY;BYDAY=SA,SU"))
    found = rosters.gaps([working, weekend], [], at(2026, 2, 9), at(2026, 3, 2))
    assert found == [(at(2026, 2, 16), at(2026, 2, 21)), (at(2026, 2, 23), at(2026, 2, 24))]
    assert rosters.uncovered_hours(found) == 6 * 24
    # the make-up Saturday 02-14 is a working day: covered (by both layers, the higher wins)
    assert rosters.on_duty([working, weekend], [], at(2026, 2, 14, 12)).source == "weekend"
    # a holiday layer (rest days of the calendar) closes the gap
    holidays = Layer(start=at(2026, 2, 9), shift=timedelta(days=1), members=("d",), name="rest",
                     days=rosters.layer_days(start, end, calendar, kind="rest"))
    assert rosters.gaps([working, weekend, holidays], [], at(2026, 2, 9), at(2026, 3, 2)) == []


def test_bad_layers_are_refused():
    with pytest.raises(rosters.RosterError):
        rosters.layer_slots(Layer(start=at(2026, 1, 1), shift=timedelta(0), members=("a",)), at(2026, 1, 1),
                            at(2026, 1, 2))
    with pytest.raises(rosters.RosterError):
        rosters.layer_slots(Layer(start=at(2026, 1, 1), shift=timedelta(hours=1), members=()), at(2026, 1, 1),
                            at(2026, 1, 2))
    with pytest.raises(rosters.RosterError):
        rosters.gaps([], [], datetime(2026, 1, 1), at(2026, 1, 2))
