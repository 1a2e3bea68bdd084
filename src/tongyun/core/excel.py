"""Excel in and out, generic: a sheet is a list of typed columns.

Export writes a header row, one row per object, drop-down lists for choice columns and a frozen header.
Import reads the same layout back and converts every cell, collecting a `Problem` (sheet, row, column,
reason) for each bad one instead of stopping at the first, so the user can fix the file in one go.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += _(" 第 %(row)s 行") % {"row": self.row}
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.reason}"


class WorkbookInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class Column:
    header: str
    field: str
    kind: str = "text"  # text, int, decimal, date, bool, choice
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    read_only: bool = False  # exported for reading, ignored on import
    width: int = 14

    def to_cell(self, value: Any) -> Any:
        if value is None:
            return None
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value))
        if self.kind == "bool":
            return str(_("是") if value else _("否"))
        if self.kind == "decimal":
            return float(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # Excel has no time zones: a moment is written as the wall-clock time people read (Asia/Shanghai)
            return timezone.localtime(value).replace(tzinfo=None)
        return value

    def from_cell(self, raw: Any) -> Any:
        """Convert a cell; raise ValueError with a reason a person understands."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise ValueError(_("必填"))
            return "" if self.kind in ("text", "choice") else None
        if isinstance(raw, str):
            raw = raw.strip()
        if self.kind == "text":
            return str(raw)
        if self.kind == "int":
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lstrip("-").isdigit():
                return int(raw)
            raise ValueError(_("“%(value)s”不是整数") % {"value": raw})
        if self.kind == "decimal":
            try:
                return Decimal(str(raw))
            except InvalidOperation:
                raise ValueError(_("“%(value)s”不是数字") % {"value": raw}) from None
        if self.kind == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            try:
                return dt.date.fromisoformat(str(raw).replace("/", "-"))
            except ValueError:
                raise ValueError(_("“%(value)s”不是日期（应为 2026-01-31）") % {"value": raw}) from None
        if self.kind == "bool":
            text = str(raw).lower()
            if text in ("是", "true", "1", "yes", "y"):
                return True
            if text in ("否", "false", "0", "no", "n"):
                return False
            raise ValueError(_("“%(value)s”应为“是”或“否”") % {"value": raw})
        if self.kind == "choice":
            for value, label in self.choices:
                if str(raw) == value or str(raw) in _in_every_language(label):
                    return value
            allowed = "、".join(str(label) for _value, label in self.choices)
            raise ValueError(_("“%(value)s”不是可选值（%(allowed)s）") % {"value": raw, "allowed": allowed})
        raise AssertionError(self.kind)


@dataclass
class SheetSpec:
    title: str
    columns: list[Column]

    def write(self, workbook: Workbook, objects) -> None:
        sheet = workbook.create_sheet(self.title)
        sheet.append([c.header for c in self.columns])
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            if column.read_only:
                cell.fill = PatternFill("solid", fgColor="DDDDDD")
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        for obj in objects:
            sheet.append([c.to_cell(_attr(obj, c.field)) for c in self.columns])
        for index, column in enumerate(self.columns, start=1):
            if column.kind in ("choice", "bool"):
                labels = [str(label) for _v, label in column.choices] if column.kind == "choice" else ["是", "否"]
                rule = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
                letter = get_column_letter(index)
                rule.add(f"{letter}2:{letter}{max(sheet.max_row, 2) + 500}")
                sheet.add_data_validation(rule)
        sheet.freeze_panes = "A2"

    def read(self, workbook, problems: list[Problem]) -> list[tuple[int, dict]]:
        """Rows of the sheet as (row number, {field: value}); bad cells go to `problems`."""
        if self.title not in workbook.sheetnames:
            problems.append(Problem(self.title, None, None, _("缺少工作表“%(title)s”") % {"title": self.title}))
            return []
        sheet = workbook[self.title]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        positions = {}
        for column in self.columns:
            if column.header in header:
                positions[column.field] = header.index(column.header)
            elif not column.read_only:
                problems.append(Problem(self.title, 1, column.header, _("缺少此列")))
        if len(positions) < len([c for c in self.columns if not c.read_only]):
            return []
        result = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            record = {}
            for column in self.columns:
                if column.read_only:
                    continue
                raw = values[positions[column.field]] if positions[column.field] < len(values) else None
                try:
                    record[column.field] = column.from_cell(raw)
                except ValueError as error:
                    problems.append(Problem(self.title, number, column.header, str(error)))
            result.append((number, record))
        return result


def _in_every_language(label) -> set[str]:
    """A choice label as each UI language writes it: a workbook exported in English imports under Chinese."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(label))
    return names


def _attr(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part) if obj is not None else None
    return obj


def write_workbook(sheets: list[tuple[SheetSpec, Any]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec, objects in sheets:
        spec.write(workbook, objects)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def open_workbook(content: bytes):
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise WorkbookInvalid(
            [Problem(_("文件"), None, None, _("无法读取 Excel 文件（%(error)s）") % {"error": error})]
        ) from error


def read_sheet_fast(content: bytes, title: str):
    """(row number, tuple of cell values) of every row of one sheet, header first — for imports of up to
    100,000 rows, read with python-calamine (Rust): openpyxl takes minutes for such a file. Empty cells
    read as "" and numbers as float; dates as date/datetime. None when the workbook has no such sheet."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # calamine raises its own types for a file that is not a workbook
        raise WorkbookInvalid(
            [Problem(_("文件"), None, None, _("无法读取 Excel 文件（%(error)s）") % {"error": error})]
        ) from error
    if title not in workbook.sheet_names:
        return None
    sheet = workbook.get_sheet_by_name(title)
    first = (sheet.start or (0, 0))[0] + 1
    return ((first + offset, tuple(values)) for offset, values in enumerate(sheet.iter_rows()))


class SheetStream:
    """One sheet of a workbook file read row by row (openpyxl read-only: the XML is parsed as it goes, so memory
    does not grow with the workbook — for the imports the worker runs, core/imports.py). Iterating yields
    (row number, tuple of values), header first; empty cells are None. `total` is the row count the file
    declares (its dimension), None when it declares none."""

    def __init__(self, workbook, sheet):
        self._workbook, self._sheet = workbook, sheet
        self.total = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
        # read-only mode stops at the declared dimension; some tools declare a wrong one — read every row
        sheet.reset_dimensions()

    def __iter__(self):
        try:
            yield from enumerate(self._sheet.iter_rows(values_only=True), start=1)
        finally:
            self._workbook.close()


def iter_sheet_rows(path, title: str) -> SheetStream | None:
    """Stream the sheet `title` of the workbook at `path`; None when the workbook has no such sheet."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise WorkbookInvalid(
            [Problem(_("文件"), None, None, _("无法读取 Excel 文件（%(error)s）") % {"error": error})]
        ) from error
    if title not in workbook.sheetnames:
        workbook.close()
        return None
    return SheetStream(workbook, workbook[title])
