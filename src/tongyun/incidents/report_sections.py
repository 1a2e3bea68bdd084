"""Report sections of the incident domain (tongyun.core.report_sections).

- incidents.summary: the period's incidents (reported in it, Asia/Shanghai; cancelled left out) with their
  SLA outcome per clock — the rules of incidents.compliance (met, breached, pending, no target) — figures,
  a chart by severity and the list (the first 200 rows);
- incidents.open_risks: incidents still open at the end of the period (open risks, 遗留问题);
- incidents.major_events: the major-event protection periods (重保期) overlapping the period and the
  incidents reported during them (RD-02, DP-07).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.choices import Severity
from tongyun.core import report_sections as rs
from tongyun.domain import incident_lifecycle as lifecycle

from .choices import IncidentState
from .compliance import REPAIR, RESPONSE, SHANGHAI, breached_q, met_q
from .models import Incident, MajorEventPeriod

ROW_LIMIT = 200


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in Asia/Shanghai."""
    return (dt.datetime.combine(start, dt.time(), SHANGHAI),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), SHANGHAI))


def _outcome(clock, now) -> Case:
    return Case(When(met_q(clock), then=Value("met")), When(breached_q(clock, now), then=Value("breached")),
                When(**{f"{clock.due}__isnull": False}, then=Value("pending")), default=Value("none"))


def _outcome_labels() -> dict[str, str]:
    return {"met": _("达标"), "breached": _("超时"), "pending": _("待定"), "none": _("无时限")}


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment, SHANGHAI):%Y-%m-%d %H:%M}" if moment else ""


def _number(row: dict) -> str:
    return Incident.number_of(row["id"], row["reported_at"])


def _rate(met: int, breached: int) -> float | None:
    return round(100 * met / (met + breached), 1) if met + breached else None


TOTALS = ("incidents", "response_met", "response_breached", "repair_met", "repair_breached", "resolved")


def _reported_in(system_ids: list[int], start: dt.date, end: dt.date):
    low, high = bounds(start, end)
    return (Incident.objects.filter(system_id__in=system_ids, reported_at__gte=low, reported_at__lt=high)
            .exclude(state=IncidentState.CANCELLED))


def _totals(now) -> dict:
    return {"incidents": Count("id"),
            "response_met": Count("id", filter=met_q(RESPONSE)),
            "response_breached": Count("id", filter=breached_q(RESPONSE, now)),
            "repair_met": Count("id", filter=met_q(REPAIR)),
            "repair_breached": Count("id", filter=breached_q(REPAIR, now)),
            "resolved": Count("id", filter=Q(resolved_at__isnull=False))}


# The listed columns only (plain dicts, not model instances: a month's lists are tens of thousands of rows).
ROW_FIELDS = ("id", "system_id", "system__name", "title", "severity", "reported_at")


def _summary_rows(incidents, now):
    return (incidents.annotate(response=_outcome(RESPONSE, now), repair=_outcome(REPAIR, now))
            .order_by("reported_at", "id").values(*ROW_FIELDS, "resolved_at", "state", "response", "repair"))


def _first_rows(rows, groups: list[list[int]], limit: int) -> list:
    """The first `limit` rows (ordered by reported_at, id) of each group in one query — of each system when
    groups share systems (then merged per group by `_groups_of`), of each group when they are disjoint (a
    unit's reports: fewer rows read than `limit` for every system)."""
    owner: dict[int, int] = {}
    for index, system_ids in enumerate(groups):
        for pk in set(system_ids):
            owner[pk] = -1 if pk in owner else index
    if -1 in owner.values() or all(len(set(system_ids)) <= 1 for system_ids in groups):
        partition = F("system_id")
    else:
        partition = Case(*[When(system_id__in=list(set(system_ids)), then=Value(index))
                           for index, system_ids in enumerate(groups) if system_ids], output_field=IntegerField())
    ranked = rows.annotate(rank=Window(RowNumber(), partition_by=[partition],
                                       order_by=[F("reported_at").asc(), F("id").asc()]))
    return list(ranked.filter(rank__lte=limit))


def _groups_of(groups: list[list[int]], per_system: dict, rows: list, zero) -> list[tuple]:
    """Each group's sums of the per-system figures and its first ROW_LIMIT rows (reported_at, id)."""
    by_system: dict[int, list] = {}
    for row in rows:
        by_system.setdefault(row["system_id"], []).append(row)
    result = []
    for system_ids in groups:
        system_ids = list(dict.fromkeys(system_ids))
        sums = zero()
        for pk in system_ids:
            for name, value in per_system.get(pk, {}).items():
                sums[name] = sums.get(name, 0) + value
        merged = sorted((row for pk in system_ids for row in by_system.get(pk, [])),
                        key=lambda row: (row["reported_at"], row["id"]))
        result.append((sums, merged[:ROW_LIMIT]))
    return result


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    now = timezone.now()
    incidents = _reported_in(system_ids, start, end)
    totals = incidents.aggregate(**_totals(now))
    by_severity = dict(incidents.order_by().values_list("severity").annotate(n=Count("id")))
    return _summary_data(totals, by_severity, _summary_rows(incidents, now)[:ROW_LIMIT])


