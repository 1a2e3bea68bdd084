"""Report sections of the availability domain (tongyun.core.report_sections).

- availability.summary: the device availability of the period (the monthly facts availability_pct,
  observed_pct, target_met: the mean over months and systems of what was measured) and the device
  outages (停机) that overlap the period, with their duration inside it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs
from tongyun.monitoring.choices import OutageCause
from tongyun.monitoring.models import Outage

ROW_LIMIT = 200
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


FACTS = ["availability.availability_pct", "availability.observed_pct", "availability.target_met"]


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(start, dt.time(), SHANGHAI),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), SHANGHAI))


def _outages(system_ids: list[int], start: dt.date, end: dt.date):
    low, high = _bounds(start, end)
    return (Outage.objects.filter(system_id__in=system_ids, start__lt=high)
            .filter(Q(end__isnull=True) | Q(end__gt=low)).select_related("system", "device").order_by("start", "id"))


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    data = rs.fact_section(FACTS, system_ids, start, end)
    return _with_outages(data, list(_outages(system_ids, start, end)), start, end, timezone.now())


def summaries(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    """`summary` for several scopes at once: the facts of every system, the outages read once."""
    now = timezone.now()
    by_system: dict[int, list] = {}
    for outage in _outages(list({pk for system_ids in groups for pk in system_ids}), start, end):
        by_system.setdefault(outage.system_id, []).append(outage)
    result = []
    for data, system_ids in zip(rs.fact_sections(FACTS, groups, start, end), groups, strict=True):
        outages = sorted((o for pk in dict.fromkeys(system_ids) for o in by_system.get(pk, [])),
                         key=lambda o: (o.start, o.id))
        result.append(_with_outages(data, outages, start, end, now))
    return result


def _with_outages(data: rs.SectionData, outages: list, start: dt.date, end: dt.date, now) -> rs.SectionData:
    low, high = _bounds(start, end)
    rows, total_hours = [], 0.0
    causes = dict(OutageCause.choices)
    for outage in outages:
        inside = (min(outage.end or now, high, now) - max(outage.start, low)).total_seconds() / 3600
        total_hours += max(inside, 0)
        if len(rows) < ROW_LIMIT:
            rows.append([outage.system.name, str(outage.device),
                         f"{timezone.localtime(outage.start, SHANGHAI):%Y-%m-%d %H:%M}",
                         f"{timezone.localtime(outage.end, SHANGHAI):%Y-%m-%d %H:%M}" if outage.end else _("未恢复"),
                         round(max(inside, 0), 2), str(causes.get(outage.cause, outage.cause))])
    data.figures += [rs.Figure(_("设备停机次数"), len(outages), _("次")),
                     rs.Figure(_("停机时长（期内）"), round(total_hours, 2), _("小时"))]
    data.tables.insert(0, rs.Table(_("设备停机记录"), [_("系统"), _("设备"), _("开始"), _("结束"),
                                                    _("期内时长（小时）"),
                                                    _("来源")], rows))
    return data


SECTIONS = [rs.Section("availability.summary", gettext_lazy("设备在线率及停机"), summary, batch=summaries)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
