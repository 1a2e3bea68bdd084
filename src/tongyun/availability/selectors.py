"""Reads of the availability domain, all through tongyun.core.scoping.scoped().

The monthly figures are computed in bulk: five queries fetch the month's systems, devices, outages and
approved exclusions (windows and accepted outages with their device lists); the arithmetic is the pure
tongyun.domain.availability, run in Python on epoch seconds."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device, System
from tongyun.core.scoping import scoped
from tongyun.domain import availability as calc
from tongyun.monitoring.models import DeviceState, Event, Outage

from .choices import ApprovalState
from .models import AcceptedOutage, MaintenanceWindow

SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUPINGS = ("system", "unit")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
HOUR = 3600.0


# ---------------------------------------------------------------- months


def parse_month(value) -> dt.date:
    """The first day of the month: a date, or "2026-10"; ValidationError naming `month` otherwise."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _MONTH.fullmatch(str(value or "").strip())
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise ValidationError({"month": _("月份格式应为 2026-10（年-月）")})


def current_month(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first moment, first moment of the next month) in Asia/Shanghai."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, following


def _day_start(day: dt.date | None) -> float | None:
    return None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).timestamp()


def service_window(system_start: dt.date | None, system_end: dt.date | None, month: dt.date,
                   now: dt.datetime) -> calc.Interval | None:
    """The month ∩ the service (00:00 of the start day to 24:00 of the end day) ∩ up to now."""
    start, end = month_bounds(month)
    following_day = None if system_end is None else system_end + dt.timedelta(days=1)
    return calc.service_window(start.timestamp(), end.timestamp(), _day_start(system_start),
                               _day_start(following_day), now.timestamp())


# ---------------------------------------------------------------- bulk computation


@dataclass
class DeviceRow:
    device_id: int
    units: int
    figure: calc.Figure
    outages: int = 0


@dataclass
class SystemFigures:
    system_id: int
    name: str
    row_no: int | None
    unit_id: int
    unit_name: str
    category: str
    service_start: dt.date | None
    service_end: dt.date | None
    target: float | None
    window: calc.Interval | None
    devices: list[DeviceRow] = field(default_factory=list)

    @property
    def availability(self) -> float | None:
        return calc.weighted_availability(d.figure for d in self.devices)


def _filter_systems(systems: QuerySet, params: dict | None) -> QuerySet:
    params = params or {}
    for key, lookup in (("unit", "unit_id"), ("system", "pk")):
        value = params.get(key)
        if value in (None, ""):
            continue
        try:
            systems = systems.filter(**{lookup: int(value)})
        except (TypeError, ValueError):
            raise ValueError(f"{key}: {_('应为整数')}") from None
    if params.get("category"):
        systems = systems.filter(category=params["category"])
    return systems


