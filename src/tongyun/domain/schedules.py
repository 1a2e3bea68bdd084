"""Inspection schedules (巡检排期): from a tender cadence to an RRULE and to dated occurrences.

Pure Python, no Django. A cadence (frequency + mode, as in ``tongyun.catalog.choices.Frequency``)
becomes an RFC 5545 recurrence rule (``RRULE``, evaluated with python-dateutil) whose occurrences are
*anchors*: the nominal first day of each inspection period (the 1st of the month, Monday, the 1st/11th/
21st …). Each anchor opens a *period* that lasts until the day before the next anchor.

The one rule that turns anchors into inspection dates:

1. the inspection of a period is due by the period's last day (capped at the end of service);
2. it is scheduled on the anchor — or on the start of service when the service starts inside the
   period — moved forward to the next working day (工作日, from the :class:`WorkingCalendar`:
   official holidays and make-up Saturdays included);
3. if the period has no working day left (e.g. the Spring Festival week), it has no inspection.

"Every day" (每日, 7×24 systems) is the exception: every calendar day, holidays included. "On demand"
and "other" cadences have no occurrences. A date in a year the calendar does not know raises
:class:`CalendarUnknown` — never a guess; :func:`occurrences_until_unknown` returns what is known and
the first unknown year instead.

Examples (2026): monthly → 02-02 (Feb 1 is a Sunday), 10-08 (National Day 10-01…10-07); weekly in
the week of 10-05 → Thu 10-08; weekly in the week of 02-16 → none (the whole week is 春节);
every working day in February includes the make-up Saturdays 02-14 and 02-28.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rruleset, rrulestr

from .working_calendar import CalendarUnknown, WorkingCalendar

__all__ = [
    "CalendarUnknown",
    "NO_OCCURRENCES",
    "PARAMETERISED",
    "Occurrence",
    "ScheduleError",
    "default_rrule",
    "occurrences",
    "occurrences_until_unknown",
    "periods",
    "shifts_to_working_day",
    "validate_rrule",
]

# The RRULE of each frequency (its anchors; the working-day shift is applied afterwards).
RRULES: dict[str, str] = {
    "daily": "FREQ=DAILY",
    "working_daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY;BYDAY=MO",
    "ten_daily": "FREQ=MONTHLY;BYMONTHDAY=1,11,21",
    "semimonthly": "FREQ=MONTHLY;BYMONTHDAY=1,16",
    "monthly": "FREQ=MONTHLY;BYMONTHDAY=1",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1",
    "quarterly": "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1",
    # 每季度 2 次: the two halves of the quarter (the 1st of its first month, the 16th of its second)
    "semiquarterly": "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1\nFREQ=MONTHLY;BYMONTH=2,5,8,11;BYMONTHDAY=16",
    "four_per_year": "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1",
    "semiannual": "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=1",
    "annual": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
}
NO_OCCURRENCES = frozenset({"on_demand", "other"})
# Frequencies whose rule needs the tender's number (每 15 天, N 次/年): the cadence carries the RRULE
# (e.g. "FREQ=DAILY;INTERVAL=15", "FREQ=MONTHLY;INTERVAL=4;BYMONTHDAY=1"); without one there are no dates.
PARAMETERISED = frozenset({"every_n_days", "times_per_year"})
# Frequencies counted in calendar days: no move to a working day (7×24 duty).
CALENDAR_DAY_FREQUENCIES = frozenset({"daily"})
_ALLOWED_FREQ = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_PER_YEAR = 366


class ScheduleError(ValueError):
    """An RRULE the platform cannot use (syntax, sub-daily frequency, too many occurrences)."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One inspection: scheduled on ``day``, due by ``due`` (the last day of its period)."""

    day: date
    due: date


def default_rrule(frequency: str) -> str:
    """The RRULE text for a catalog frequency; empty for on_demand/other (no occurrences)."""
    if frequency in NO_OCCURRENCES or frequency in PARAMETERISED:
        return ""
    try:
        return RRULES[frequency]
    except KeyError:
        raise ScheduleError(f"unknown frequency {frequency!r}") from None


def shifts_to_working_day(frequency: str) -> bool:
    """Whether occurrences move to the next working day (all but calendar-day frequencies)."""
    return frequency not in CALENDAR_DAY_FREQUENCIES


def _lines(text: str) -> list[str]:
    """The rules of a schedule: one RRULE, or several on separate lines (their anchors are merged)."""
    out = []
    for line in (text or "").strip().splitlines():
        line = line.strip()
        if line.upper().startswith("RRULE:"):
            line = line[6:]
        if line:
            out.append(line)
    return out


