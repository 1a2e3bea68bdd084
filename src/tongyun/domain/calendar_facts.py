"""What the working calendar (working_calendar.py) is built from, without Django.

* the zone: Asia/Shanghai, and from when a zone's UTC offset never changes again;
* chinesecalendar's official holidays (法定节假日) and make-up working days (调休上班日), and the years it knows;
* the answers about one day (:class:`DayOverride`, :class:`DayInfo`) and :class:`CalendarUnknown` for a year
  nobody has declared — the calendar never silently guesses "Monday to Friday".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

# From these moments on a zone's UTC offset never changes again (no DST, no further transition in the tz
# database: after its last transition zoneinfo applies a fixed rule string, "CST-8" for Shanghai). China
# last observed summer time in 1991. Knowing this lets the SLA clock add calendar time to a moment in the
# zone without asking zoneinfo for the offset twice (two utcoffset() calls cost more than the rest of a
# deadline); zones not listed take the general road. tests/test_working_calendar.py checks the claim.
_FIXED_OFFSET_SINCE = {
    "Asia/Shanghai": (1992, 1, 1),
    "UTC": (1, 1, 1),
    "Etc/UTC": (1, 1, 1),
}


def fixed_offset_since(tz: ZoneInfo) -> datetime | None:
    """The aware moment from which ``tz`` keeps one UTC offset for ever, or None if not known."""
    ymd = _FIXED_OFFSET_SINCE.get(getattr(tz, "key", None) or "")
    return None if ymd is None else datetime(*ymd, tzinfo=tz)

# chinesecalendar stores English holiday names; its Holiday enum knows the Chinese ones.
CHINESE_NAMES = {member.value: member.chinese for member in chinese_calendar.Holiday}
CC_HOLIDAYS: Mapping[date, str] = chinese_calendar.holidays
CC_WORKDAYS: Mapping[date, str] = chinese_calendar.workdays
CC_FIRST_YEAR = min(CC_HOLIDAYS).year
CC_LAST_YEAR = max(CC_HOLIDAYS).year


class CalendarUnknown(LookupError):
    """The working calendar of ``year`` is not known (工作日历未知).

    Raised instead of guessing Monday–Friday: enter the official arrangement with
    :meth:`WorkingCalendar.declare_year` first.
    """

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"working calendar for {year} is unknown (工作日历未知：{year} 年); "
            f"declare the official holiday arrangement with WorkingCalendar.declare_year({year}, ...)"
        )


def require_aware(moment: datetime, name: str = "moment") -> None:
    """Raise ValueError if ``moment`` is a naive datetime (TypeError if it is not a datetime)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a timezone-aware datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{name} must be a timezone-aware datetime (e.g. tzinfo=ZoneInfo('Asia/Shanghai')), got naive {moment!r}"
        )


@dataclass(frozen=True, slots=True)
class DayOverride:
    """An explicit decision about one date: working or not, and why (e.g. "区政府通知：临时停电")."""

    is_working: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What the calendar knows about one date.

    ``source`` is ``"weekday"`` (ordinary Monday–Friday / weekend), ``"chinesecalendar"`` (official
    holiday or make-up working day from chinesecalendar), ``"declared"`` (from :meth:`declare_year`)
    or ``"override"`` (single-day correction).
    """

    day: date
    is_working: bool
    name: str | None
    source: str
