"""Calendar, business hours and major-event periods: each change recomputes the open tickets' deadlines."""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core import hooks
from tongyun.core.permissions import require
from tongyun.domain import incident_lifecycle as lifecycle

from .. import clocks
from ..choices import EventKind
from ..models import BusinessHours, CalendarDay, CalendarYear, Incident, MajorEventPeriod
from .common import _event, _iso


def _recompute_open(now: dt.datetime, calendar_changed: bool = False) -> int:
    """Calendar or period changes move deadlines: recompute every open ticket (the open ones are few)."""
    if calendar_changed:
        hooks.fire("working_calendar_changed")
    changed = 0
    for incident in Incident.objects.filter(state__in=lifecycle.OPEN_STATES).select_related("system"):
        changes = clocks.recompute_deadlines(incident, now)
        incident.save()
        if changes:
            changed += 1
            _event(incident, None, EventKind.DEADLINES, now, data={
                "deadlines": {k: [_iso(a), _iso(b)] for k, (a, b) in changes.items()}})
    return changed


@transaction.atomic
def declare_calendar_year(user, year: int, days: list[tuple[dt.date, bool, str]], source: str = "") -> CalendarYear:
    """Enter (or replace) a year's official arrangement: its days off and make-up working days.
    Days outside the year or listed twice with different types are refused, naming the day."""
    require(user, "incidents.calendar")
    problems = {}
    seen: dict[dt.date, bool] = {}
    for day, is_working, _name in days:
        if day.year != year:
            problems[str(day)] = _("不在 %(year)s 年内") % {"year": year}
        elif day in seen and seen[day] != is_working:
            problems[str(day)] = _("同一天既是休息日又是调休工作日")
        seen[day] = is_working
    if problems:
        raise ValidationError(problems)
    with set_actor(user):
        calendar_year, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        CalendarDay.objects.filter(date__year=year, is_correction=False).delete()
        corrections = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
        CalendarDay.objects.bulk_create([CalendarDay(date=d, is_working=w, name=n) for d, w, n in
                                         {d: (d, w, n) for d, w, n in days}.values() if d not in corrections])
    _recompute_open(timezone.now(), calendar_changed=True)
    return calendar_year


@transaction.atomic
def correct_calendar_day(user, day: dt.date, is_working: bool, name: str = "") -> CalendarDay:
    """A single-day correction (e.g. a district-wide day off), stronger than any declaration."""
    require(user, "incidents.calendar")
    with set_actor(user):
        correction, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_working": is_working, "name": name, "is_correction": True})
    _recompute_open(timezone.now(), calendar_changed=True)
    return correction


@transaction.atomic
def remove_calendar_correction(user, day: dt.date) -> None:
    require(user, "incidents.calendar")
    with set_actor(user):
        for correction in CalendarDay.objects.filter(date=day, is_correction=True):
            correction.delete()
    _recompute_open(timezone.now(), calendar_changed=True)


@transaction.atomic
def set_business_hours(user, system: System, start: dt.time | None, end: dt.time | None) -> None:
    """Business hours of one system; None restores the default 09:00–17:30."""
    require(user, "incidents.calendar")
    with set_actor(user):
        if start is None or end is None:
            BusinessHours.objects.filter(system=system).delete()
        else:
            if not start < end:
                raise ValidationError({"end": _("结束时间须晚于开始时间")})
            BusinessHours.objects.update_or_create(system=system, defaults={"start": start, "end": end})
    _recompute_open(timezone.now())


@transaction.atomic
def save_major_event_period(user, period: MajorEventPeriod, systems: list[System] | None = None) -> MajorEventPeriod:
    """Plan or change a 重保期. Tickets already open keep the targets of their report moment unless the
    period covers it — all open tickets are recomputed."""
    require(user, "incidents.major_events")
    if period.start and period.end and not period.start < period.end:
        raise ValidationError({"end": _("结束时间须晚于开始时间")})
    period.full_clean()
    with set_actor(user):
        period.save()
        if systems is not None:
            period.systems.set(systems)
    _recompute_open(timezone.now())
    return period


@transaction.atomic
def delete_major_event_period(user, period: MajorEventPeriod) -> None:
    require(user, "incidents.major_events")
    with set_actor(user):
        period.delete()
    _recompute_open(timezone.now())
