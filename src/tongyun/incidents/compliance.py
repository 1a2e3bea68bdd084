"""SLA compliance (服务达标情况) per user unit, system or category for one month, and the breach list.

An incident belongs to the month (Asia/Shanghai) of its report; cancelled incidents are left out.
For each of the two clocks that the contract scores — response (响应: acknowledged_at against
response_due) and repair (修复: resolved_at against repair_due) — an incident with a due moment is

- met (按时)       when the clock's work was done at or before the due moment;
- breached (超时)  when it was done after it (breach = done − due), or is still not done and the due
                   moment has passed (breach so far = now − due);
- pending (待定)   when it is not done and not yet due — neither met nor breached. A repair clock that
                   is paused (waiting for the user, vendor or parts) before its due moment is pending
                   too: the pause pushes the due moment later (clocks.recompute_deadlines on resume).
                   A pause that starts after the due moment changes nothing, so that one is breached.

An incident without a due moment for a clock has no target for it (the tender states none, e.g.
"及时维修"), or its due moment fell into a year the working calendar does not know yet
(`calendar_unknown_year`; counted separately so that the bureau declares that year). Incidents for
which the tender sets no numeric target at all (policy "no_numeric_target") are counted in `no_target`.

The rate (达标率) is met ÷ (met + breached); pending clocks are not scored yet.
"breaches" counts breached clocks (an incident late on both counts twice, as in the contract's
deductions), and the breach durations add up and take the maximum over those clocks.

Everything is computed by the database in one grouped query (conditional aggregates); Python only
turns the few group rows into percentages and seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.choices import Category, Severity
from tongyun.core.scoping import scoped

from .choices import IncidentState
from .models import Incident

SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUPINGS = ("unit", "system", "category")
GROUP_LABELS = {"unit": gettext_lazy("用户单位"), "system": gettext_lazy("系统"), "category": gettext_lazy("类别")}
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-01)?")


@dataclass(frozen=True)
class _Clock:
    name: str
    due: str
    done: str
    pausable: bool


RESPONSE = _Clock("response", "response_due", "acknowledged_at", pausable=False)
REPAIR = _Clock("repair", "repair_due", "resolved_at", pausable=True)
CLOCKS = (RESPONSE, REPAIR)


class ComplianceFilterSet(django_filters.FilterSet):
    """The incident list's filters that make sense for a compliance table."""

    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    system = django_filters.NumberFilter(field_name="system_id")
    unit = django_filters.NumberFilter(field_name="system__unit_id")
    category = django_filters.ChoiceFilter(field_name="system__category", choices=Category.choices)

    class Meta:
        model = Incident
        fields = ["severity", "system", "unit", "category"]


# ---------------------------------------------------------------- parameters


