"""From catalog and calendar to an incident's clocks: which targets apply and when each is due.

The arithmetic lives in tongyun.domain (pure Python); this module reads the database: the system's
SLA terms (the policy, editable by the bureau with history), the bureau's calendar declarations and
corrections, the system's business hours and the major-event periods.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from tongyun.catalog.choices import SlaForm, TermPeriod
from tongyun.catalog.models import SlaTerm, System
from tongyun.domain import sla_clock
from tongyun.domain.working_calendar import CalendarUnknown, WorkingCalendar

from .choices import ClockKind, ClockState
from .models import BusinessHours, CalendarDay, CalendarYear, Incident, MajorEventPeriod

CLOCKS = (ClockKind.RESPONSE, ClockKind.ARRIVAL, ClockKind.REPAIR, ClockKind.RESTORE)
PAUSABLE = (ClockKind.ARRIVAL, ClockKind.REPAIR, ClockKind.RESTORE)
DEFAULT_HOURS = (dt.time(9, 0), dt.time(17, 30))

_calendars: dict[tuple, WorkingCalendar] = {}


def _calendar_version() -> tuple:
    """Everything the calendar is built from (a few dozen rows a year): any edit changes it."""
    days = tuple(CalendarDay.objects.order_by("date").values_list("date", "is_working", "is_correction"))
    years = tuple(CalendarYear.objects.order_by("year").values_list("year", "declared_at"))
    return days, years


def working_calendar(hours: tuple[dt.time, dt.time] = DEFAULT_HOURS) -> WorkingCalendar:
    """The working calendar: chinesecalendar, then the bureau's declared years, then corrections.
    Built once per version of the declarations (two small queries tell whether they changed)."""
    key = (hours, _calendar_version())
    calendar = _calendars.get(key)
    if calendar is None:
        calendar = WorkingCalendar(business_hours=hours)
        days = list(CalendarDay.objects.all())
        for year in CalendarYear.objects.all():
            declared = [d for d in days if d.date.year == year.year and not d.is_correction]
            calendar.declare_year(
                year.year,
                holidays={d.date: d.name for d in declared if not d.is_working},
                makeup_workdays={d.date: d.name for d in declared if d.is_working},
                reason=year.source,
            )
        for day in days:
            if day.is_correction:
                calendar.set_day(day.date, day.is_working, day.name)
        _calendars.clear()
        _calendars[key] = calendar
    return calendar


def calendar_for(system: System) -> WorkingCalendar:
    hours = BusinessHours.objects.filter(system=system).values_list("start", "end").first()
    return working_calendar(tuple(hours) if hours else DEFAULT_HOURS)


def _target(value: Decimal | None, unit: str) -> sla_clock.Target | None:
    if value is None or not unit or value <= 0:
        return None
    return sla_clock.Target(value, unit)


def term_for(incident: Incident, calendar: WorkingCalendar) -> SlaTerm | None:
    """The SLA term that governs the incident: the chosen asset-class tier, else the term of its
    severity (for the business-hours variant in force at the report), else the single term of a
    health-template system; None when the tender states no numeric target (e.g. "及时维修")."""
    terms = list(SlaTerm.objects.filter(system_id=incident.system_id).order_by("position"))
    if incident.tier_key:
        return next((t for t in terms if t.tier_key == incident.tier_key), None)
    local = incident.reported_at.astimezone(calendar.tz)
    try:
        in_hours = calendar.is_working_day(local.date()) and \
            calendar.business_hours[0] <= local.time() < calendar.business_hours[1]
    except CalendarUnknown:
        in_hours = False
    period = TermPeriod.BUSINESS_HOURS if in_hours else TermPeriod.OUTSIDE_BUSINESS_HOURS
    matching = [t for t in terms if t.severity == incident.severity and t.applies_when in (period, TermPeriod.ALWAYS)]
    if matching:
        return sorted(matching, key=lambda t: t.applies_when == TermPeriod.ALWAYS)[0]
    if incident.system.sla_form == SlaForm.HEALTH_TEMPLATE and len(terms) == 1:
        return terms[0]
    return None


def periods_for(incident: Incident) -> list[sla_clock.MajorEventPeriod]:
    periods = MajorEventPeriod.objects.filter(start__lte=incident.reported_at, end__gt=incident.reported_at).filter(
        Q(all_systems=True) | Q(systems=incident.system_id)
    ).distinct()
    result = []
    for period in periods:
        targets = {}
        for kind in ("response", "repair"):
            target = _target(getattr(period, f"{kind}_value"), getattr(period, f"{kind}_unit"))
            if target:
                targets[kind] = target
        result.append(sla_clock.MajorEventPeriod(period.name, period.start, period.end, targets))
    return result


def _pauses(incident: Incident, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    if incident.pk is None:
        return []
    return [(p.start, p.end or now) for p in incident.pauses.all()]


def _risk_moment(start, due, target, calendar, pauses, threshold) -> dt.datetime:
    """The moment `threshold` of the clock is used (binary search on the monotone elapsed fraction)."""
    low, high = start, due
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if sla_clock.elapsed_fraction(start, due, middle, calendar, target, pauses=pauses) >= threshold:
            high = middle
        else:
            low = middle
    return high


def recompute_deadlines(incident: Incident, now: dt.datetime) -> dict:
    """Set the incident's policy snapshot, due moments and risk moments; return what changed.

    Deadlines count from the report (`reported_at`), the repair clock from arrival on site where the
    term says so; waiting states pause the arrival, repair and restore clocks. A deadline that falls
    into a year the calendar does not know stays empty and `calendar_unknown_year` says which year.
    """
    calendar = calendar_for(incident.system)
    term = term_for(incident, calendar)
    base = {}
    if term is not None:
        for kind in CLOCKS:
            target = _target(getattr(term, f"{kind}_value"), getattr(term, f"{kind}_unit"))
            if target:
                base[kind] = target
    periods = periods_for(incident)
    targets = sla_clock.effective_targets(incident.reported_at, base, periods, calendar) if periods else base
    pauses = _pauses(incident, now)
    threshold = settings.TONGYUN_SLA_AT_RISK
    before = {kind: getattr(incident, f"{kind}_due") for kind in CLOCKS}
    incident.calendar_unknown_year = None
    for kind in CLOCKS:
        due = None
        target = targets.get(kind)
        start = incident.reported_at
        if kind == ClockKind.REPAIR and term is not None and term.repair_from_arrival and incident.arrived_at:
            start = incident.arrived_at
        if target is not None:
            try:
                clock_pauses = pauses if kind in PAUSABLE else []
                due = sla_clock.deadline_with_pauses(start, target, calendar, clock_pauses)
                if kind in (ClockKind.RESPONSE, ClockKind.REPAIR):
                    risk = _risk_moment(start, due, target, calendar, clock_pauses, threshold)
                    setattr(incident, f"{kind}_risk_at", risk)
            except CalendarUnknown as unknown:
                incident.calendar_unknown_year = unknown.year
                due = None
        if due is None and kind in (ClockKind.RESPONSE, ClockKind.REPAIR):
            setattr(incident, f"{kind}_risk_at", None)
        setattr(incident, f"{kind}_due", due)
    incident.policy = {
        "term_id": term.pk if term else None,
        "tier": (term.tier_label or term.get_severity_display()) if term else "",
        "targets": {str(kind): str(target) for kind, target in targets.items()},
        "major_events": [p.name for p in periods],
        "words": "" if targets else (incident.system.sla_text or "")[:500],
        "repair_from_arrival": bool(term and term.repair_from_arrival),
        "calendar": _calendar_label(calendar),
    }
    return {kind: (before[kind], getattr(incident, f"{kind}_due")) for kind in CLOCKS
            if before[kind] != getattr(incident, f"{kind}_due")}


def _calendar_label(calendar: WorkingCalendar) -> str:
    start, end = calendar.business_hours
    return f"中国法定节假日（chinesecalendar）+ 甲方声明；工作时段 {start:%H:%M}–{end:%H:%M}"


def clock_state(incident: Incident, kind: str, now: dt.datetime) -> str:
    """What one clock shows now: none, calendar unknown, running, at risk, paused, met or breached."""
    due = getattr(incident, f"{kind}_due")
    done_at = {
        ClockKind.RESPONSE: incident.acknowledged_at,
        ClockKind.ARRIVAL: incident.arrived_at,
        ClockKind.REPAIR: incident.resolved_at,
        ClockKind.RESTORE: incident.resolved_at,
    }[kind]
    if due is None:
        has_target = kind in (incident.policy or {}).get("targets", {})
        return ClockState.UNKNOWN_CALENDAR if has_target and incident.calendar_unknown_year else ClockState.NONE
    if done_at is not None:
        return ClockState.MET if done_at <= due else ClockState.BREACHED
    if incident.state == "cancelled":
        return ClockState.NONE
    if incident.paused_since and kind in PAUSABLE:
        return ClockState.PAUSED
    if now > due:
        return ClockState.BREACHED
    risk_at = getattr(incident, f"{kind}_risk_at", None)
    if risk_at is not None and now >= risk_at:
        return ClockState.AT_RISK
    return ClockState.RUNNING
