"""The report engine: a type's sections, read through tongyun.core.report_sections, into one data dict.

The dict is plain JSON (it is stored as the report's snapshot) and is the only input of every renderer
(documents.py) and of the API, so that the page, Word, PDF, Excel and the API show the same numbers.
A section whose key no domain registered says so plainly ("数据来源尚未建设") instead of showing nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core import facts
from tongyun.core import report_sections as rs
from tongyun.domain import report_periods

from .types import ReportType


def section_data(key: str, system_ids: list[int], start: dt.date, end: dt.date) -> dict:
    section = rs.get(key)
    if section is None:
        return {"key": key, "title": key, "available": False, "note": _("本节数据来源尚未建设，暂无数据。"),
                "figures": [], "tables": [], "chart": None, "text": ""}
    data = section.provider(system_ids, start, end)
    return {"key": key, "title": str(section.title), "available": True, "note": "",
            **{name: _plain(value) for name, value in dataclasses.asdict(data).items()}}


def _plain(value):
    """Lazy translations and numbers as JSON values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "is_integer"):
        return float(value)
    return str(value)


def build(report_type: ReportType, *, system_ids: list[int], scope_label: str, start: dt.date, end: dt.date,
          narratives: dict | None = None, now: dt.datetime | None = None) -> dict:
    narratives = narratives or {}
    cache: dict[str, dict] = {}
    parts = []
    with facts.reading():  # the sections' facts share their grouped queries
        for title, keys in report_type.parts():
            sections = []
            for key in keys:
                if key not in cache:
                    cache[key] = section_data(key, system_ids, start, end)
                sections.append(cache[key])
            parts.append({"title": str(title) if title else "", "sections": sections})
    return {
        "type": report_type.key,
        "title": str(report_type.title),
        "scope": scope_label,
        "period": report_periods.label(report_type.cadence, report_periods.Period(start, end)),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "systems": len(system_ids),
        "source": str(report_type.source),
        "documents": [str(d.title) for d in report_type.documents],
        "parts": parts,
        "narratives": [{"heading": str(h), "text": narratives.get(str(h), "")} for h in report_type.narratives],
        "computed_at": (now or timezone.now()).isoformat(),
    }


def tables(data: dict) -> list[dict]:
    """Every table of the report, once (a section shared by two documents appears once), with its section."""
    seen, result = set(), []
    for part in data.get("parts", []):
        for section in part["sections"]:
            if section["key"] in seen:
                continue
            seen.add(section["key"])
            figures = section.get("figures") or []
            if figures:
                result.append({"section": section["title"], "title": _("指标"),
                               "headers": [_("指标"), _("数值"), _("单位")],
                               "rows": [[f["label"], f["value"], f["unit"]] for f in figures]})
            for table in section.get("tables") or []:
                result.append({"section": section["title"], **table})
    return result
