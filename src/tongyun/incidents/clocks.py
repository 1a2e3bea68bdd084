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

from tongyun.catalog.choices import Severity, TermPeriod
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


# Severities in order; a fault the row's tiers do not name takes the nearest tier (docs/sla-clock.md §7).
SEVERITY_RANK = {Severity.MINOR: 0, Severity.GENERAL: 1, Severity.SERIOUS: 2, Severity.URGENT: 3}
_OTHER_RANK = SEVERITY_RANK[Severity.GENERAL]
# Rough lengths in minutes, only to tell the strictest asset-class tier when no class is chosen.
_ROUGH_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "working_day": 2016, "working_hour": 170}


class Resolution:
    """How the tier of an incident was found; shown on the ticket (policy["resolution"])."""

    CHOSEN = "chosen"                  # the tier chosen on the ticket (asset class, on-site, …)
    SEVERITY = "severity"              # the tier of the incident's severity
    NEAREST = "nearest"                # the row names no tier for that severity: the nearest one
    STRICTEST_CLASS = "strictest_class"  # per-asset-class targets, no class chosen: the strictest class
    NO_TARGET = "no_target"            # the tender sets no numeric target for this fault


RESOLUTION_TEXT = {
    Resolution.CHOSEN: "工单选定的条款",
    Resolution.SEVERITY: "按故障等级",
    Resolution.NEAREST: "招标未单列该等级，按最接近的等级",
    Resolution.STRICTEST_CLASS: "未选设备类别，按最严的类别",
    Resolution.NO_TARGET: "招标未设定数值时限",
}


def _rough(term: SlaTerm) -> float:
    lengths = [float(getattr(term, f"{kind}_value")) * _ROUGH_MINUTES.get(getattr(term, f"{kind}_unit"), 1)
               for kind in ("repair", "restore", "response", "arrival") if getattr(term, f"{kind}_value")]
    return min(lengths) if lengths else float("inf")


def _has_target(term: SlaTerm) -> bool:
    return any(getattr(term, f"{kind}_value") for kind in CLOCKS)


def resolve_term(terms: list[SlaTerm], severity: str, tier_key: str = "", *, in_hours: bool = True
                 ) -> tuple[SlaTerm | None, str]:
    """The term that governs a fault of `severity` (or the chosen `tier_key`) and how it was found.

    1. the chosen tier; 2. the tier of the severity for the time of the report (business hours or
    not; a tier "always" loses to a matching period tier); 3. the nearest graded tier (minor → general,
    urgent → serious …; at equal distance the stricter one); 4. with only per-class tiers (asset
    classes), the strictest class; 5. nothing: the tender sets no numeric target. Major-event tiers
    apply only inside a major-event period (periods_for). A tier without numbers (e.g. "即刻响应")
    resolves to itself and counts as "no numeric target".
    """
    if tier_key:
        chosen = next((t for t in terms if t.tier_key == tier_key), None)
        if chosen is not None:
            return chosen, Resolution.CHOSEN
    period = TermPeriod.BUSINESS_HOURS if in_hours else TermPeriod.OUTSIDE_BUSINESS_HOURS
    usable = [t for t in terms if t.applies_when in (period, TermPeriod.ALWAYS)]
    matching = [t for t in usable if t.severity == severity]
    if matching:
        return sorted(matching, key=lambda t: (t.applies_when == TermPeriod.ALWAYS, t.position))[0], Resolution.SEVERITY
    graded = [t for t in usable if t.severity in SEVERITY_RANK]
    if graded:
        rank = SEVERITY_RANK.get(severity, _OTHER_RANK)
        nearest = min(graded, key=lambda t: (abs(SEVERITY_RANK[t.severity] - rank), -SEVERITY_RANK[t.severity],
                                             t.applies_when == TermPeriod.ALWAYS, t.position))
        return nearest, Resolution.NEAREST
    classes = [t for t in usable if _has_target(t)]
    if classes:
        return min(classes, key=lambda t: (_rough(t), t.position)), Resolution.STRICTEST_CLASS
    return None, Resolution.NO_TARGET


def _in_business_hours(moment: dt.datetime, calendar: WorkingCalendar) -> bool:
    local = moment.astimezone(calendar.tz)
    try:
        return calendar.is_working_day(local.date()) and \
            calendar.business_hours[0] <= local.time() < calendar.business_hours[1]
    except CalendarUnknown:
        return False


def term_for(incident: Incident, calendar: WorkingCalendar) -> SlaTerm | None:
    """The SLA term that governs the incident (see resolve_term); None when the tender states none."""
    return resolve_incident_term(incident, calendar)[0]


def resolve_incident_term(incident: Incident, calendar: WorkingCalendar) -> tuple[SlaTerm | None, str]:
    terms = list(SlaTerm.objects.filter(system_id=incident.system_id).order_by("position"))
    return resolve_term(terms, incident.severity, incident.tier_key,
                        in_hours=_in_business_hours(incident.reported_at, calendar))


def _major_event_override(incident: Incident) -> dict[str, sla_clock.Target]:
    """The row's own targets for major-event periods (e.g. row 16 "重大活动/节假日保障：30 分钟内响应，
    2 小时内定位并解决问题"): a system-specific override inside every period that covers the system."""
    term = SlaTerm.objects.filter(system_id=incident.system_id, applies_when=TermPeriod.MAJOR_EVENT).order_by(
        "position").first()
    if term is None:
        return {}
    targets = {}
    for kind in CLOCKS:
        target = _target(getattr(term, f"{kind}_value"), getattr(term, f"{kind}_unit"))
        if target:
            targets[str(kind)] = target
    return targets


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
    if result:
        override = _major_event_override(incident)
        if override:
            # strictest of base, the period's own targets and the row's override (effective_targets)
            result += [sla_clock.MajorEventPeriod(f"{p.name}（本系统重保时限）", p.start, p.end, override)
                       for p in result[:1]]
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
    term, resolution = resolve_incident_term(incident, calendar)
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
        # every (system, severity) resolves to a documented clock or to an explicit "no numeric target"
        "resolution": resolution if targets or resolution == Resolution.NO_TARGET else Resolution.NO_TARGET,
        "resolution_text": RESOLUTION_TEXT[resolution if targets else Resolution.NO_TARGET],
        "no_numeric_target": not targets,
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
