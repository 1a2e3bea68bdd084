"""Contractual SLA clocks (服务时限): deadlines, elapsed fraction, pauses and major-event periods.

Pure Python, no Django. Every moment is a timezone-aware datetime (naive ones raise ValueError);
results are in the calendar's zone (Asia/Shanghai).

The rules (see docs/sla-clock.md for the worked examples, in Chinese and English)
---------------------------------------------------------------------------------

A :class:`Target` is a value and a unit.

* ``minute`` / ``hour`` / ``day`` are calendar time, 7×24: **"N 小时内响应"** means the deadline is
  exactly N × 60 minutes after the moment the fault was reported, nights, weekends and holidays
  included (the tender requires 7×24 response). ``day`` is 24 hours (``Target(2, "day")`` ≡ 48 h).
  Reported Fri 2026-03-13 18:00, "8 小时内响应" → due Sat 2026-03-14 02:00.

* ``working_day`` — **"N 个工作日内修复"**: due at the end of business hours (17:30) of the N-th working
  day *after the day of report*. The day of report is day 0 and never counts, whatever the hour and
  whether it is a working day, a weekend, a holiday or a make-up Saturday; day 1 is the first working
  day after it. This is the rule of the Civil Code (《中华人民共和国民法典》第二百零一条: 按照年、月、日
  计算期间的，开始的当日不计入，自下一日开始计算; 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日
  结束的次日为期间的最后一日; 有业务时间的，停止业务活动的时间为截止时间), applied to working days.
  Reported Tue 2026-03-10 10:00, "5 个工作日内修复" → due Tue 2026-03-17 17:30;
  reported Fri 2026-03-13 18:00 → due Fri 2026-03-20 17:30;
  reported on the Spring Festival holiday 2026-02-17 → due Sat 2026-02-28 17:30 (a make-up working day).
  Only whole numbers of working days are accepted.

* ``working_hour`` — N hours of business time (09:00–17:30 on working days, breaks excluded) from the
  report moment; a report outside business hours starts counting at the next business start; the
  deadline is the earliest moment the N hours are used up (17:30 rather than 09:00 the next morning).

Pauses (挂起, e.g. waiting for the user or for a spare part) — the one rule: **a pause stops the clock;
the deadline is the earliest moment at which the target's budget of clock time has run outside
pauses**, where clock time is calendar time for minute/hour/day targets and business time for
working_hour/working_day targets (the budget of a working_day target is the business time from the
report to its pause-free deadline). Equivalently: the deadline moves later by exactly the clock time
the pauses cover between the report and the (moving) deadline. Pauses may overlap (they are merged);
the part of a pause before the report is ignored; an ongoing pause is passed with ``end=now``.

Major-event periods (重保期): a period applies if the report moment lies in [start, end); for each
target kind (e.g. "response", "repair") the stricter of the base target and every applicable period's
target is used — the one giving the earlier deadline for that report moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal

from tongyun.domain.working_calendar import SHANGHAI, WorkingCalendar, fixed_offset_since, require_aware

__all__ = [
    "CALENDAR_UNITS",
    "UNITS",
    "WORKING_UNITS",
    "MajorEventPeriod",
    "Target",
    "deadline",
    "deadline_with_pauses",
    "effective_targets",
    "elapsed_fraction",
    "is_at_risk",
    "is_breached",
    "stricter",
]

Unit = Literal["minute", "hour", "day", "working_day", "working_hour"]
_UNIT_US = {
    "minute": 60_000_000,
    "hour": 3_600_000_000,
    "day": 86_400_000_000,
    "working_hour": 3_600_000_000,
}
CALENDAR_UNITS = frozenset({"minute", "hour", "day"})
WORKING_UNITS = frozenset({"working_day", "working_hour"})
UNITS = CALENDAR_UNITS | WORKING_UNITS
_LABELS_ZH = {
    "minute": "分钟",
    "hour": "小时",
    "day": "天",
    "working_day": "个工作日",
    "working_hour": "工作小时",
}
_ONE_US = timedelta(microseconds=1)
_SHANGHAI_FIXED_SINCE = fixed_offset_since(SHANGHAI)


@dataclass(frozen=True, slots=True)
class Target:
    """A contractual time limit: ``Target(4, "hour")`` = 4 小时, ``Target(5, "working_day")`` = 5 个工作日.

    ``value`` is kept as a Decimal (floats are converted through their repr, so 0.5 → Decimal("0.5")).
    It must be positive; a working_day target must be a whole number; other units must come to a whole
    number of microseconds.
    """

    value: Decimal
    unit: Unit
    _amount: int = field(init=False, repr=False, compare=False)  # microseconds, or working days
    _delta: timedelta | None = field(init=False, repr=False, compare=False)  # calendar units, built once

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
            raise TypeError(f"target value must be a Decimal, int or float, got {value!r}")
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not dec.is_finite() or dec <= 0:
            raise ValueError(f"target value must be positive, got {value!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; expected one of {sorted(UNITS)}")
        if self.unit == "working_day":
            if dec != dec.to_integral_value():
                raise ValueError(f"a working_day target must be a whole number of days, got {value!r}")
            amount = int(dec)
        else:
            us = dec * _UNIT_US[self.unit]
            if us != us.to_integral_value():
                raise ValueError(f"{value!r} {self.unit} is not a whole number of microseconds")
            amount = int(us)
        object.__setattr__(self, "value", dec)
        object.__setattr__(self, "_amount", amount)
        object.__setattr__(self, "_delta", timedelta(microseconds=amount) if self.unit in CALENDAR_UNITS else None)

    @property
    def is_working_time(self) -> bool:
        """True for working_day / working_hour (measured on the working calendar)."""
        return self.unit in WORKING_UNITS

    @property
    def duration(self) -> timedelta:
        """The length of a minute/hour/day/working_hour target (business time for working_hour)."""
        if self.unit == "working_day":
            raise ValueError("a working_day target has no fixed duration; use deadline()")
        return timedelta(microseconds=self._amount)

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {_LABELS_ZH[self.unit]}"


def _need_calendar(target: Target, calendar: WorkingCalendar | None) -> WorkingCalendar:
    if calendar is None:
        raise ValueError(f"target {target} is measured in working time and needs a WorkingCalendar")
    return calendar


def deadline(reported_at: datetime, target: Target, calendar: WorkingCalendar | None = None) -> datetime:
    """When a fault reported at ``reported_at`` must be dealt with under ``target`` (no pauses).

    * minute/hour/day: ``reported_at`` + the duration, 7×24 ("N 小时内响应");
    * working_day: 17:30 of the N-th working day after the day of report; the report day is day 0
      ("N 个工作日内修复");
    * working_hour: the earliest moment N hours of business time have run since the report.

    The calendar is required for working units; results are in the calendar's zone (Asia/Shanghai
    when no calendar is given). Raises CalendarUnknown if the deadline needs a year the calendar does
    not know, ValueError for a naive ``reported_at``.
    """
    tz = SHANGHAI if calendar is None else calendar.tz
    tzinfo = reported_at.tzinfo
    if tzinfo is not tz and (tzinfo is None or reported_at.utcoffset() is None):
        require_aware(reported_at, "reported_at")  # a moment in the zone itself is aware: no offset asked
    delta = target._delta
    if delta is not None:
        # Calendar time, the commonest case (every response target): the hot path of the SLA bench.
        if tzinfo is tz:
            # Wall-clock addition in the zone equals absolute addition when both ends have the same UTC
            # offset. After the zone's last offset change (1991 for Shanghai) that is certain, and the
            # comparison of two moments of one zone compares wall clocks without asking for offsets.
            since = _SHANGHAI_FIXED_SINCE if calendar is None else calendar.fixed_offset_since
            if since is not None and reported_at >= since:
                return reported_at + delta
            offset = reported_at.utcoffset()
            result = reported_at + delta
            if result.utcoffset() == offset:
                return result
        elif tzinfo is UTC:
            return (reported_at + delta).astimezone(tz)
        # Add in UTC so that the result is right in any zone.
        return (reported_at.astimezone(UTC) + delta).astimezone(tz)
    unit = target.unit
    if unit == "working_day":
        cal = calendar if calendar is not None else _need_calendar(target, calendar)
        local = reported_at if tzinfo is tz else reported_at.astimezone(tz)
        # The calendar memoises "17:30 of the N-th working day after date d" per N; reading the memo here
        # saves two calls on a hit (nearly every call: a year has 365 report days per target length).
        memo = cal._wd_memo.get(target._amount)
        if memo is not None:
            result = memo.get(local.toordinal())
            if result is not None:
                return result
        return cal._end_of_nth_working_day(local, target._amount)
    if unit == "working_hour":
        return _need_calendar(target, calendar)._add_working_us(reported_at, target._amount)
    raise AssertionError(f"unhandled unit {unit!r}")  # calendar units returned above


def _merge_pauses(pauses: Iterable[tuple[datetime, datetime]], after: datetime) -> list[tuple[datetime, datetime]]:
    cleaned: list[tuple[datetime, datetime]] = []
    for pause in pauses:
        start, end = pause
        require_aware(start, "pause start")
        require_aware(end, "pause end")
        if end < start:
            raise ValueError(f"a pause must not end before it starts: {start} – {end}")
        if end <= after:
            continue
        cleaned.append((max(start, after), end))
    cleaned.sort()
    merged: list[tuple[datetime, datetime]] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class _Clock:
    """Measure and advance clock time for one target: calendar µs, or business µs."""

    __slots__ = ("calendar", "working")

    def __init__(self, target: Target, calendar: WorkingCalendar | None):
        self.working = target.is_working_time
        self.calendar = _need_calendar(target, calendar) if self.working else calendar

    def measure(self, a: datetime, b: datetime) -> int:
        if self.working:
            return self.calendar._working_us_between(a, b)
        return (b - a) // _ONE_US

    def advance(self, t: datetime, us: int) -> datetime:
        if self.working:
            return self.calendar._add_working_us(t, us)
        tz = SHANGHAI if self.calendar is None else self.calendar.tz
        return (t.astimezone(UTC) + timedelta(microseconds=us)).astimezone(tz)

    def paused(self, pauses: list[tuple[datetime, datetime]], until: datetime) -> int:
        total = 0
        for start, end in pauses:
            if start >= until:
                break
            total += self.measure(start, min(end, until))
        return total


def deadline_with_pauses(
    reported_at: datetime,
    target: Target,
    calendar: WorkingCalendar | None = None,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """The deadline when the clock stops during ``pauses`` (挂起/等待时段), each ``(start, end)``.

    The one rule: the deadline is the earliest moment at which the target's budget of clock time has
    run *outside* pauses — calendar time for minute/hour/day, business time for working_hour and
    working_day (whose budget is the business time from the report to its pause-free deadline).
    A pause that ends by the deadline pushes it later by the clock time it covers; a pause that starts
    after the deadline changes nothing. For an ongoing pause pass ``(start, now)``.

    Example: reported Tue 2026-03-10 10:00, "4 小时内响应", waiting for the user 11:00–13:00 → 16:00.
    """
    require_aware(reported_at, "reported_at")
    merged = _merge_pauses(pauses, reported_at)
    plain = deadline(reported_at, target, calendar)
    if not merged or merged[0][0] >= plain:
        return plain
    clock = _Clock(target, calendar)
    remaining = clock.measure(reported_at, plain) if target.unit == "working_day" else target._amount
    cursor = reported_at
    for start, end in merged:
        candidate = clock.advance(cursor, remaining) if remaining else cursor
        if candidate <= start:
            return candidate
        remaining -= clock.measure(cursor, start)
        cursor = end
    return clock.advance(cursor, remaining) if remaining else cursor


def elapsed_fraction(
    start: datetime,
    due: datetime,
    now: datetime,
    calendar: WorkingCalendar | None,
    target: Target,
    *,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> float:
    """Share of the clock used at ``now``: 0.0 at ``start``, 1.0 at ``due``, above 1.0 when overdue.

    Measured in the target's clock (calendar time for minute/hour/day, business time for working
    units), minus the clock time inside ``pauses``. A fraction ≥ 0.8 is "at risk" (see is_at_risk).
    """
    require_aware(start, "start")
    require_aware(due, "due")
    require_aware(now, "now")
    if now <= start:
        return 0.0
    clock = _Clock(target, calendar)
    merged = _merge_pauses(pauses, start)
    total = clock.measure(start, due) - clock.paused(merged, due)
    if total <= 0:
        return 1.0 if now >= due else 0.0
    used = clock.measure(start, now) - clock.paused(merged, now)
    return max(used, 0) / total


def is_breached(due: datetime, now: datetime) -> bool:
    """The deadline is inclusive: dealt with at exactly ``due`` is in time; after it is a breach."""
    require_aware(due, "due")
    require_aware(now, "now")
    return now > due


def is_at_risk(
    start: datetime,
    due: datetime,
    now: datetime,
    calendar: WorkingCalendar | None,
    target: Target,
    *,
    pauses: Iterable[tuple[datetime, datetime]] = (),
    threshold: float = 0.8,
) -> bool:
    """At risk (预警): not yet breached and at least ``threshold`` (80 %) of the clock used."""
    if is_breached(due, now):
        return False
    return elapsed_fraction(start, due, now, calendar, target, pauses=pauses) >= threshold


@dataclass(frozen=True, slots=True)
class MajorEventPeriod:
    """A major-event protection period (重保期, e.g. 全国两会) with stricter targets, e.g.
    ``{"response": Target(1, "hour"), "repair": Target(2, "hour")}``. Applies to reports in [start, end).
    """

    name: str
    start: datetime
    end: datetime
    targets: Mapping[str, Target]

    def __post_init__(self) -> None:
        require_aware(self.start, "period start")
        require_aware(self.end, "period end")
        if not self.start < self.end:
            raise ValueError(f"period {self.name!r} must start before it ends")

    def applies_to(self, reported_at: datetime) -> bool:
        return self.start <= reported_at < self.end


def stricter(a: Target, b: Target, reported_at: datetime, calendar: WorkingCalendar | None = None) -> Target:
    """The target giving the earlier deadline for a report at ``reported_at`` (``a`` on a tie).

    Targets of the same kind are compared directly; mixed kinds (e.g. 5 个工作日 vs 2 小时) are compared
    by their deadlines, which needs the calendar.
    """
    if a.unit == b.unit or (a.unit in CALENDAR_UNITS and b.unit in CALENDAR_UNITS):
        return b if b._amount < a._amount else a
    return b if deadline(reported_at, b, calendar) < deadline(reported_at, a, calendar) else a


def effective_targets(
    reported_at: datetime,
    base_targets: Mapping[str, Target],
    periods: Iterable[MajorEventPeriod] = (),
    calendar: WorkingCalendar | None = None,
) -> dict[str, Target]:
    """The targets that apply to a fault reported at ``reported_at``.

    For each kind (key), the strictest of the base target and the targets of every major-event period
    containing the report moment. A period never loosens a base target. Kinds that only a period
    defines are included.
    """
    require_aware(reported_at, "reported_at")
    result = dict(base_targets)
    for period in periods:
        if not period.applies_to(reported_at):
            continue
        for kind, target in period.targets.items():
            current = result.get(kind)
            result[kind] = target if current is None else stricter(current, target, reported_at, calendar)
    return result
