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

from django.db.models import Case, Count, Q, Value, When
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


def _outcome_label(value: str) -> str:
    return {"met": _("达标"), "breached": _("超时"), "pending": _("待定"), "none": _("无时限")}[value]


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment, SHANGHAI):%Y-%m-%d %H:%M}" if moment else ""


def _rate(met: int, breached: int) -> float | None:
    return round(100 * met / (met + breached), 1) if met + breached else None


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    now = timezone.now()
    low, high = bounds(start, end)
    incidents = (Incident.objects.filter(system_id__in=system_ids, reported_at__gte=low, reported_at__lt=high)
                 .exclude(state=IncidentState.CANCELLED))
    totals = incidents.aggregate(
        incidents=Count("id"),
        response_met=Count("id", filter=met_q(RESPONSE)),
        response_breached=Count("id", filter=breached_q(RESPONSE, now)),
        repair_met=Count("id", filter=met_q(REPAIR)), repair_breached=Count("id", filter=breached_q(REPAIR, now)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)))
    by_severity = dict(incidents.order_by().values_list("severity").annotate(n=Count("id")))
    rows = (incidents.select_related("system").annotate(response=_outcome(RESPONSE, now), repair=_outcome(REPAIR, now))
            .order_by("reported_at", "id")[:ROW_LIMIT])
    severity_labels = dict(Severity.choices)
    state_labels = dict(IncidentState.choices)
    table = rs.Table(
        title=_("故障工单及服务时限"),
        headers=[_("工单号"), _("系统"), _("故障摘要"), _("等级"), _("报障时间"), _("修复时间"), _("状态"),
                 _("响应"), _("修复")],
        rows=[[i.number, i.system.name, i.title, str(severity_labels.get(i.severity, i.severity)),
               _local(i.reported_at), _local(i.resolved_at), str(state_labels.get(i.state, i.state)),
               _outcome_label(i.response), _outcome_label(i.repair)] for i in rows],
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


def open_risks(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    _low, high = bounds(start, end)
    still_open = (Incident.objects.filter(system_id__in=system_ids, reported_at__lt=high)
                  .filter(Q(state__in=list(lifecycle.OPEN_STATES)) | Q(resolved_at__gte=high))
                  .exclude(state=IncidentState.CANCELLED).select_related("system").order_by("reported_at", "id"))
    count = still_open.count()
    severity_labels = dict(Severity.choices)
    return rs.SectionData(
        figures=[rs.Figure(_("期末未修复故障"), count, _("次"))],
        tables=[rs.Table(_("遗留问题（期末未修复的故障）"),
                         [_("工单号"), _("系统"), _("故障摘要"), _("等级"), _("报障时间")],
                         [[i.number, i.system.name, i.title, str(severity_labels.get(i.severity, i.severity)),
                           _local(i.reported_at)] for i in still_open[:ROW_LIMIT]])])


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
    rs.Section("incidents.summary", gettext_lazy("故障处置及服务时限"), summary),
    rs.Section("incidents.open_risks", gettext_lazy("遗留问题及风险"), open_risks),
    rs.Section("incidents.major_events", gettext_lazy("重大活动保障"), major_events),
]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
