"""Reads for the live status pages (per system, overview, 大屏) and the check management page, all through
tongyun.core.scoping.scoped(). A device without a DeviceState counts as unknown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tongyun.catalog.choices import Category, Severity
from tongyun.catalog.models import Device, System
from tongyun.core.scoping import scoped
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.incidents.filters import at_risk_q, breached_q
from tongyun.incidents.models import Incident

from .choices import DeviceStatus
from .models import Check, Event

STATUSES = [DeviceStatus.UP, DeviceStatus.DOWN, DeviceStatus.DEGRADED, DeviceStatus.UNKNOWN]
LIST_LIMIT = 200


def _status_counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in rows:
        counts[status or DeviceStatus.UNKNOWN] += n
    counts["total"] = sum(counts[s] for s in STATUSES)
    return counts


def online_rate(counts: dict[str, int]) -> float | None:
    """Share (%) of the devices with a known state that are up (degraded counts as not up)."""
    known = counts[DeviceStatus.UP] + counts[DeviceStatus.DOWN] + counts[DeviceStatus.DEGRADED]
    return round(100 * counts[DeviceStatus.UP] / known, 1) if known else None


def _incident_figures(incidents: QuerySet[Incident], now: dt.datetime) -> dict:
    open_incidents = incidents.filter(state__in=lifecycle.OPEN_STATES)
    figures = open_incidents.aggregate(
        open=Count("id"), at_risk=Count("id", filter=at_risk_q(now)), breached=Count("id", filter=breached_q(now)))
    by_severity = dict(open_incidents.values_list("severity").annotate(n=Count("id")).order_by())
    figures["by_severity"] = [{"key": value, "label": str(label), "count": by_severity.get(value, 0)}
                              for value, label in Severity.choices]
    return figures


def system_get(user, pk: int) -> System:
    return get_object_or_404(scoped(System.objects.select_related("unit"), user), pk=pk)


def system_status(user, system: System, now: dt.datetime | None = None) -> dict:
    """The live status of one system the user may see."""
    now = now or timezone.now()
    devices = scoped(Device.objects.filter(system=system), user).select_related("state")
    counts = _status_counts(devices.values_list("state__status").annotate(n=Count("id")).order_by())
    ordered = devices.order_by("kind", "name", "pk")
    incidents = scoped(Incident.objects.filter(system=system), user)
    open_incidents = (incidents.filter(state__in=lifecycle.OPEN_STATES).select_related("assignee")
                      .order_by("repair_due", "-reported_at")[:20])
    return {
        "system": system,
        "counts": counts,
        "online_rate": online_rate(counts),
        "down": list(ordered.filter(state__status__in=[DeviceStatus.DOWN, DeviceStatus.DEGRADED])[:LIST_LIMIT]),
        "up": list(ordered.filter(state__status=DeviceStatus.UP)[:LIST_LIMIT]),
        "unknown": list(ordered.filter(Q(state__isnull=True) | Q(state__status=DeviceStatus.UNKNOWN))[:LIST_LIMIT]),
        "list_limit": LIST_LIMIT,
        "incidents": _incident_figures(incidents, now),
        "open_incidents": list(open_incidents),
        "events": list(scoped(Event.objects.filter(system=system), user).select_related("device", "source")[:20]),
        "checks": scoped(Check.objects.filter(system=system), user).aggregate(
            n_total=Count("id"), n_enabled=Count("id", filter=Q(enabled=True)),
            n_failing=Count("id", filter=Q(enabled=True, last_ok=False))),
        "now": now,
    }


def status_overview(user, q: str = "", category: str = "", offline_only: bool = False) -> list[dict]:
    """Each system the user may see, with its device counts by state and open incidents (status index);
    searched by system or unit name (or the tender row number), by category, or only those with a device
    down or degraded."""
    systems = scoped(System.objects.select_related("unit"), user).order_by("row_no", "pk")
    if q := q.strip():
        match = Q(name__icontains=q) | Q(unit__name__icontains=q)
        systems = systems.filter(match | Q(row_no=int(q)) if q.isdigit() and len(q) < 6 else match)
    if category:
        systems = systems.filter(category=category)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for system_id, status, n in (scoped(Device.objects.all(), user).values_list("system_id", "state__status")
                                 .annotate(n=Count("id")).order_by()):
        counts[system_id][status or DeviceStatus.UNKNOWN] += n
    open_by_system = dict(scoped(Incident.objects.filter(state__in=lifecycle.OPEN_STATES), user)
                          .values_list("system_id").annotate(n=Count("id")).order_by())
    rows = []
    for system in systems:
        c = counts.get(system.pk, dict.fromkeys(STATUSES, 0))
        c = {**c, "total": sum(c[s] for s in STATUSES)}
        if offline_only and not (c[DeviceStatus.DOWN] or c[DeviceStatus.DEGRADED]):
            continue
        rows.append({"system": system, "counts": c, "online_rate": online_rate(c),
                     "open_incidents": open_by_system.get(system.pk, 0)})
    return rows


def wall_data(user, now: dt.datetime | None = None) -> dict:
    """Everything the 大屏 shows, as plain JSON-ready values (the page polls it)."""
    now = now or timezone.now()
    devices = scoped(Device.objects.all(), user)
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for category, status, n in (devices.values_list("system__category", "state__status")
                                .annotate(n=Count("id")).order_by()):
        by_category[category][status or DeviceStatus.UNKNOWN] += n
    totals = dict.fromkeys(STATUSES, 0)
    categories = []
    for value, label in Category.choices:
        c = by_category.get(value, dict.fromkeys(STATUSES, 0))
        c = {**c, "total": sum(c[s] for s in STATUSES)}
        for s in STATUSES:
            totals[s] += c[s]
        categories.append({"key": value, "label": str(label), **{str(s): c[s] for s in STATUSES},
                           "total": c["total"], "online_rate": online_rate(c)})
    totals["total"] = sum(totals[s] for s in STATUSES)
    units = []
    for unit_id, name, down, total in (
            devices.values_list("system__unit_id", "system__unit__name")
            .annotate(down=Count("id", filter=Q(state__status__in=[DeviceStatus.DOWN, DeviceStatus.DEGRADED])),
                      total=Count("id"))
            .filter(down__gt=0).order_by("-down", "system__unit__name")[:10]):
        units.append({"id": unit_id, "name": name, "down": down, "total": total})
    incidents = _incident_figures(scoped(Incident.objects.all(), user), now)
    return {
        "updated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S"),
        "devices": {**{str(s): totals[s] for s in STATUSES}, "total": totals["total"],
                    "online_rate": online_rate(totals)},
        "categories": categories,
        "units": units,
        "incidents": incidents,
        "systems": scoped(System.objects.all(), user).count(),
    }


def check_list(user, system_id: int | None = None) -> QuerySet[Check]:
    checks = scoped(Check.objects.select_related("system", "system__unit", "device"), user)
    if system_id:
        checks = checks.filter(system_id=system_id)
    return checks.order_by("system__row_no", "system_id", "device_id", "id")


def check_get(user, pk: int) -> Check:
    return get_object_or_404(scoped(Check.objects.select_related("system", "device"), user), pk=pk)


def check_systems(user) -> QuerySet[System]:
    """Systems the user may see, with how many checks and devices with an IP each has."""
    return (scoped(System.objects.select_related("unit"), user)
            .annotate(check_count=Count("checks", distinct=True),
                      ip_devices=Count("devices", filter=Q(devices__ip_address__isnull=False), distinct=True))
            .order_by("row_no", "pk"))


def devices_without_check(system: System, kind: str) -> QuerySet[Device]:
    """Devices of the system with an IP address and no check of this kind yet (for bulk creation)."""
    return (Device.objects.filter(system=system, ip_address__isnull=False)
            .exclude(checks__kind=kind).order_by("pk"))