def summaries(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    """`summary` for several scopes at once: the counts grouped by system, the first rows of each system."""
    if len(groups) == 1:
        return [summary(groups[0], start, end)]
    now = timezone.now()
    incidents = _reported_in(list({pk for system_ids in groups for pk in system_ids}), start, end)
    per_system: dict[int, dict] = {}
    for row in incidents.order_by().values("system_id").annotate(**_totals(now)):
        per_system[row.pop("system_id")] = row
    for system_id, severity, count in (incidents.order_by().values_list("system_id", "severity")
                                       .annotate(n=Count("id"))):
        per_system.setdefault(system_id, {})[f"severity:{severity}"] = count
    rows = _first_rows(_summary_rows(incidents, now), groups, ROW_LIMIT)
    result = []
    for sums, first in _groups_of(groups, per_system, rows, lambda: dict.fromkeys(TOTALS, 0)):
        by_severity = {name.split(":", 1)[1]: n for name, n in sums.items() if name.startswith("severity:")}
        result.append(_summary_data(sums, by_severity, first))
    return result


def _summary_data(totals: dict, by_severity: dict, rows) -> rs.SectionData:
    severity_labels = {value: str(label) for value, label in Severity.choices}
    state_labels = {value: str(label) for value, label in IncidentState.choices}
    outcomes = _outcome_labels()
    table = rs.Table(
        title=_("故障工单及服务时限"),
        headers=[_("工单号"), _("系统"), _("故障摘要"), _("等级"), _("报障时间"), _("修复时间"), _("状态"),
                 _("响应"), _("修复")],
        rows=[[_number(i), i["system__name"], i["title"], severity_labels.get(i["severity"], i["severity"]),
               _local(i["reported_at"]), _local(i["resolved_at"]), state_labels.get(i["state"], i["state"]),
               outcomes[i["response"]], outcomes[i["repair"]]] for i in rows],
        note=_("仅列出前 %(n)s 条") % {"n": ROW_LIMIT} if totals["incidents"] > ROW_LIMIT else "")
    return rs.SectionData(
        figures=[
            rs.Figure(_("故障数"), totals["incidents"], _("次")),
            rs.Figure(_("已修复"), totals["resolved"], _("次")),
            rs.Figure(_("响应达标"), totals["response_met"], _("次")),
            rs.Figure(_("响应超时"), totals["response_breached"], _("次")),
            rs.Figure(_("响应及时率"), _rate(totals["response_met"], totals["response_breached"]), "%"),
            rs.Figure(_("修复达标"), totals["repair_met"], _("次")),
            rs.Figure(_("修复超时"), totals["repair_breached"], _("次")),
            rs.Figure(_("修复及时率"), _rate(totals["repair_met"], totals["repair_breached"]), "%"),
        ],
        tables=[table],
        chart=rs.Chart(_("按故障等级"), [str(label) for _v, label in Severity.choices],
                       [by_severity.get(value, 0) for value, _l in Severity.choices], _("次")),
    )


def _still_open(system_ids: list[int], end: dt.date):
    _low, high = bounds(end, end)
    return (Incident.objects.filter(system_id__in=system_ids, reported_at__lt=high)
            .filter(Q(state__in=list(lifecycle.OPEN_STATES)) | Q(resolved_at__gte=high))
            .exclude(state=IncidentState.CANCELLED).order_by("reported_at", "id"))


def open_risks(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    still_open = _still_open(system_ids, end)
    return _open_risks_data(still_open.count(), still_open.values(*ROW_FIELDS)[:ROW_LIMIT])


def open_risks_many(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    """`open_risks` for several scopes at once: counted by system, the first rows of each system."""
    if len(groups) == 1:
        return [open_risks(groups[0], start, end)]
    still_open = _still_open(list({pk for system_ids in groups for pk in system_ids}), end)
    per_system = {pk: {"count": n} for pk, n in
                  still_open.order_by().values_list("system_id").annotate(n=Count("id"))}
    rows = _first_rows(still_open.values(*ROW_FIELDS), groups, ROW_LIMIT)
    return [_open_risks_data(sums["count"], first)
            for sums, first in _groups_of(groups, per_system, rows, lambda: {"count": 0})]


def _open_risks_data(count: int, rows) -> rs.SectionData:
    severities = {value: str(label) for value, label in Severity.choices}
    return rs.SectionData(
        figures=[rs.Figure(_("期末未修复故障"), count, _("次"))],
        tables=[rs.Table(_("遗留问题（期末未修复的故障）"),
                         [_("工单号"), _("系统"), _("故障摘要"), _("等级"), _("报障时间")],
                         [[_number(i), i["system__name"], i["title"], severities.get(i["severity"], i["severity"]),
                           _local(i["reported_at"])] for i in rows])])


def major_events(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    low, high = bounds(start, end)
    periods = (MajorEventPeriod.objects.filter(start__lt=high, end__gt=low)
               .filter(Q(all_systems=True) | Q(systems__id__in=system_ids)).distinct().order_by("start"))
    rows = []
    for period in periods:
        during = (Incident.objects.filter(system_id__in=system_ids, reported_at__gte=period.start,
                                          reported_at__lt=period.end).exclude(state=IncidentState.CANCELLED))
        rows.append([period.name, _local(period.start), _local(period.end), during.count()])
    return rs.SectionData(
        figures=[rs.Figure(_("重保期"), len(rows), _("个"))],
        tables=[rs.Table(_("重保期及期间故障"), [_("重保期"), _("开始"), _("结束"), _("期间故障数")], rows)])


SECTIONS = [
    rs.Section("incidents.summary", gettext_lazy("故障处置及服务时限"), summary, batch=summaries),
    rs.Section("incidents.open_risks", gettext_lazy("遗留问题及风险"), open_risks, batch=open_risks_many),
    rs.Section("incidents.major_events", gettext_lazy("重大活动保障"), major_events),
]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
