"""The monthly availability workbook (设备可用率): a sheet per system and per unit with the figures of
the page (the same selector, the same rounding), then 说明 with the month, the moment and the rule."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from . import selectors

PERCENT = "0.00%"
SHORT = PatternFill("solid", fgColor="F8D7DA")
SHEETS = {"system": "按系统", "unit": "按用户单位"}

# (header, row key, kind, width); kind pct: the row holds a percentage as shown (two decimals)
COLUMNS = {
    "system": [("序号", "row_no", "int", 6), ("系统", "system", "text", 34), ("用户单位", "unit", "text", 20),
               ("类别", "category", "text", 12), ("设备条目", "device_rows", "int", 9),
               ("设备台数", "device_units", "int", 9), ("停机次数", "outages", "int", 9),
               ("计入时长（台·小时）", "service_hours", "num", 14), ("停机时长（台·小时）", "down_hours", "num", 14),
               ("剔除时长（台·小时）", "excluded_hours", "num", 14), ("可用率", "availability", "pct", 10),
               ("目标", "target", "pct", 8), ("未达标", "shortfall", "bool", 8)],
    "unit": [("用户单位", "unit", "text", 24), ("系统数", "systems", "int", 8),
             ("有目标的系统", "targeted_systems", "int", 12), ("设备台数", "device_units", "int", 9),
             ("停机次数", "outages", "int", 9), ("计入时长（台·小时）", "service_hours", "num", 14),
             ("停机时长（台·小时）", "down_hours", "num", 14), ("剔除时长（台·小时）", "excluded_hours", "num", 14),
             ("可用率", "availability", "pct", 10), ("未达标系统", "shortfall_systems", "int", 10)],
}
TOTAL_KEY = {"system": "system", "unit": "unit"}


def _value(kind: str, value):
    if value is None:
        return None
    if kind == "pct":
        return round(value / 100, 6)
    if kind == "bool":
        return "是" if value else ""
    return value


def _sheet(workbook, table: dict) -> None:
    group_by = table["group_by"]
    columns = COLUMNS[group_by]
    sheet = workbook.create_sheet(SHEETS[group_by])
    sheet.append([header for header, *_rest in columns])
    for index, (_header, _key, _kind, width) in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    total = {**table["total"], TOTAL_KEY[group_by]: str(table["total"]["group"])}
    for row, bold in [*((r, False) for r in table["rows"]), (total, True)]:
        sheet.append([_value(kind, row.get(key)) for _h, key, kind, _w in columns])
        for index, (_h, key, kind, _w) in enumerate(columns, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            if kind == "pct":
                cell.number_format = PERCENT
            elif kind == "num":
                cell.number_format = "0.00"
            if bold:
                cell.font = Font(bold=True)
            if row.get("shortfall") and key in ("availability", "shortfall"):
                cell.fill = SHORT


def export_workbook(user, *, month, params=None, now: dt.datetime | None = None) -> bytes:
    month = selectors.parse_month(month)
    now = now or timezone.now()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in selectors.availability_tables(user, month, ("system", "unit"), params, now=now).values():
        _sheet(workbook, table)
    notes = workbook.create_sheet("说明")
    for line in (
        ("月份", f"{month:%Y-%m}"),
        ("统计时刻", timezone.localtime(now, selectors.SHANGHAI).strftime("%Y-%m-%d %H:%M")),
        ("口径", "可用率 = 1 −（未剔除的停机时长）÷（服务期内未剔除的时长），按设备台数加权平均；"
                 "经批准的维护窗口与甲方认可的停机（不可抗力、施工）同时从分子和分母中剔除；"
                 "同一设备重叠的停机只计一次；服务开始前、结束后及统计时刻之后不计。"),
        ("未达标", "可用率（保留两位小数）低于招标文件规定的目标"),
    ):
        notes.append(list(line))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