def compute(user, month: dt.date, params: dict | None = None, *, now: dt.datetime | None = None,
            systems: QuerySet | None = None) -> list[SystemFigures]:
    """The month's figures of every system `user` may see (filtered by unit/system/category), with a
    row per device. Systems not in service during the month get a window of None."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    base = systems if systems is not None else _filter_systems(scoped(System.objects.all(), user), params)
    rows = base.order_by("row_no", "id").values_list(
        "id", "name", "row_no", "unit_id", "unit__name", "category", "service_start", "service_end",
        "availability_target__target_percent")
    figures: dict[int, SystemFigures] = {}
    for (pk, name, row_no, unit_id, unit_name, category, s_start, s_end, target) in rows:
        figures[pk] = SystemFigures(pk, name, row_no, unit_id, unit_name, category, s_start, s_end,
                                    None if target is None else float(target),
                                    service_window(s_start, s_end, month, now))
    if not figures:
        return []
    ids = list(figures)
    live = [pk for pk, f in figures.items() if f.window is not None]
    # once a system's real devices are registered (设备台账, with codes), they are what is measured; the
    # tender's summary rows ("摄像机 1219 台") stand in for them only until then
    rows_ = list(Device.objects.filter(system_id__in=ids).order_by("system_id", "id")
                 .values_list("id", "system_id", "quantity", "code"))
    registered = {system_id for _pk, system_id, _q, code in rows_ if code}
    devices = [row[:3] for row in rows_ if row[1] not in registered or row[3]]
    outages: dict[int, list[tuple[float, float]]] = defaultdict(list)
    system_wide: dict[int, list[tuple[float, float]]] = defaultdict(list)
    per_device: dict[int, list[tuple[float, float]]] = defaultdict(list)
    if live:
        now_ts = now.timestamp()
        for device_id, o_start, o_end in (Outage.objects.filter(system_id__in=live, start__lt=end)
                                          .filter(Q(end__isnull=True) | Q(end__gt=start))
                                          .values_list("device_id", "start", "end")):
            outages[device_id].append((o_start.timestamp(), o_end.timestamp() if o_end else now_ts))
        for model, through_field in ((MaintenanceWindow, "maintenancewindow_id"),
                                     (AcceptedOutage, "acceptedoutage_id")):
            spans = {pk: (system_id, s.timestamp(), e.timestamp()) for pk, system_id, s, e in
                     model.objects.filter(state=ApprovalState.APPROVED, system_id__in=live, start__lt=end,
                                          end__gt=start).values_list("id", "system_id", "start", "end")}
            if not spans:
                continue
            listed = defaultdict(list)
            for owner_id, device_id in model.devices.through.objects.filter(
                    **{f"{through_field}__in": list(spans)}).values_list(through_field, "device_id"):
                listed[owner_id].append(device_id)
            for pk, (system_id, s, e) in spans.items():
                if listed.get(pk):
                    for device_id in listed[pk]:
                        per_device[device_id].append((s, e))
                else:
                    system_wide[system_id].append((s, e))
    observed = _observed_since(live, now) if live else {}
    now_ts = now.timestamp()
    for device_id, system_id, quantity in devices:
        system = figures[system_id]
        mine = outages.get(device_id, ())
        exclusions = system_wide.get(system_id, [])
        if device_id in per_device:
            exclusions = exclusions + per_device[device_id]
        since = observed.get(device_id)
        figure = calc.device_figure(system.window, mine, exclusions, units=quantity,
                                    observed=[(since, now_ts)] if since is not None else [])
        system.devices.append(DeviceRow(device_id, quantity, figure, len(mine)))
    return list(figures.values())


def _observed_since(system_ids: list[int], now: dt.datetime) -> dict[int, float]:
    """When the platform began to watch each device of these systems: its first alert, or the state its
    monitoring (alerts, built-in checks) keeps. A device never heard of is not observed: no data."""
    seen: dict[int, float] = {}
    for device_id, since, checked in DeviceState.objects.filter(device__system_id__in=system_ids).values_list(
            "device_id", "since", "checked_at"):
        moment = since or checked
        if moment is not None:
            seen[device_id] = moment.timestamp()
    for device_id, first in (Event.objects.filter(system_id__in=system_ids, device__isnull=False)
                             .values("device_id").annotate(first=Min("starts_at")).values_list("device_id", "first")):
        seen[device_id] = min(seen.get(device_id, first.timestamp()), first.timestamp())
    return {d: min(t, now.timestamp()) for d, t in seen.items()}


# ---------------------------------------------------------------- tables


def _hours(value: float) -> float:
    return round(value / HOUR, 2)


def _figures_row(devices: list[DeviceRow]) -> dict:
    availability = calc.weighted_availability(d.figure for d in devices)
    return {
        "device_rows": len(devices),
        "device_units": sum(d.units for d in devices),
        "measured_units": sum(d.units for d in devices if d.figure.availability is not None),
        "outages": sum(d.outages for d in devices),
        "down_hours": _hours(sum(d.figure.down for d in devices)),
        "excluded_hours": _hours(sum(d.figure.excluded * d.units for d in devices)),
        "service_hours": _hours(sum(d.figure.unit_service for d in devices)),
        "availability": calc.percent(availability),
        # the share of the device-unit time somebody observed: a figure over 3 % of the month says so
        "observed_share": calc.percent(calc.observed_share(d.figure for d in devices)),
    }


def _system_row(system: SystemFigures) -> dict:
    row = {"system_id": system.system_id, "system": system.name, "row_no": system.row_no,
           "unit_id": system.unit_id, "unit": system.unit_name, "category": system.category,
           "service_start": system.service_start, "service_end": system.service_end,
           "in_service": system.window is not None, "target": system.target}
    row.update(_figures_row(system.devices))
    row["shortfall"] = row["availability"] is not None and row["target"] is not None and \
        row["availability"] < row["target"]
    return row


def availability_tables(user, month, groupings=GROUPINGS, params: dict | None = None, *,
                        now: dt.datetime | None = None) -> dict[str, dict]:
    """The month's availability per system (systems with devices or a target) and/or per unit, and the
    total over everything shown, computed once for all the groupings asked. Percentages as shown:
    two decimals."""
    month = parse_month(month)
    for group_by in groupings:
        if group_by not in GROUPINGS:
            raise ValidationError({"group_by": _("分组方式应为 system 或 unit")})
    now = now or timezone.now()
    systems = [s for s in compute(user, month, params, now=now) if s.devices or s.target is not None]
    system_rows = [_system_row(s) for s in systems]
    total = {"group": _("合计"), **_figures_row([d for s in systems for d in s.devices]),
             "systems": len(systems), "shortfall_systems": sum(r["shortfall"] for r in system_rows)}
    tables = {}
    for group_by in groupings:
        rows = system_rows if group_by == "system" else _unit_rows(systems, system_rows)
        tables[group_by] = {"month": month, "group_by": group_by, "now": now, "rows": rows, "total": total}
    return tables


def _unit_rows(systems: list[SystemFigures], system_rows: list[dict]) -> list[dict]:
    by_unit: dict[int, list[SystemFigures]] = {}
    for system in systems:
        by_unit.setdefault(system.unit_id, []).append(system)
    short = defaultdict(int)
    for row in system_rows:
        short[row["unit_id"]] += row["shortfall"]
    rows = []
    for unit_id, unit_systems in by_unit.items():
        row = {"unit_id": unit_id, "unit": unit_systems[0].unit_name, "systems": len(unit_systems),
               "targeted_systems": sum(s.target is not None for s in unit_systems)}
        row.update(_figures_row([d for s in unit_systems for d in s.devices]))
        row["shortfall_systems"] = short[unit_id]
        rows.append(row)
    return rows


def availability_table(user, month, group_by: str = "system", params: dict | None = None, *,
                       now: dt.datetime | None = None) -> dict:
    """The month's table for one grouping ("system" or "unit")."""
    if group_by not in GROUPINGS:
        raise ValidationError({"group_by": _("分组方式应为 system 或 unit")})
    return availability_tables(user, month, (group_by,), params, now=now)[group_by]