def parse_month(value) -> dt.date:
    """The first day of the month given as a date, "2026-03" or "2026-03-01"; ValidationError naming
    `month` otherwise."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, SHANGHAI).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _MONTH.fullmatch(str(value or "").strip())
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise ValidationError({"month": _("月份格式应为 2026-03（年-月）")})


def current_month(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first moment, first moment of the next month) in Asia/Shanghai — a range on reported_at, so the
    reported_at index serves it (no per-row time-zone conversion)."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    following = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, following


def parse_group_by(value) -> str:
    if value not in GROUPINGS:
        raise ValidationError({"group_by": _("分组方式应为 %(allowed)s 之一") % {"allowed": "、".join(GROUPINGS)}})
    return value


def parse_groupings(value) -> list[str]:
    """One or more groupings: a list, or "unit,system" — for the workbook; all three when empty."""
    if not value:
        return list(GROUPINGS)
    items = value if isinstance(value, list | tuple) else [value]
    names = [part.strip() for item in items for part in str(item).split(",") if part.strip()]
    result = []
    for name in names or GROUPINGS:
        parse_group_by(name)
        if name not in result:
            result.append(name)
    return result


def month_incidents(user, month, params=None) -> QuerySet[Incident]:
    """The scoped, not-cancelled incidents reported in `month`, filtered by `params`."""
    start, end = month_bounds(parse_month(month))
    incidents = scoped(Incident.objects.all(), user).filter(reported_at__gte=start, reported_at__lt=end).exclude(
        state=IncidentState.CANCELLED)
    filterset = ComplianceFilterSet({k: v for k, v in (params or {}).items() if v not in (None, "")},
                                    queryset=incidents)
    if not filterset.is_valid():
        raise ValidationError({field: list(errors) for field, errors in filterset.errors.items()})
    return filterset.qs


# ---------------------------------------------------------------- conditions and expressions


def met_q(clock: _Clock) -> Q:
    return Q(**{f"{clock.done}__isnull": False, f"{clock.done}__lte": F(clock.due)})


def late_q(clock: _Clock) -> Q:
    """Done after the due moment (a NULL done or due never compares true)."""
    return Q(**{f"{clock.done}__gt": F(clock.due)})


def overdue_q(clock: _Clock, now: dt.datetime) -> Q:
    """Not done and past due now (a repair clock paused before its due moment is not: it is stopped)."""
    condition = Q(**{f"{clock.done}__isnull": True, f"{clock.due}__lt": now})
    if clock.pausable:
        condition &= Q(paused_since__isnull=True) | Q(paused_since__gte=F(clock.due))
    return condition


def breached_q(clock: _Clock, now: dt.datetime) -> Q:
    return late_q(clock) | overdue_q(clock, now)


def pending_q(clock: _Clock, now: dt.datetime) -> Q:
    return Q(**{f"{clock.due}__isnull": False, f"{clock.done}__isnull": True}) & ~overdue_q(clock, now)


def breach_expression(clock: _Clock, now: dt.datetime) -> Case:
    """done − due for a late clock, now − due for an overdue one, NULL otherwise."""
    return Case(
        When(late_q(clock), then=F(clock.done) - F(clock.due)),
        When(overdue_q(clock, now), then=Value(now, output_field=DateTimeField()) - F(clock.due)),
        default=None,
        output_field=DurationField(),
    )


def _aggregates(now: dt.datetime) -> dict:
    fields = {"incidents": Count("id"),
              "calendar_unknown": Count("id", filter=Q(calendar_unknown_year__isnull=False)),
              # the tender sets no numeric target for the fault (clocks.Resolution.NO_TARGET): counted as such,
              # never as met
              "no_target": Count("id", filter=Q(policy__no_numeric_target=True))}
    for clock in CLOCKS:
        name = clock.name
        fields[f"{name}_targets"] = Count("id", filter=Q(**{f"{clock.due}__isnull": False}))
        fields[f"{name}_met"] = Count("id", filter=met_q(clock))
        fields[f"{name}_breached"] = Count("id", filter=breached_q(clock, now))
        fields[f"{name}_pending"] = Count("id", filter=pending_q(clock, now))
        fields[f"_{name}_breach_total"] = Sum(breach_expression(clock, now))
        fields[f"_{name}_breach_max"] = Max(breach_expression(clock, now))
    return fields


# ---------------------------------------------------------------- the table

_GROUP_FIELDS = {
    "unit": {"unit_id": "system__unit_id", "unit_name": "system__unit__name"},
    "system": {"system_id": "system_id", "system_name": "system__name", "system_row_no": "system__row_no",
               "unit_id": "system__unit_id", "unit_name": "system__unit__name"},
    "category": {"category": "system__category"},
}
_GROUP_ORDER = {"unit": ["unit_id"], "system": ["system_row_no", "system_id"], "category": ["category"]}
_CATEGORY_ORDER = {value: position for position, value in enumerate(Category.values)}


def seconds_of(value) -> int | None:
    """Whole seconds of a duration aggregate (None stays None)."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds())
    return round(value / 1_000_000)  # a backend that hands back microseconds


def _seconds(value) -> int:
    return seconds_of(value) or 0


def _rate(met: int, breached: int) -> float | None:
    return round(100 * met / (met + breached), 1) if met + breached else None


def _finish(row: dict) -> dict:
    """Percentages, breach totals (both clocks) and seconds; the aggregates' raw durations removed."""
    for clock in CLOCKS:
        name = clock.name
        row[f"{name}_met_pct"] = _rate(row[f"{name}_met"], row[f"{name}_breached"])
        row[f"{name}_breach_seconds"] = _seconds(row.pop(f"_{name}_breach_total"))
        row[f"_{name}_max"] = _seconds(row.pop(f"_{name}_breach_max"))
    row["breaches"] = row["response_breached"] + row["repair_breached"]
    row["breach_seconds_total"] = row["response_breach_seconds"] + row["repair_breach_seconds"]
    row["breach_seconds_max"] = max(row.pop("_response_max"), row.pop("_repair_max"))
    return row


