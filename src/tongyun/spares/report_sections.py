"""Report sections of the spare-parts domain (tongyun.core.report_sections).

- spares.usage: the monthly facts of spare-part use in the period (quantity, value, replacement requests);
- spares.stock_list: the latest end-of-term stock list (备品备件库存清单, SP-11) of the period's year per
  system, with whether the supervisor has confirmed it (its sign-off) — part of the end-of-term package.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs
from tongyun.signoffs import selectors as signoffs

from .models import StockList
from .substitutions import STOCK_LIST_FLOW

USAGE_FACTS = ["spares.used_quantity", "spares.used_value", "spares.replacements_requested"]


def usage(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    return rs.fact_section(USAGE_FACTS, system_ids, start, end)


def usages(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    return rs.fact_sections(USAGE_FACTS, groups, start, end)


def stock_list(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    latest: dict[int, StockList] = {}
    for item in StockList.objects.filter(system_id__in=system_ids, year=end.year).select_related("system") \
            .order_by("system_id", "created_at", "id"):
        latest[item.system_id] = item
    confirmed = signoffs.completed_subject_ids(StockList, STOCK_LIST_FLOW, [s.pk for s in latest.values()])
    rows = [[s.system.name, r.get("name"), r.get("model"), r.get("stock"), r.get("used"), r.get("remaining"),
             _("已确认") if s.pk in confirmed else _("待监理确认")]
            for s in latest.values() for r in s.rows]
    return rs.SectionData(
        figures=[rs.Figure(_("库存清单"), len(latest), _("份")),
                 rs.Figure(_("监理已确认"), len(confirmed), _("份"))],
        tables=[rs.Table(_("备品备件库存清单"), [_("系统"), _("名称"), _("型号"), _("库存"), _("已用"), _("剩余"),
                                                _("监理确认")], rows)],
        text="" if latest else _("本期尚未生成备品备件库存清单。"))


SECTIONS = [rs.Section("spares.usage", gettext_lazy("备品备件使用"), usage, batch=usages),
            rs.Section("spares.stock_list", gettext_lazy("备品备件库存清单"), stock_list)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
