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


def _changes(system_ids: list[int], start: dt.date, end: dt.date):
    return (SystemChange.objects.filter(system_id__in=system_ids, effective_date__gte=start, effective_date__lte=end)
            .select_related("system").order_by("effective_date", "id"))


def changes(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    return _changes_data(list(_changes(system_ids, start, end)))


def changes_many(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    """`changes` for several scopes at once: the period's changes read once."""
    by_system: dict[int, list] = {}
    for change in _changes(list({pk for system_ids in groups for pk in system_ids}), start, end):
        by_system.setdefault(change.system_id, []).append(change)
    return [_changes_data(sorted((c for pk in dict.fromkeys(system_ids) for c in by_system.get(pk, [])),
                                 key=lambda c: (c.effective_date, c.id)))
            for system_ids in groups]


def _changes_data(rows: list) -> rs.SectionData:
    kinds = dict(ChangeKind.choices)
    table = [[f"{c.effective_date:%Y-%m-%d}", c.system.name, str(kinds.get(c.kind, c.kind)), c.description]
             for c in rows]
    return rs.SectionData(figures=[rs.Figure(_("系统变更"), len(table), _("项"))],
                          tables=[rs.Table(_("系统变更记录"), [_("生效日期"), _("系统"), _("类型"), _("说明")], table)])


SECTIONS = [rs.Section("catalog.changes", gettext_lazy("系统变更"), changes, batch=changes_many)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
