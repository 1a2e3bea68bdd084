"""Reads of the report engine: lists, one report, the overview of what is due, late or awaiting signature."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tongyun.core.scoping import scoped

from . import types
from .choices import EDITABLE_STATES, ReportState
from .models import Report

OPEN_STATES = (ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED)


def report_list(user, filters: dict | None = None) -> QuerySet[Report]:
    filters = filters or {}
    queryset = scoped(Report.objects.all(), user).select_related("system", "unit")
    for name in ("state", "type_key"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    if filters.get("unit"):
        queryset = queryset.filter(unit_id=filters["unit"])
    if filters.get("period_from"):
        queryset = queryset.filter(period_start__gte=filters["period_from"])
    if filters.get("period_to"):
        queryset = queryset.filter(period_start__lte=filters["period_to"])
    if filters.get("late"):
        queryset = queryset.filter(late_q(timezone.now()))
    return queryset.order_by("-period_start", "type_key", "scope_key", "-version", "id")


def report_get(user, pk: int) -> Report:
    return get_object_or_404(scoped(Report.objects.select_related("system__unit", "unit"), user), pk=pk)


def late_q(now: dt.datetime) -> Q:
    """The rule of Report.is_late, in SQL."""
    return Q(due_at__isnull=False) & (Q(first_submitted_at__gt=F("due_at")) |
                                      Q(first_submitted_at__isnull=True, due_at__lt=now))


def counts(queryset: QuerySet[Report], now: dt.datetime | None = None) -> dict:
    """due (open, deadline ahead), late (past the deadline, not yet submitted — or submitted late and still
    open), awaiting signature (submitted), signed."""
    now = now or timezone.now()
    current = queryset.exclude(state=ReportState.SUPERSEDED)
    return {
        "due": current.filter(state__in=EDITABLE_STATES).filter(Q(due_at__isnull=True) | Q(due_at__gte=now)).count(),
        "late": current.filter(state__in=OPEN_STATES).filter(late_q(now)).count(),
        "awaiting": current.filter(state=ReportState.SUBMITTED).count(),
        "signed": current.filter(state=ReportState.SIGNED).count(),
    }


def report_counts(user, *, now: dt.datetime | None = None) -> list[dict]:
    """Per user unit (and the district's own reports as unit None): {unit_id, unit, due, late, awaiting,
    signed} — for the overview page and the district overview (another page reads this selector)."""
    now = now or timezone.now()
    rows: dict = defaultdict(lambda: {"due": 0, "late": 0, "awaiting": 0, "signed": 0})
    names: dict = {}
    open_editable = set(EDITABLE_STATES)
    for report in (scoped(Report.objects.exclude(state=ReportState.SUPERSEDED), user).select_related("unit")
                   .only("state", "due_at", "first_submitted_at", "unit__name", "unit_id")):
        row = rows[report.unit_id]
        names[report.unit_id] = report.unit.name if report.unit_id else ""
        if report.state in open_editable and (report.due_at is None or report.due_at >= now):
            row["due"] += 1
        if report.state in OPEN_STATES and report.is_late(now):
            row["late"] += 1
        if report.state == ReportState.SUBMITTED:
            row["awaiting"] += 1
        if report.state == ReportState.SIGNED:
            row["signed"] += 1
    return [{"unit_id": pk, "unit": names[pk], **values}
            for pk, values in sorted(rows.items(), key=lambda item: (item[0] is None, names[item[0]]))]


def first_submission_on_time(type_key: str, system_ids: list[int], period_start: dt.date,
                             now: dt.datetime | None = None) -> dict[int, bool]:
    """{system_id: first submitted by the deadline} of a type's system reports of a period — a domain's fact
    (e.g. inspections.report_on_time) reads this instead of the reports' models. Left out: no report,
    no deadline, or not submitted and not yet due. A correction keeps the first submission's lateness."""
    now = now or timezone.now()
    result: dict[int, bool] = {}
    for system_id, first, due in (Report.objects.filter(type_key=type_key, system_id__in=system_ids,
                                                        period_start=period_start, due_at__isnull=False)
                                  .exclude(state=ReportState.SUPERSEDED)
                                  .values_list("system_id", "first_submitted_at", "due_at")):
        if first is not None:
            result[system_id] = first <= due
        elif now > due:
            result[system_id] = False
    return result


def type_choices() -> list[tuple[str, str]]:
    return [(t.key, str(t.title)) for t in types.registered()]