def _label(group_by: str, row: dict) -> str:
    if group_by == "unit":
        return row["unit_name"]
    if group_by == "system":
        return row["system_name"]
    return str(Category(row["category"]).label) if row["category"] in _CATEGORY_ORDER else row["category"]


COUNT_FIELDS = ("incidents", "response_targets", "response_met", "response_breached", "response_pending",
                "repair_targets", "repair_met", "repair_breached", "repair_pending", "calendar_unknown", "no_target")


def _total(rows: list[dict]) -> dict:
    total = {"group": _("合计")}
    for field in (*COUNT_FIELDS, "breaches", "response_breach_seconds", "repair_breach_seconds",
                  "breach_seconds_total"):
        total[field] = sum(row[field] for row in rows)
    total["breach_seconds_max"] = max((row["breach_seconds_max"] for row in rows), default=0)
    for clock in CLOCKS:
        total[f"{clock.name}_met_pct"] = _rate(total[f"{clock.name}_met"], total[f"{clock.name}_breached"])
    return total


def compliance_table(user, *, month, group_by: str = "unit", params=None, now: dt.datetime | None = None) -> dict:
    """The month's compliance per group, as {"month", "group_by", "now", "rows", "total"}.

    Each row: the group (`group` label and its ids), incidents, {response,repair}_{targets, met, breached,
    pending, met_pct, breach_seconds}, breaches, breach_seconds_total, breach_seconds_max, calendar_unknown.
    Only groups with incidents in the month appear."""
    month = parse_month(month)
    group_by = parse_group_by(group_by)
    now = now or timezone.now()
    fields = _GROUP_FIELDS[group_by]
    rows = list(
        month_incidents(user, month, params)
        .order_by()
        .values(*[alias for alias, path in fields.items() if alias == path],
                **{alias: F(path) for alias, path in fields.items() if alias != path})
        .annotate(**_aggregates(now))
    )
    if group_by == "category":
        rows.sort(key=lambda r: (_CATEGORY_ORDER.get(r["category"], len(_CATEGORY_ORDER)), r["category"]))
    else:
        rows.sort(key=lambda r: [r[key] if r[key] is not None else 1 << 30 for key in _GROUP_ORDER[group_by]])
    for row in rows:
        _finish(row)
        row["group"] = _label(group_by, row)
        row.pop("system_row_no", None)
    return {"month": month, "group_by": group_by, "now": now, "rows": rows, "total": _total(rows)}


# ---------------------------------------------------------------- the breach list


def breach_list(user, month, params=None, now: dt.datetime | None = None) -> QuerySet[Incident]:
    """The month's incidents with at least one breached clock, newest first, annotated with
    `response_breach` and `repair_breach` (timedelta, None when that clock is not breached)."""
    now = now or timezone.now()
    return (
        month_incidents(user, month, params)
        .filter(breached_q(RESPONSE, now) | breached_q(REPAIR, now))
        .select_related("system", "system__unit")
        .annotate(response_breach=breach_expression(RESPONSE, now), repair_breach=breach_expression(REPAIR, now))
        .order_by("-reported_at", "-id")
    )


# ---------------------------------------------------------------- the overview's trend


def repair_trend(user, months: list[dt.date], now: dt.datetime | None = None) -> dict[tuple[dt.date, str], float]:
    """{(month, category): repair met %} over several months in one grouped query — the same conditions
    as compliance_table's repair_met_pct (met / (met + breached); a month or category without a decided
    clock is left out)."""
    now = now or timezone.now()
    start, _end = month_bounds(months[0])
    _start, end = month_bounds(months[-1])
    # the month as an index from plain comparisons with its bounds (no per-row time-zone conversion, so
    # the reported_at index serves the range and SQLite calls no Python function per row)
    month_index = Case(*[When(reported_at__lt=month_bounds(month)[1], then=Value(index))
                         for index, month in enumerate(months)], default=Value(len(months)))
    rows = (scoped(Incident.objects.all(), user).filter(reported_at__gte=start, reported_at__lt=end)
            .exclude(state=IncidentState.CANCELLED).order_by()
            .annotate(month_index=month_index)
            .values("month_index", "system__category")
            .annotate(met=Count("id", filter=met_q(REPAIR)), breached=Count("id", filter=breached_q(REPAIR, now))))
    result = {}
    for row in rows:
        rate = _rate(row["met"], row["breached"])
        if rate is not None and row["month_index"] < len(months):
            result[(months[row["month_index"]], row["system__category"])] = rate
    return result
