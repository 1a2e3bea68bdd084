"""The monthly inspection report (月度巡检报告) as documents: the printable page's context, a Word .docx
(python-docx) and an Excel .xlsx (tasks, findings, incidents). All three read the report's snapshot, so
they show the month as it was generated; labels come from the choices, in the active language.

Chinese in Word: every style and run carries an East Asian font (w:eastAsia = SimSun / 宋体); the font
table names Noto Serif CJK SC as SimSun's alternate, so LibreOffice and Word on machines without SimSun
fall back to a CJK font instead of boxes.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.choices import Category, Frequency, InspectionMode, Severity
from tongyun.core.excel import Column, SheetSpec, write_workbook
from tongyun.core.word import east_asian as _east_asian
from tongyun.core.word import font_table_fallback as _font_table_fallback
from tongyun.core.word import table as _table
from tongyun.incidents.choices import IncidentSource, IncidentState

from .choices import ReportState, Section
from .models import MonthlyInspectionReport


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def outcome_labels() -> dict[str, str]:
    return {"done": _("已完成"), "missed": _("已逾期（未巡检）"), "open": _("未到期")}


def sla_labels() -> dict[str, str]:
    return {"met": _("达标"), "breached": _("超时"), "pending": _("待定"), "none": _("无时限")}


def _moment(value: str | None) -> str:
    return value.replace("T", " ")[:16] if value else ""


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def month_title(month: dt.date) -> str:
    return _("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


def document(report: MonthlyInspectionReport, lateness: dict) -> dict:
    """Everything the three outputs show, labelled: header facts, tables (headers + rows), texts, signatures."""
    snap = report.snapshot or {}
    outcome, sla = outcome_labels(), sla_labels()
    counts = snap.get("counts", {})
    tasks = [[t["scheduled_for"], t["due_date"], t["plan"], _label(InspectionMode, t["mode"]),
              outcome[t["outcome"]] + ("" if t["outcome"] != "done" or t["on_time"] else _("（超期完成）")),
              t["failed"], _moment(t["completed_at"]), t["completed_by"] or t["assignee"], t["note"]]
             for t in snap.get("tasks", [])]
    findings = [[f["scheduled_for"], f["plan"], _label(Section, f["section"]), f["item"], f["value"], f["note"],
                 f["device"], f["incident_number"]] for f in snap.get("findings", [])]

    def incident_row(i):
        return [i["number"], i["title"], _label(Severity, i["severity"]), _label(IncidentSource, i["source"]),
                _label(IncidentState, i["state"]), _moment(i["reported_at"]), _moment(i["resolved_at"]),
                sla[i["response"]], sla[i["repair"]]]

    incident_headers = [_("工单号"), _("故障摘要"), _("故障等级"), _("来源"), _("状态"), _("报障时间"), _("修复时间"),
                        _("响应"), _("修复")]
    system = snap.get("system", {})
    late_text = (_("迟交 %(d)s 天") % {"d": lateness["days"]}) if lateness["late"] else _("按时")
    if lateness["overdue"]:
        late_text = _("逾期未交（已超 %(d)s 天）") % {"d": lateness["days"]}
    elif report.first_submitted_at is None:
        late_text = _("未提交")
    return {
        "title": _("%(system)s %(month)s 月度巡检报告") % {"system": report.system.name,
                                                          "month": month_title(report.month)},
        "facts": [
            (_("用户单位"), report.system.unit.name),
            (_("系统"), report.system.name),
            (_("类别"), _label(Category, system.get("category", report.system.category))),
            (_("报告月份"), month_title(report.month)),
            (_("状态"), report.get_state_display()),
            (_("提交期限"), _local(report.due_at)),
            (_("首次提交"), _local(report.first_submitted_at) or "—"),
            (_("是否按时"), late_text),
            (_("数据生成时间"), _moment(snap.get("generated_at")) or "—"),
        ],
        "overview": _("本月巡检任务 %(tasks)s 项（远程 %(remote)s、现场 %(onsite)s），"
                      "已完成 %(done)s 项（按时 %(on_time)s），逾期未巡检 %(missed)s 项，未到期 %(open)s 项；"
                      "巡检发现异常 %(findings)s 项，由巡检发起故障工单 %(ii)s 张；"
                      "本月系统故障工单共 %(incidents)s 张，响应达标 %(rm)s、超时 %(rb)s，"
                      "修复达标 %(pm)s、超时 %(pb)s。") % {
            "tasks": counts.get("tasks", 0), "remote": counts.get("remote", 0), "onsite": counts.get("onsite", 0),
            "done": counts.get("done", 0), "on_time": counts.get("done_on_time", 0),
            "missed": counts.get("missed", 0), "open": counts.get("open", 0),
            "findings": counts.get("findings", 0), "ii": counts.get("inspection_incidents", 0),
            "incidents": counts.get("incidents", 0), "rm": counts.get("response_met", 0),
            "rb": counts.get("response_breached", 0), "pm": counts.get("repair_met", 0),
            "pb": counts.get("repair_breached", 0)},
        "counts": counts,
        "task_headers": [_("计划日期"), _("截止日期"), _("巡检计划"), _("方式"), _("结果"), _("异常项"), _("完成时间"),
                         _("巡检人"), _("巡检小结")],
        "tasks": tasks,
        "finding_headers": [_("巡检日期"), _("巡检计划"), _("部分"), _("检查项"), _("记录值"), _("备注"), _("设备"),
                            _("故障工单")],
        "findings": findings,
        "incident_headers": incident_headers,
        "inspection_incidents": [incident_row(i) for i in snap.get("inspection_incidents", [])],
        "incidents": [incident_row(i) for i in snap.get("incidents", [])],
        "texts": [(_("巡检总结"), report.summary), (_("遗留风险"), report.open_risks),
                  (_("改进建议"), report.improvements)],
        "signatures": [
            (_("运维服务商（提交）"), str(report.submitted_by or ""), _local(report.submitted_at)),
            (_("用户单位（确认）"), str(report.confirmed_by or "") if report.state == ReportState.CONFIRMED else "",
             _local(report.confirmed_at) if report.state == ReportState.CONFIRMED else ""),
        ],
        "history": [(_moment(h.get("at")), h.get("by", ""), history_label(h.get("action", "")), h.get("comment", ""))
                    for h in report.history],
        "frequencies": {t["plan"]: _label(Frequency, t["frequency"]) for t in snap.get("tasks", [])},
    }


def history_label(action: str) -> str:
    return {"submit": _("提交"), "resubmit": _("重新提交"), "confirm": _("确认"), "return": _("退回")}.get(action,
                                                                                                        action)


def filename(report: MonthlyInspectionReport, extension: str) -> str:
    return f"inspection-report-{report.system.row_no or report.system_id}-{report.month:%Y-%m}.{extension}"


# ---------------------------------------------------------------- Word


def build_docx(report: MonthlyInspectionReport, lateness: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    data = document(report, lateness)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(18))
    for name, size in (("Normal", Pt(10.5)), ("Title", Pt(18)), ("Heading 1", Pt(14)), ("Heading 2", Pt(12)),
                       ("Table Grid", None)):
        _east_asian(doc.styles[name], size=size)
    _font_table_fallback(doc)
    doc.core_properties.title = data["title"]
    doc.core_properties.language = "zh-CN"

    title = doc.add_heading(data["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        _east_asian(run)
    _table(doc, [_("项目"), _("内容")], [[k, v] for k, v in data["facts"]])

    def heading(text):
        for run in doc.add_heading(text, level=1).runs:
            _east_asian(run)

    def paragraph(text):
        run = doc.add_paragraph().add_run(text)
        _east_asian(run)

    heading(_("一、巡检执行情况"))
    paragraph(data["overview"])
    def table_or(headers, rows, empty):
        if rows:
            _table(doc, headers, rows)
        else:
            paragraph(empty)

    table_or(data["task_headers"], data["tasks"], _("本月无巡检任务。"))
    heading(_("二、巡检发现"))
    table_or(data["finding_headers"], data["findings"], _("本月巡检未发现异常。"))
    heading(_("三、故障工单"))
    paragraph(_("由巡检发起的故障工单：%(n)s 张。") % {"n": len(data["inspection_incidents"])})
    table_or(data["incident_headers"], data["incidents"], _("本月无故障工单。"))
    for number, (label, text) in zip(("四", "五", "六"), data["texts"], strict=True):
        heading(f"{number}、{label}")
        for line in (text or "—").splitlines() or ["—"]:
            paragraph(line)
    heading(_("签字确认"))
    _table(doc, [_("签署方"), _("签署人"), _("时间")], [list(s) for s in data["signatures"]])
    if data["history"]:
        heading(_("流转记录"))
        _table(doc, [_("时间"), _("人员"), _("操作"), _("意见")], [list(h) for h in data["history"]])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- Excel


def _sheet(title: str, headers: list[str], widths: list[int]) -> SheetSpec:
    return SheetSpec(title, [Column(header, f"c{i}", read_only=True, width=width)
                             for i, (header, width) in enumerate(zip(headers, widths, strict=True))])


def _rows(rows: list[list]) -> list[SimpleNamespace]:
    return [SimpleNamespace(**{f"c{i}": value for i, value in enumerate(row)}) for row in rows]


def build_xlsx(report: MonthlyInspectionReport, lateness: dict) -> bytes:
    """Three sheets: the month's tasks, the findings, the incidents (with their SLA outcome)."""
    data = document(report, lateness)
    return write_workbook([
        (_sheet(_("巡检任务"), data["task_headers"], [12, 12, 22, 8, 16, 8, 17, 12, 30]), _rows(data["tasks"])),
        (_sheet(_("巡检发现"), data["finding_headers"], [12, 22, 16, 24, 12, 30, 20, 16]), _rows(data["findings"])),
        (_sheet(_("故障工单"), data["incident_headers"], [16, 30, 8, 10, 10, 17, 17, 8, 8]), _rows(data["incidents"])),
    ])
