"""Report sections of the catalog (tongyun.core.report_sections).

- catalog.changes: the system changes (升级改造, 停运, 服务开始时间变更) effective in the period.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs

from .choices import ChangeKind
from .models import SystemChange


def changes(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    rows = (SystemChange.objects.filter(system_id__in=system_ids, effective_date__gte=start, effective_date__lte=end)
            .select_related("system").order_by("effective_date", "id"))
    kinds = dict(ChangeKind.choices)
    table = [[f"{c.effective_date:%Y-%m-%d}", c.system.name, str(kinds.get(c.kind, c.kind)), c.description]
             for c in rows]
    return rs.SectionData(figures=[rs.Figure(_("系统变更"), len(table), _("项"))],
                          tables=[rs.Table(_("系统变更记录"), [_("生效日期"), _("系统"), _("类型"), _("说明")], table)])


SECTIONS = [rs.Section("catalog.changes", gettext_lazy("系统变更"), changes)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
