"""The SLA compliance workbook (服务达标情况): one sheet per grouping asked for, then the breach list
(超时明细) if asked, then a sheet 说明 with the month, the moment and the rules.

Written with openpyxl directly rather than tongyun.core.excel.SheetSpec: these sheets are a report
(percentages, hours, a total row), not a table to edit and import back."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tongyun.catalog.choices import Severity
from tongyun.core.excel import Column, SheetSpec, write_workbook

from . import compliance
from .choices import IncidentSource, IncidentState

SHEET_TITLES = {"unit": "按用户单位", "system": "按系统", "category": "按类别"}
BREACH_SHEET = "超时明细"
PERCENT = "0.0%"
HOURS = "0.00"
MOMENT = "yyyy-mm-dd hh:mm"

# (header, row key, kind, width); kind: int, pct (row value is a percentage 0–100), hours (row value in seconds)
GROUP_COLUMNS = {
    "unit": [("用户单位", "group", "text", 24)],
    "system": [("系统", "group", "text", 34), ("用户单位", "unit_name", "text", 20)],
    "category": [("类别", "group", "text", 18)],
}
NUMBER_COLUMNS = [
    ("故障数", "incidents", "int", 8),
    ("有响应时限", "response_targets", "int", 10),
    ("响应按时", "response_met", "int", 9),
    ("响应超时", "response_breached", "int", 9),
    ("响应待定", "response_pending", "int", 9),
    ("响应达标率", "response_met_pct", "pct", 10),
    ("有修复时限", "repair_targets", "int", 10),
    ("修复按时", "repair_met", "int", 9),
    ("修复超时", "repair_breached", "int", 9),
    ("修复待定", "repair_pending", "int", 9),
    ("修复达标率", "repair_met_pct", "pct", 10),
    ("超时次数", "breaches", "int", 9),
    ("超时总时长（小时）", "breach_seconds_total", "hours", 14),
    ("最长超时（小时）", "breach_seconds_max", "hours", 14),
    ("日历未知", "calendar_unknown", "int", 9),
    ("无数值时限", "no_target", "int", 10),
]


def _cell_value(kind: str, value):
    if value is None:
        return None
    if kind == "pct":
        return value / 100
    if kind == "hours":
        return value / 3600
    return value


def _format(cell, kind: str) -> None:
    if kind == "pct":
        cell.number_format = PERCENT
    elif kind == "hours":
        cell.number_format = HOURS
    elif kind == "moment":
        cell.number_format = MOMENT


def _header(sheet, columns) -> None:
    sheet.append([header for header, _key, _kind, _width in columns])
    for index, (_header_text, _key, _kind, width) in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _append(sheet, columns, row: dict, bold: bool = False) -> None:
    sheet.append([_cell_value(kind, row.get(key)) for _h, key, kind, _w in columns])
    for index, (_h, _key, kind, _w) in enumerate(columns, start=1):
        cell = sheet.cell(row=sheet.max_row, column=index)
        _format(cell, kind)
        if bold:
            cell.font = Font(bold=True)


def _local(moment: dt.datetime | None):
    return timezone.localtime(moment, compliance.SHANGHAI).replace(tzinfo=None) if moment else None


BREACH_COLUMNS = [
    ("工单号", "number", "text", 16),
    ("用户单位", "unit_name", "text", 20),
    ("系统", "system_name", "text", 30),
    ("故障摘要", "title", "text", 30),
    ("故障等级", "severity", "text", 8),
    ("状态", "state", "text", 10),
    ("报障时间", "reported_at", "moment", 17),
    ("响应时限", "response_due", "moment", 17),
    ("响应时间", "acknowledged_at", "moment", 17),
    ("响应超时（小时）", "response_breach", "hours", 14),
    ("修复时限", "repair_due", "moment", 17),
    ("修复时间", "resolved_at", "moment", 17),
    ("修复超时（小时）", "repair_breach", "hours", 14),
]


def _breach_row(incident) -> dict:
    return {
        "number": incident.number, "unit_name": incident.system.unit.name, "system_name": incident.system.name,
        "title": incident.title, "severity": str(Severity(incident.severity).label),
        "state": str(IncidentState(incident.state).label),
        "reported_at": _local(incident.reported_at), "response_due": _local(incident.response_due),
        "acknowledged_at": _local(incident.acknowledged_at), "repair_due": _local(incident.repair_due),
        "resolved_at": _local(incident.resolved_at),
        "response_breach": compliance.seconds_of(incident.response_breach),
        "repair_breach": compliance.seconds_of(incident.repair_breach),
    }


def export_compliance_workbook(user, *, month, groupings=None, params=None, breaches: bool = False,
                               now: dt.datetime | None = None) -> bytes:
    """The workbook of the month's compliance tables (scoped to `user`), one sheet per grouping."""
    month = compliance.parse_month(month)
    groupings = compliance.parse_groupings(groupings)
    now = now or timezone.now()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for group_by in groupings:
        table = compliance.compliance_table(user, month=month, group_by=group_by, params=params, now=now)
        columns = GROUP_COLUMNS[group_by] + NUMBER_COLUMNS
        sheet = workbook.create_sheet(SHEET_TITLES[group_by])
        _header(sheet, columns)
        for row in table["rows"]:
            _append(sheet, columns, row)
        _append(sheet, columns, table["total"], bold=True)
    if breaches:
        sheet = workbook.create_sheet(BREACH_SHEET)
        _header(sheet, BREACH_COLUMNS)
        for incident in compliance.breach_list(user, month, params, now=now).iterator(chunk_size=2000):
            _append(sheet, BREACH_COLUMNS, _breach_row(incident))
    notes = workbook.create_sheet("说明")
    for line in (
        ("月份", f"{month:%Y-%m}"),
        ("统计时刻", f"{timezone.localtime(now, compliance.SHANGHAI):%Y-%m-%d %H:%M}"),
        ("范围", "当月（北京时间）报障的工单，不含已取消的工单；仅含当前账号可见的系统"),
        ("按时", "在时限内（含时限时刻）完成响应或修复"),
        ("超时", "晚于时限完成（超时 = 完成时间 − 时限），或至今未完成且已过时限（超时 = 统计时刻 − 时限）"),
        ("待定", "尚未完成且未到时限（含在时限前进入等待状态、修复计时暂停的工单），不计入达标率"),
        ("达标率", "按时 ÷（按时 + 超时）"),
        ("超时次数", "超时的计时项数：响应、修复各计一次"),
        ("日历未知", "时限落在尚未声明工作日历的年份、无法计算时限的工单"),
        ("无数值时限", "招标未设定数值时限的工单（如“及时维修”“即刻响应”），不计入达标率"),
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the incident list (tongyun.core.excel)

LIST_SHEET_TITLE = "故障工单"
LIST_MAX_ROWS = 50_000  # a workbook people open; narrower filters for more


def _incident_list_sheet() -> SheetSpec:
    return SheetSpec(LIST_SHEET_TITLE, [
        Column(_("工单号"), "number", width=16), Column(_("系统"), "system.name", width=30),
        Column(_("用户单位"), "system.unit.name", width=18), Column(_("故障摘要"), "title", width=30),
        Column(_("故障等级"), "severity", kind="choice", choices=list(Severity.choices), width=10),
        Column(_("状态"), "state", kind="choice", choices=list(IncidentState.choices), width=10),
        Column(_("来源"), "source", kind="choice", choices=list(IncidentSource.choices), width=10),
        Column(_("报障时间"), "reported_at", width=17), Column(_("报障人"), "reporter_name", width=12),
        Column(_("处理人"), "assignee_name", width=12),
        Column(_("响应时限"), "response_due", width=17), Column(_("响应时间"), "acknowledged_at", width=17),
        Column(_("到场时间"), "arrived_at", width=17),
        Column(_("修复时限"), "repair_due", width=17), Column(_("修复时间"), "resolved_at", width=17),
        Column(_("关闭时间"), "closed_at", width=17),
    ])


def export_incident_list(incidents) -> bytes:
    """The incident list as the user filtered it (a scoped, filtered queryset), one row per ticket."""
    rows = []
    for incident in incidents[:LIST_MAX_ROWS].iterator(chunk_size=2000):
        incident.assignee_name = str(incident.assignee) if incident.assignee_id else ""
        rows.append(incident)
    return write_workbook([(_incident_list_sheet(), rows)])
