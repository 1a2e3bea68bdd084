"""One data dict (the report's `data`), four renderers: the printable A4 page, PDF (WeasyPrint, from that
same page), Word (.docx, python-docx) and Excel (every table, core/excel.py).

Layout of GB/T 9704-2012 (党政机关公文格式) for the formal outputs: A4, margins 37 mm top, 35 mm bottom,
28 mm left, 26 mm right; the title in 2号 (22 pt) — 小标宋 is not free, Noto Serif CJK SC Bold stands in —
and the body in 3号 (16 pt) Noto Serif CJK SC (for 仿宋); tables in 10.5 pt to fit the page. The fonts are
the system's (fonts-noto-cjk, installed by scripts/start.sh): nothing is fetched from the internet.
"""

from __future__ import annotations

import base64
import copy
import io
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tongyun.core.excel import Column, SheetSpec, write_workbook
from tongyun.core.word import east_asian, font_table_fallback, table

from . import charts, engine
from .models import Report

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 10.5


def value_text(value) -> str:
    if value is None:
        return str(_("未计量"))
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def context(report: Report, signoff=None) -> dict:
    """What the page and the PDF show: the data, with each chart as an SVG image."""
    data = copy.deepcopy(report.data or {})  # decorated for display; the stored snapshot stays as it is
    for part in data.get("parts", []):
        for section in part["sections"]:
            chart = section.get("chart")
            section["chart_src"] = ("data:image/svg+xml;base64," +
                                    base64.b64encode(charts.bar_svg(chart).encode()).decode()) if chart else ""
            for figure in section.get("figures", []):
                figure["text"] = value_text(figure["value"])
            for tab in section.get("tables", []):
                tab["cells"] = [[value_text(v) if not isinstance(v, str) else v for v in row] for row in tab["rows"]]
    steps = list(signoff.steps.all()) if signoff is not None else []
    return {"report": report, "data": data, "margins": MARGINS_MM, "title_pt": TITLE_PT, "body_pt": BODY_PT,
            "table_pt": TABLE_PT, "steps": steps}


def html(report: Report, signoff=None) -> str:
    return render_to_string("reports/document.html", context(report, signoff))


def pdf(report: Report, signoff=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(report, signoff)).write_pdf()


def filename(report: Report, extension: str) -> str:
    return f"{report.title}-v{report.version}.{extension}".replace("/", "-")


def docx(report: Report, signoff=None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    data = report.data or {}
    doc = Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    page.left_margin, page.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    for name, size in (("Normal", Pt(BODY_PT)), ("Title", Pt(TITLE_PT)), ("Heading 1", Pt(BODY_PT)),
                       ("Heading 2", Pt(BODY_PT)), ("Table Grid", None)):
        east_asian(doc.styles[name], size=size)
    font_table_fallback(doc)
    doc.core_properties.title = report.title
    doc.core_properties.language = "zh-CN"

    title = doc.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        east_asian(run, size=Pt(TITLE_PT), bold=True)

    def heading(text, level=1):
        for run in doc.add_heading(text, level=level).runs:
            east_asian(run, size=Pt(BODY_PT), bold=True)

    def paragraph(text):
        east_asian(doc.add_paragraph().add_run(text), size=Pt(BODY_PT))

    paragraph(_("报告范围：%(scope)s；报告期：%(period)s") % {"scope": data.get("scope", ""),
                                                           "period": data.get("period", "")})
    if data.get("documents"):
        paragraph(_("资料清单：") + "、".join(data["documents"]))
    for part in data.get("parts", []):
        if part["title"]:
            heading(part["title"], 1)
        for section in part["sections"]:
            heading(section["title"], 2)
            if not section["available"]:
                paragraph(section["note"])
                continue
            if section.get("text"):
                paragraph(section["text"])
            if section.get("figures"):
                table(doc, [_("指标"), _("数值"), _("单位")],
                      [[f["label"], value_text(f["value"]), f["unit"]] for f in section["figures"]])
            if section.get("chart"):
                doc.add_picture(io.BytesIO(charts.bar_png(section["chart"])), width=Mm(150))
            for tab in section.get("tables", []):
                paragraph(tab["title"])
                if tab["rows"]:
                    table(doc, tab["headers"], [[value_text(v) for v in row] for row in tab["rows"]])
                else:
                    paragraph(_("无"))
    for narrative in data.get("narratives", []):
        heading(narrative["heading"], 1)
        paragraph(narrative["text"] or _("（未填写）"))
    if signoff is not None:
        heading(_("签署"), 1)
        table(doc, [_("环节"), _("意见"), _("签署人"), _("时间"), _("说明")],
              [[s.label or s.get_party_display(), s.get_decision_display() if s.decision else _("待签署"),
                str(s.decided_by or ""), f"{s.decided_at:%Y-%m-%d %H:%M}" if s.decided_at else "", s.comment]
               for s in signoff.steps.all()])
    paragraph(_("依据：%(source)s") % {"source": data.get("source", "")})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _sheet_title(index: int, title: str) -> str:
    # Excel: at most 31 characters, no []:*?/\ and unique
    clean = "".join(c for c in title if c not in "[]:*?/\\")
    return f"{index}.{clean}"[:31]


def xlsx(report: Report) -> bytes:
    """Every table of the report on its own sheet (the figures of a section are a table too)."""
    sheets = []
    for index, tab in enumerate(engine.tables(report.data or {}), start=1):
        columns = [Column(str(header), f"c{i}", width=max(10, min(40, len(str(header)) * 2 + 4)))
                   for i, header in enumerate(tab["headers"])]
        rows = [SimpleNamespace(**{f"c{i}": value for i, value in enumerate(row)}) for row in tab["rows"]]
        sheets.append((SheetSpec(_sheet_title(index, f"{tab['section']}-{tab['title']}"), columns), rows))
    if not sheets:
        sheets.append((SheetSpec(_("报告"), [Column(_("说明"), "c0", width=40)]), [SimpleNamespace(c0=_("无表格"))]))
    return write_workbook(sheets)
