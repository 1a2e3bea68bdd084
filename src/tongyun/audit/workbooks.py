"""The audit trail in Excel, as the pages show it (names and labels, local time)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.excel import Column, SheetSpec, write_workbook

from . import selectors

EXPORT_LIMIT = 50_000  # one workbook; narrow the filters for more


class _Line:
    def __init__(self, **values):
        self.__dict__.update(values)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def changes_workbook(entries) -> bytes:
    spec = SheetSpec(_("数据变更"), [Column(_("时间"), "time", width=20), Column(_("操作人"), "actor", width=22),
                                   Column(_("对象类型"), "model", width=14), Column(_("对象"), "object", width=30),
                                   Column(_("操作"), "action", width=8), Column(_("字段"), "field", width=16),
                                   Column(_("修改前"), "before", width=30), Column(_("修改后"), "after", width=30),
                                   Column(_("地址"), "address", width=16)])
    lines = []
    for entry in entries[:EXPORT_LIMIT]:
        common = {"time": _local(entry.timestamp), "actor": selectors.actor_label(entry),
                  "model": selectors.model_label(entry), "object": entry.object_repr,
                  "action": selectors.action_label(entry), "address": entry.remote_addr}
        changes = selectors.entry_changes(entry) or [("", "", "")]
        lines += [_Line(**common, field=f, before=b, after=a) for f, b, a in changes]
    return write_workbook([(spec, lines)])


def events_workbook(events) -> bytes:
    spec = SheetSpec(_("安全事件"), [Column(_("时间"), "time", width=20), Column(_("操作人"), "actor", width=22),
                                   Column(_("事件"), "kind", width=16), Column(_("对象"), "object", width=24),
                                   Column(_("地址"), "address", width=16), Column(_("访问路径"), "path", width=36),
                                   Column(_("说明"), "detail", width=40)])
    lines = [_Line(time=_local(e.timestamp), actor=selectors.actor_label(e) if e.actor else e.username,
                   kind=e.get_kind_display(), object=e.object_repr, address=e.remote_addr, path=e.path,
                   detail=e.detail) for e in events[:EXPORT_LIMIT]]
    return write_workbook([(spec, lines)])
