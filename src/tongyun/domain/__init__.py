"""Pure-Python domain core of tongyun (no Django imports): working calendar and SLA clocks."""

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
from tongyun.domain.working_calendar import SHANGHAI, CalendarUnknown, DayInfo, DayOverride, WorkingCalendar

__all__ = [
    "SHANGHAI",
    "CalendarUnknown",
    "DayInfo",
    "DayOverride",
    "MajorEventPeriod",
    "Target",
    "WorkingCalendar",
    "deadline",
    "deadline_with_pauses",
    "effective_targets",
    "elapsed_fraction",
    "is_at_risk",
    "is_breached",
    "stricter",
]
