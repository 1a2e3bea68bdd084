"""Monthly facts of the incident domain for the contract evaluation (tongyun.core.facts).

All figures of a month come out of one grouped query over the month's incidents of the asked systems
(the rules of tongyun.incidents.compliance: month of the report in Asia/Shanghai, cancelled left out, met
÷ (met + breached)); the facts share it through `facts.shared`. A system without an incident that has a
target for a clock has no met % ("not measured"); counts are 0 for a system in the month's data.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Severity
from tongyun.core import facts

from .choices import IncidentState
from .compliance import REPAIR, RESPONSE, breached_q, met_q, month_bounds
from .models import Incident

SEVERITIES = (Severity.MINOR, Severity.GENERAL, Severity.SERIOUS, Severity.URGENT)


def _missed_arrival_q(now: dt.datetime) -> Q:
    """Arrived after the arrival deadline, or not arrived and past it (EV-07 4: 未能按时到场)."""
    return Q(arrived_at__gt=F("arrival_due")) | Q(arrived_at__isnull=True, arrival_due__lt=now)


def month_figures(system_ids: list[int], month: dt.date) -> dict[int, dict]:
    """{system_id: {response_met, response_breached, repair_met, repair_breached, repair_breached_<sev>,
    missed_arrivals, incidents}} for the systems with incidents reported in the month."""
    start, end = month_bounds(month)
    now = timezone.now()
    aggregates = {
        "incidents": Count("id"),
        "response_met": Count("id", filter=met_q(RESPONSE)),
        "response_breached": Count("id", filter=breached_q(RESPONSE, now)),
        "repair_met": Count("id", filter=met_q(REPAIR)),
        "repair_breached": Count("id", filter=breached_q(REPAIR, now)),
        "missed_arrivals": Count("id", filter=_missed_arrival_q(now)),
    }
    for severity in SEVERITIES:
        aggregates[f"repair_breached_{severity}"] = Count("id", filter=breached_q(REPAIR, now) & Q(severity=severity))
    rows = (Incident.objects.filter(system_id__in=system_ids, reported_at__gte=start, reported_at__lt=end)
            .exclude(state=IncidentState.CANCELLED).order_by().values("system_id").annotate(**aggregates))
    return {row.pop("system_id"): row for row in rows}


def _figures(system_ids, month):
    return facts.shared(("incidents", tuple(system_ids), month), lambda: month_figures(system_ids, month))


def _rate(name: str):
    def provider(system_ids, month):
        result = {}
        for system_id, row in _figures(system_ids, month).items():
            decided = row[f"{name}_met"] + row[f"{name}_breached"]
            result[system_id] = round(100 * row[f"{name}_met"] / decided, 1) if decided else None
        return result
    return provider


def _count(field: str):
    def provider(system_ids, month):
        figures = _figures(system_ids, month)
        # a system without incidents in the month had none: 0, measured
        return {system_id: figures.get(system_id, {}).get(field, 0) for system_id in system_ids}
    return provider


def satisfaction_mean(system_ids, month):
    """Mean satisfaction (1–5) of the tickets the unit confirmed in the month; None where nobody rated one."""
    start, end = month_bounds(month)
    rows = (Incident.objects.filter(system_id__in=system_ids, confirmed_at__gte=start, confirmed_at__lt=end,
                                    satisfaction__isnull=False)
            .order_by().values("system_id").annotate(mean=Avg("satisfaction")))
    return {row["system_id"]: round(float(row["mean"]), 2) for row in rows}


def satisfaction_count(system_ids, month):
    start, end = month_bounds(month)
    rows = (Incident.objects.filter(system_id__in=system_ids, confirmed_at__gte=start, confirmed_at__lt=end,
                                    satisfaction__isnull=False)
            .order_by().values("system_id").annotate(n=Count("id")))
    counted = {row["system_id"]: row["n"] for row in rows}
    return {system_id: counted.get(system_id, 0) for system_id in system_ids}


LABELS = {Severity.MINOR: _("轻微故障修复超时次数"), Severity.GENERAL: _("一般故障修复超时次数"),
          Severity.SERIOUS: _("严重故障修复超时次数"), Severity.URGENT: _("紧急故障修复超时次数")}
# Built once: registering the same provider objects again (a second ready()) is allowed, new ones are not.
FACTS = [
    facts.Fact("incidents.response_met_pct", _("响应及时率"), "%", _rate("response"), higher_is_better=True),
    facts.Fact("incidents.repair_met_pct", _("修复及时率"), "%", _rate("repair"), higher_is_better=True),
    facts.Fact("incidents.repair_breaches", _("修复超时次数"), "次", _count("repair_breached"), higher_is_better=False),
    *[facts.Fact(f"incidents.repair_breaches_{severity}", LABELS[severity], "次",
                 _count(f"repair_breached_{severity}"), higher_is_better=False) for severity in SEVERITIES],
    facts.Fact("incidents.response_breaches", _("响应超时次数"), "次", _count("response_breached"),
               higher_is_better=False),
    facts.Fact("incidents.missed_arrivals", _("未按时到场次数"), "次", _count("missed_arrivals"),
               higher_is_better=False),
    facts.Fact("incidents.satisfaction_mean", _("报障满意度"), "分", satisfaction_mean, higher_is_better=True,
               description=_("用户单位确认修复时的评分（1–5）的平均值；按确认月份")),
    facts.Fact("incidents.satisfaction_ratings", _("满意度评价数"), "次", satisfaction_count),
]


def register() -> None:
    for fact in FACTS:
        facts.register(fact)