def _one_rule(text: str, start: datetime) -> rrule:
    try:
        rule = rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as problem:
        raise ScheduleError(f"invalid RRULE {text!r}: {problem}") from None
    if not isinstance(rule, rrule):
        raise ScheduleError("only RRULE lines are supported")
    if rule._freq not in _ALLOWED_FREQ:  # noqa: SLF001 — dateutil keeps the frequency private
        raise ScheduleError("RRULE frequency must be DAILY, WEEKLY, MONTHLY or YEARLY")
    if rule._count is not None or rule._until is not None:  # noqa: SLF001
        raise ScheduleError("COUNT/UNTIL are not used: the service period bounds the schedule")
    return rule


def _rule(text: str, dtstart: date) -> rrule | rruleset:
    lines = _lines(text)
    if not lines:
        raise ScheduleError("empty RRULE")
    start = datetime(dtstart.year, dtstart.month, dtstart.day)
    rules = [_one_rule(line, start) for line in lines]
    if len(rules) == 1:
        return rules[0]
    merged = rruleset()
    for rule in rules:
        merged.rrule(rule)
    return merged


def validate_rrule(text: str) -> str:
    """Normalise and check an RRULE text; raise ScheduleError if the platform cannot use it."""
    text = "\n".join(_lines(text))
    rule = _rule(text, date(2026, 1, 1))
    year = rule.between(datetime(2026, 1, 1), datetime(2026, 12, 31), inc=True)
    if not year:
        raise ScheduleError("the RRULE has no occurrence in a year")
    if len(year) > MAX_PER_YEAR:
        raise ScheduleError("more than one occurrence per day")
    return text.upper()


def _anchors(rule_text: str, start: date, end: date) -> Iterator[tuple[date, date]]:
    """(anchor, period_end) for every period that overlaps [start, end].

    DTSTART is January 1 of the year before ``start``, so INTERVAL rules (bimonthly) keep the
    same phase every year and the period running into ``start`` is found. The rule is walked once.
    """
    rule = _rule(rule_text, date(start.year - 1, 1, 1))
    previous: date | None = None
    for moment in rule:
        anchor = moment.date()
        if previous is not None:
            period_end = anchor - timedelta(days=1)
            if period_end >= start:
                yield previous, period_end
        if anchor > end:
            return
        previous = anchor
    if previous is not None and previous <= end:
        yield previous, end


def _iter(rule_text: str, start: date, end: date, calendar: WorkingCalendar,
          shift: bool) -> Iterator[Occurrence]:
    for anchor, period_end in _anchors(rule_text, start, end):
        last = min(period_end, end)
        day = max(anchor, start)
        if shift:
            while day <= last and not calendar.is_working_day(day):
                day += timedelta(days=1)
            if day > last:
                continue
        yield Occurrence(day, last)


def occurrences(frequency: str, start: date, end: date, calendar: WorkingCalendar, *,
                rrule_text: str | None = None) -> list[Occurrence]:
    """Every inspection of a cadence between ``start`` and ``end`` (both inclusive).

    ``rrule_text`` overrides the frequency's default rule (a plan edited by the project manager).
    Raises :class:`CalendarUnknown` when a working day is needed in a year the calendar does not know.
    """
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise TypeError("start and end must be dates")
    text = rrule_text if rrule_text else default_rrule(frequency)
    if not text or end < start:
        return []
    return list(_iter(text, start, end, calendar, shifts_to_working_day(frequency)))


def occurrences_until_unknown(frequency: str, start: date, end: date, calendar: WorkingCalendar, *,
                              rrule_text: str | None = None) -> tuple[list[Occurrence], int | None]:
    """Like :func:`occurrences`, but stop before the first year the calendar does not know and
    return that year (None if everything is known): the known part can be scheduled now."""
    text = rrule_text if rrule_text else default_rrule(frequency)
    if not text or end < start:
        return [], None
    found: list[Occurrence] = []
    try:
        for occurrence in _iter(text, start, end, calendar, shifts_to_working_day(frequency)):
            found.append(occurrence)
    except CalendarUnknown as unknown:
        return found, unknown.year
    return found, None


def periods(rule_text: str, start: date, end: date) -> list[tuple[date, date]]:
    """The periods (anchor, last day) of a rule that overlap [start, end], unshifted and uncapped — the
    reporting periods of a report cadence (a month, a quarter, a year)."""
    if end < start:
        return []
    return list(_anchors(rule_text, start, end))