def system_get(user, pk: int) -> System:
    return get_object_or_404(scoped(System.objects.select_related("unit", "availability_target"), user), pk=pk)


def device_table(user, system: System, month, *, now: dt.datetime | None = None) -> dict:
    """Per-device drill-down of one (already scoped) system for a month, with the month's outages and
    the exclusions in effect."""
    month = parse_month(month)
    now = now or timezone.now()
    [figures] = compute(user, month, now=now, systems=System.objects.filter(pk=system.pk))
    info = {d.pk: d for d in Device.objects.filter(system=system).only("id", "kind", "model", "name", "location",
                                                                        "quantity")}
    devices = []
    for row in figures.devices:
        device = info[row.device_id]
        devices.append({
            "device_id": device.pk, "device": str(device), "kind": device.kind, "model": device.model,
            "location": device.location, "quantity": row.units, "outages": row.outages,
            "service_hours": _hours(row.figure.service), "excluded_hours": _hours(row.figure.excluded),
            "down_hours": _hours(row.figure.down), "availability": calc.percent(row.figure.availability),
        })
    start, end = month_bounds(month)
    overlapping = {"start__lt": end, "end__gt": start}
    outages = (Outage.objects.filter(system=system, start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=start))
               .select_related("device", "recorded_by").order_by("start", "id"))
    return {
        "month": month, "now": now, "system": _system_row(figures), "devices": devices,
        "outages": outages,
        "windows": MaintenanceWindow.objects.filter(system=system, state=ApprovalState.APPROVED, **overlapping)
        .prefetch_related("devices"),
        "accepted": AcceptedOutage.objects.filter(system=system, state=ApprovalState.APPROVED, **overlapping)
        .prefetch_related("devices"),
    }


# ---------------------------------------------------------------- windows and accepted outages


def _requests(queryset: QuerySet, user, params: dict | None) -> QuerySet:
    params = params or {}
    queryset = scoped(queryset.select_related("system", "system__unit", "requested_by", "decided_by"), user)
    if params.get("state"):
        if params["state"] not in ApprovalState.values:
            raise ValueError(f"state: {_('无效的状态')}")
        queryset = queryset.filter(state=params["state"])
    queryset = _filter_systems_of(queryset, params)
    if params.get("month"):
        start, end = month_bounds(parse_month(params["month"]))
        queryset = queryset.filter(start__lt=end, end__gt=start)
    return queryset.prefetch_related("devices")


def _filter_systems_of(queryset: QuerySet, params: dict) -> QuerySet:
    for key, lookup in (("unit", "system__unit_id"), ("system", "system_id")):
        value = params.get(key)
        if value in (None, ""):
            continue
        try:
            queryset = queryset.filter(**{lookup: int(value)})
        except (TypeError, ValueError):
            raise ValueError(f"{key}: {_('应为整数')}") from None
    return queryset


def window_list(user, params: dict | None = None) -> QuerySet[MaintenanceWindow]:
    return _requests(MaintenanceWindow.objects.all(), user, params)


def window_get(user, pk: int) -> MaintenanceWindow:
    return get_object_or_404(window_list(user), pk=pk)


def accepted_list(user, params: dict | None = None) -> QuerySet[AcceptedOutage]:
    return _requests(AcceptedOutage.objects.all(), user, params)


def accepted_get(user, pk: int) -> AcceptedOutage:
    return get_object_or_404(accepted_list(user), pk=pk)


def devices_of(user, system: System) -> QuerySet[Device]:
    return scoped(Device.objects.filter(system=system), user).order_by("kind", "id")
