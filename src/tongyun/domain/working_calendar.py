"""Working-day calendar for contractual SLA clocks (工作日历).

Pure Python, no Django. A :class:`WorkingCalendar` answers, for every date of a *known* year, whether
it is a working day (工作日) in mainland China:

* official public holidays (法定节假日) and make-up working days (调休上班日, e.g. a Saturday that is a
  working day) come from ``chinesecalendar`` for the years it knows (2004–2026 in version 1.11);
* explicit overrides (a date → working / not working, with a reason) entered by the bureau correct
  single days, and :meth:`WorkingCalendar.declare_year` enters a whole year's official arrangement
  (e.g. 2027 once the State Council publishes it), which makes that year *known*.

Asking about a date in a year that is neither known to ``chinesecalendar`` nor declared raises
:class:`CalendarUnknown` — the calendar never silently guesses "Monday to Friday".

Business hours (工作时段) default to 09:00–17:30 local time, configurable per calendar, with optional
breaks (e.g. a lunch break 12:00–13:00) that do not count as working time.

Speed: each year is compiled once into a bitmap of working days, a prefix count and the sorted list of
its working days' ordinals, so adding N working days or N working hours is O(1) per year crossed
(never a day-by-day loop over ``chinesecalendar``), and "end of business on the N-th working day after
date d" is memoised.

All public functions taking a moment require a timezone-aware :class:`~datetime.datetime` (a naive one
raises :class:`ValueError`) and return aware datetimes in the calendar's zone (Asia/Shanghai).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .calendar_facts import (
    CC_FIRST_YEAR,
    CC_HOLIDAYS,
    CC_LAST_YEAR,
    CC_WORKDAYS,
    CHINESE_NAMES,
    SHANGHAI,
    CalendarUnknown,
    DayInfo,
    DayOverride,
    fixed_offset_since,
    require_aware,
)

__all__ = [
    "SHANGHAI",
    "CalendarUnknown",
    "DayInfo",
    "DayOverride",
    "WorkingCalendar",
    "fixed_offset_since",
    "require_aware",
]

_US_PER_SECOND = 1_000_000
_US_PER_MINUTE = 60 * _US_PER_SECOND
_US_PER_HOUR = 60 * _US_PER_MINUTE
_US_PER_DAY = 24 * _US_PER_HOUR
_MIDNIGHT = time(0, 0)
_MEMO_LIMIT = 200_000


class _Year:
    """One compiled year: working bitmap, prefix counts and the sorted working-day ordinals."""

    __slots__ = ("year", "first", "working", "cum", "ordinals", "total")

    def __init__(self, year: int, working: bytes):
        self.year = year
        self.first = date(year, 1, 1).toordinal()
        self.working = working
        cum = [0] * (len(working) + 1)
        ordinals: list[int] = []
        count = 0
        for i, flag in enumerate(working):
            cum[i] = count
            if flag:
                ordinals.append(self.first + i)
                count += 1
        cum[len(working)] = count
        self.cum = cum
        self.ordinals = ordinals
        self.total = count


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _moment_tod_us(local: datetime) -> int:
    return ((local.hour * 60 + local.minute) * 60 + local.second) * _US_PER_SECOND + local.microsecond


def _as_date(day: date | datetime, tz: ZoneInfo) -> date:
    if isinstance(day, datetime):
        require_aware(day, "day")
        return day.astimezone(tz).date()
    if isinstance(day, date):
        return day
    raise TypeError(f"expected a date or an aware datetime, got {type(day).__name__}")


def _to_us(value: Decimal | int | float, unit_us: int, what: str) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got bool")
    dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    us = dec * unit_us
    if us != us.to_integral_value():
        raise ValueError(f"{what}={value!r} is not a whole number of microseconds")
    return int(us)


class WorkingCalendar:
    """Working days and business hours (工作日与工作时段) for one organisation.

    :param business_hours: (start, end) local times of the working day, default 09:00–17:30.
    :param breaks: optional intervals inside business hours that are not working time,
        e.g. ``[(time(12), time(13))]`` for a lunch break.
    :param overrides: ``{date: bool | DayOverride}`` single-day corrections applied last.
    :param use_chinese_calendar: take official holidays / make-up days from chinesecalendar
        (default True); with False only declared years are known.
    :param tz: the calendar's zone, default Asia/Shanghai.
    """

    def __init__(
        self,
        *,
        business_hours: tuple[time, time] = (time(9, 0), time(17, 30)),
        breaks: Iterable[tuple[time, time]] = (),
        overrides: Mapping[date, bool | DayOverride] | None = None,
        use_chinese_calendar: bool = True,
        tz: ZoneInfo = SHANGHAI,
    ):
        self.tz = tz
        self.fixed_offset_since = fixed_offset_since(tz)
        self.use_chinese_calendar = use_chinese_calendar
        start, end = business_hours
        if not (isinstance(start, time) and isinstance(end, time)) or start.tzinfo or end.tzinfo:
            raise TypeError("business_hours must be two naive datetime.time values (local wall-clock times)")
        if not start < end:
            raise ValueError(f"business hours must start before they end, got {start}–{end}")
        self.business_hours = (start, end)
        self.breaks = tuple(sorted(breaks))
        spans: list[tuple[int, int]] = []
        cursor = _time_us(start)
        end_us = _time_us(end)
        for b_start, b_end in self.breaks:
            bs, be = _time_us(b_start), _time_us(b_end)
            if not bs < be:
                raise ValueError(f"a break must start before it ends, got {b_start}–{b_end}")
            if bs < cursor or be > end_us:
                raise ValueError(f"break {b_start}–{b_end} must lie inside business hours and not overlap another")
            if bs > cursor:
                spans.append((cursor, bs))
            cursor = be
        if cursor < end_us:
            spans.append((cursor, end_us))
        if not spans:
            raise ValueError("breaks leave no working time in the day")
        # (start_us, end_us, worked_us_before_this_span)
        acc = 0
        compiled: list[tuple[int, int, int]] = []
        for s, e in spans:
            compiled.append((s, e, acc))
            acc += e - s
        self._spans = tuple(compiled)
        self._single_span = len(compiled) == 1
        self._open_us = compiled[0][0]
        self._close_us = compiled[-1][1]
        self._day_us = acc
        self.business_end_time = end

        self._overrides: dict[date, DayOverride] = {}
        self._declared: dict[int, str] = {}
        self._declared_days: dict[date, tuple[bool, str]] = {}
        self._years: dict[int, _Year] = {}
        # n → {ordinal of the report day → deadline}: one dict per target length, so a hit builds no key.
        self._wd_memo: dict[int, dict[int, datetime]] = {}
        for day, value in (overrides or {}).items():
            if isinstance(value, DayOverride):
                self.set_day(day, value.is_working, value.reason)
            else:
                self.set_day(day, bool(value))

    # ------------------------------------------------------------------ configuration

    @property
    def working_time_per_day(self) -> timedelta:
        """Working time of one working day (8 h 30 min for 09:00–17:30 without breaks)."""
        return timedelta(microseconds=self._day_us)

    def set_day(self, day: date, is_working: bool, reason: str = "") -> None:
        """Override one date (单日更正): working or not, whatever chinesecalendar or a declaration says.

        An override alone does not make an unknown year known; use :meth:`declare_year` for that.
        """
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"day must be a datetime.date, got {type(day).__name__}")
        self._overrides[day] = DayOverride(bool(is_working), reason)
        self._invalidate(day.year)

    def clear_day(self, day: date) -> None:
        """Remove a single-day override."""
        if self._overrides.pop(day, None) is not None:
            self._invalidate(day.year)

    def declare_year(
        self,
        year: int,
        holidays: Iterable[date] | Mapping[date, str] = (),
        makeup_workdays: Iterable[date] | Mapping[date, str] = (),
        reason: str = "",
    ) -> None:
        """Enter a year's official arrangement (全年放假安排) and mark the year known.

        Days not listed follow the weekday rule (Monday–Friday working) — or chinesecalendar, if it
        knows the year. ``holidays`` are days off (including weekend days inside a holiday block, if
        you wish to list them); ``makeup_workdays`` are weekend days that are working days (调休上班).
        Either may be a mapping date → name (e.g. "春节"). Declaring a year again replaces the
        previous declaration. Single-day overrides (:meth:`set_day`) still win.
        """
        if not isinstance(year, int) or isinstance(year, bool):
            raise TypeError("year must be an int")
        days: dict[date, tuple[bool, str]] = {}
        for flag, collection in ((False, holidays), (True, makeup_workdays)):
            named = collection.items() if isinstance(collection, Mapping) else ((d, "") for d in collection)
            for day, name in named:
                if isinstance(day, datetime) or not isinstance(day, date):
                    raise TypeError(f"declared days must be datetime.date values, got {day!r}")
                if day.year != year:
                    raise ValueError(f"{day} is not in the declared year {year}")
                if day in days and days[day][0] != flag:
                    raise ValueError(f"{day} is declared both a holiday and a make-up working day")
                days[day] = (flag, name or reason)
        for day in [d for d in self._declared_days if d.year == year]:
            del self._declared_days[day]
        self._declared_days.update(days)
        self._declared[year] = reason
        self._invalidate(year)

    def is_year_known(self, year: int) -> bool:
        """True if chinesecalendar knows ``year`` (and is used) or the year was declared."""
        return year in self._declared or (self.use_chinese_calendar and CC_FIRST_YEAR <= year <= CC_LAST_YEAR)

    def _invalidate(self, year: int) -> None:
        self._years.pop(year, None)
        self._wd_memo.clear()

    # ------------------------------------------------------------------ compilation

    def _status(self, day: date) -> tuple[bool, str | None, str]:
        override = self._overrides.get(day)
        if override is not None:
            return override.is_working, override.reason or None, "override"
        declared = self._declared_days.get(day)
        if declared is not None:
            return declared[0], declared[1] or None, "declared"
        if self.use_chinese_calendar and CC_FIRST_YEAR <= day.year <= CC_LAST_YEAR:
            name = CC_HOLIDAYS.get(day)
            if name is not None:
                return False, CHINESE_NAMES.get(name, name), "chinesecalendar"
            name = CC_WORKDAYS.get(day)
            if name is not None:
                return True, f"{CHINESE_NAMES.get(name, name)}调休上班", "chinesecalendar"
        return day.weekday() < 5, None, "weekday"

    def _year(self, year: int) -> _Year:
        compiled = self._years.get(year)
        if compiled is not None:
            return compiled
        if not self.is_year_known(year):
            raise CalendarUnknown(year)
        first = date(year, 1, 1)
        n_days = 366 if _stdlib_calendar.isleap(year) else 365
        working = bytes(self._status(first + timedelta(days=i))[0] for i in range(n_days))
        compiled = _Year(year, working)
        self._years[year] = compiled
        return compiled

    # ------------------------------------------------------------------ days

    def day_info(self, day: date | datetime) -> DayInfo:
        """Working or not, holiday / make-up name, and where the answer comes from."""
        d = _as_date(day, self.tz)
        if not self.is_year_known(d.year):
            raise CalendarUnknown(d.year)
        is_working, name, source = self._status(d)
        return DayInfo(d, is_working, name, source)

    def is_working_day(self, day: date | datetime) -> bool:
        """Is this date (or the local date of this aware moment) a working day?"""
        d = _as_date(day, self.tz)
        y = self._year(d.year)
        return bool(y.working[d.toordinal() - y.first])

    def next_working_day(self, day: date | datetime) -> date:
        """The first working day strictly after ``day``."""
        d = _as_date(day, self.tz)
        y = self._year(d.year)
        return date.fromordinal(self._kth_on_or_after(y, d.toordinal() - y.first + 1, 0))

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in the half-open date range [start, end) (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = self._count_before(end) - self._count_before(start)
        for year in range(start.year, end.year):
            count += self._year(year).total
        return count

    def _count_before(self, day: date) -> int:
        """Working days from 1 January of ``day``'s year up to (excluding) ``day``; 1 January needs no year."""
        if day.month == 1 and day.day == 1:
            return 0
        y = self._year(day.year)
        return y.cum[day.toordinal() - y.first]

    def _kth_on_or_after(self, y: _Year, idx: int, k: int) -> int:
        """Ordinal of the (k+1)-th working day on or after day index ``idx`` of year ``y`` (idx may be len)."""
        t = y.cum[idx] + k
        while t >= y.total:
            t -= y.total
            y = self._year(y.year + 1)
        return y.ordinals[t]

    def business_start(self, day: date | datetime) -> datetime:
        """Aware datetime of business start (09:00) on that date."""
        d = _as_date(day, self.tz)
        return datetime.combine(d, _MIDNIGHT, tzinfo=self.tz) + timedelta(microseconds=self._open_us)

    def business_end(self, day: date | datetime) -> datetime:
        """Aware datetime of business end (17:30) on that date."""
        d = _as_date(day, self.tz)
        return datetime.combine(d, _MIDNIGHT, tzinfo=self.tz) + timedelta(microseconds=self._close_us)

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        """End of business (17:30) of the N-th working day after the local date of ``moment``.

        This is the rule of "N 个工作日内" (see :mod:`tongyun.domain.sla_clock`): the day of the
        moment is day 0 and never counts, whatever the hour and whether it is a working day or not;
        day 1 is the first working day after it. ``n`` must be a positive integer.
        """
        require_aware(moment)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        if n < 1:
            raise ValueError(f"n must be at least 1 working day, got {n}")
        return self._end_of_nth_working_day(moment.astimezone(self.tz), n)

    def _end_of_nth_working_day(self, local: datetime, n: int) -> datetime:
        ordinal = local.toordinal()
        memo = self._wd_memo.get(n)
        if memo is None:
            memo = self._wd_memo[n] = {}
        result = memo.get(ordinal)
        if result is None:
            y = self._year(local.year)
            target = self._kth_on_or_after(y, ordinal - y.first + 1, n - 1)
            result = datetime.combine(date.fromordinal(target), _MIDNIGHT, tzinfo=self.tz) + timedelta(
                microseconds=self._close_us
            )
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[ordinal] = result
        return result

    # ------------------------------------------------------------------ working time

    def _inday_us(self, tod: int) -> int:
        """Working microseconds of a working day before wall-clock time-of-day ``tod``."""
        if self._single_span:
            s, e, _ = self._spans[0]
            if tod <= s:
                return 0
            return (tod if tod < e else e) - s
        acc = 0
        for s, e, before in self._spans:
            if tod <= s:
                return before
            if tod < e:
                return before + tod - s
            acc = before + e - s
        return acc

    def _tod_for(self, r: int) -> int:
        """Earliest time of day at which ``r`` (0 < r <= day) working microseconds have elapsed."""
        for s, e, before in self._spans:
            if r <= before + e - s:
                return s + r - before
        raise AssertionError("unreachable: r exceeds the working day")

    def _add_working_us(self, moment: datetime, us: int) -> datetime:
        """The earliest moment at which ``us`` working microseconds have elapsed since ``moment``."""
        local = moment.astimezone(self.tz)
        if us <= 0:
            if us < 0:
                raise ValueError("cannot add a negative working time")
            return local
        y = self._year(local.year)
        idx = local.toordinal() - y.first
        r = us
        if y.working[idx]:
            r += self._inday_us(_moment_tod_us(local))
        day_us = self._day_us
        k = -(-r // day_us) - 1  # whole working days to skip; remainder in (0, day_us]
        r -= k * day_us
        target = self._kth_on_or_after(y, idx, k)
        return datetime.combine(date.fromordinal(target), _MIDNIGHT, tzinfo=self.tz) + timedelta(
            microseconds=self._tod_for(r)
        )

    def _working_us_between(self, a: datetime, b: datetime) -> int:
        la, lb = a.astimezone(self.tz), b.astimezone(self.tz)
        if lb < la:
            return -self._working_us_between(b, a)
        ya, yb = self._year(la.year), self._year(lb.year)
        ia, ib = la.toordinal() - ya.first, lb.toordinal() - yb.first
        days = yb.cum[ib] - ya.cum[ia]
        for year in range(la.year, lb.year):
            days += self._year(year).total
        us = days * self._day_us
        if yb.working[ib]:
            us += self._inday_us(_moment_tod_us(lb))
        if ya.working[ia]:
            us -= self._inday_us(_moment_tod_us(la))
        return us

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """The earliest moment at which ``amount`` of business time has elapsed since ``moment``.

        Time outside business hours, in breaks and on non-working days does not count. A moment outside
        business hours starts counting at the next business start. When the amount is used up exactly
        at the end of a business period the result is that end (e.g. 17:30), not the next morning.
        """
        require_aware(moment)
        if not isinstance(amount, timedelta):
            raise TypeError("amount must be a timedelta")
        return self._add_working_us(moment, amount // timedelta(microseconds=1))

    def add_working_hours(
        self, moment: datetime, hours: Decimal | int | float = 0, *, minutes: Decimal | int | float = 0
    ) -> datetime:
        """``add_working_time`` with an amount given in hours and/or minutes (Decimal, int or float)."""
        require_aware(moment)
        us = _to_us(hours, _US_PER_HOUR, "hours") + _to_us(minutes, _US_PER_MINUTE, "minutes")
        return self._add_working_us(moment, us)

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Business time elapsed from ``a`` to ``b`` (negative if b is before a)."""
        require_aware(a, "a")
        require_aware(b, "b")
        return timedelta(microseconds=self._working_us_between(a, b))
