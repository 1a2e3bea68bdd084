"""Reads of security, every one through `scoped()`."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped

from .choices import STAGE_ORDER, FindingStatus, OccurrenceStatus, Stage
from .models import (
    Assessment,
    DutyOccurrence,
    ExpiringItem,
    Finding,
    MlpsRecord,
    Patch,
    RecurringDuty,
    SoftwareItem,
    Vulnerability,
)
from .services import quota


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _by_place(queryset, params: dict, system_path: str = "system"):
    """The filters every list shares: ?unit=, ?system=, ?q= (system name)."""
    if (unit := _int(params.get("unit"))) is not None:
        queryset = queryset.filter(**{f"{system_path}__unit_id": unit})
    if (system := _int(params.get("system"))) is not None:
        queryset = queryset.filter(**{f"{system_path}_id": system})
    if q := (params.get("q") or "").strip():
        queryset = queryset.filter(**{f"{system_path}__name__icontains": q})
    return queryset


def visible_system(user, pk) -> System:
    return get_object_or_404(scoped(System.objects.all(), user), pk=pk)


def mlps_records(user, params: dict | None = None):
    params = params or {}
    records = _by_place(scoped(MlpsRecord.objects.select_related("system__unit"), user), params)
    if status := params.get("status"):
        records = records.filter(status=status)
    if (level := _int(params.get("level"))) is not None:
        records = records.filter(level=level)
    return records


def assessments(user, params: dict | None = None, year: int = 2026):
    params = params or {}
    rows = _by_place(scoped(Assessment.objects.filter(year=year).select_related("system__unit"), user), params)
    if stage := params.get("stage"):
        rows = rows.filter(stage=stage)
    return rows


def assessment(user, pk) -> Assessment:
    return get_object_or_404(scoped(Assessment.objects.select_related("system__unit"), user), pk=pk)


def programme_progress(user, year: int = 2026) -> dict:
    """Per level: quota, selected, and per stage; per unit and level: selected and done."""
    rows = scoped(Assessment.objects.filter(year=year), user)
    per_level = {level: {"level": level, "quota": limit, "selected": 0, "done": 0,
                         "stages": dict.fromkeys(STAGE_ORDER, 0)} for level, limit in quota(year).items()}
    for row in rows.values("level", "stage").annotate(n=Count("id")):
        entry = per_level.setdefault(row["level"], {"level": row["level"], "quota": 0, "selected": 0, "done": 0,
                                                    "stages": dict.fromkeys(STAGE_ORDER, 0)})
        entry["selected"] += row["n"]
        entry["stages"][row["stage"]] += row["n"]
        if row["stage"] == Stage.DONE:
            entry["done"] += row["n"]
    units: dict = defaultdict(lambda: {"unit": "", "unit_id": None, "levels": defaultdict(lambda: [0, 0])})
    for row in rows.values("system__unit_id", "system__unit__name", "level").annotate(
            n=Count("id"), done=Count("id", filter=Q(stage=Stage.DONE))):
        unit = units[row["system__unit_id"]]
        unit["unit"], unit["unit_id"] = row["system__unit__name"], row["system__unit_id"]
        unit["levels"][row["level"]] = [row["n"], row["done"]]
    unit_rows = [{"unit": u["unit"], "unit_id": u["unit_id"],
                  "levels": {level: {"selected": v[0], "done": v[1]} for level, v in sorted(u["levels"].items())}}
                 for u in sorted(units.values(), key=lambda u: u["unit"])]
    return {"year": year, "levels": [per_level[k] for k in sorted(per_level)], "units": unit_rows}


def selectable_records(user, year: int = 2026):
    """Register rows the bureau may still put in the programme (level in the quota, not the unit's own)."""
    chosen = Assessment.objects.filter(year=year).values("system_id")
    return mlps_records(user).filter(level__in=list(quota(year))).exclude(system_id__in=chosen).exclude(
        status="unit_own")


def findings(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(Finding.objects.select_related("system__unit", "owner", "device"), user), params)
    if status := params.get("status"):
        rows = rows.filter(status=status)
    if severity := params.get("severity"):
        rows = rows.filter(severity=severity)
    if params.get("overdue"):
        rows = rows.filter(status=FindingStatus.OPEN, due_at__lte=timezone.now())
    return rows


def finding(user, pk) -> Finding:
    return get_object_or_404(scoped(Finding.objects.select_related("system__unit", "owner", "device"), user),
                             pk=pk)


def software(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(SoftwareItem.objects.select_related("system__unit", "device"), user), params)
    if kind := params.get("kind"):
        rows = rows.filter(kind=kind)
    return rows


def vulnerabilities(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(Vulnerability.objects.select_related("system__unit", "software"), user), params)
    if params.get("open"):
        rows = rows.filter(fixed_on__isnull=True)
    return rows


def patches(user, params: dict | None = None):
    return _by_place(scoped(Patch.objects.select_related("system__unit", "software", "applied_by"), user),
                     params or {})


def expiring_items(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(ExpiringItem.objects.select_related("system__unit", "device"), user), params)
    if kind := params.get("kind"):
        rows = rows.filter(kind=kind)
    if params.get("reminded"):
        rows = rows.filter(retired=False, reminded_stage__gt=0)
    return rows


def expiring_item(user, pk) -> ExpiringItem:
    return get_object_or_404(scoped(ExpiringItem.objects.select_related("system__unit"), user), pk=pk)


def duties(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(RecurringDuty.objects.select_related("system__unit"), user), params)
    if category := params.get("category"):
        rows = rows.filter(category=category)
    return rows.annotate(total=Count("occurrences"),
                         done=Count("occurrences", filter=Q(occurrences__status=OccurrenceStatus.DONE)))


def occurrences(user, params: dict | None = None):
    params = params or {}
    rows = _by_place(scoped(DutyOccurrence.objects.select_related("duty__system__unit", "done_by"), user), params,
                     system_path="duty__system")
    if (duty := _int(params.get("duty"))) is not None:
        rows = rows.filter(duty_id=duty)
    if params.get("pending"):
        rows = rows.filter(status=OccurrenceStatus.PLANNED)
    return rows


def occurrence(user, pk) -> DutyOccurrence:
    return get_object_or_404(scoped(DutyOccurrence.objects.select_related("duty__system__unit"), user), pk=pk)
