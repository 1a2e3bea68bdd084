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


def _unavailable(key: str) -> dict:
    return {"key": key, "title": key, "available": False, "note": _("本节数据来源尚未建设，暂无数据。"),
            "figures": [], "tables": [], "chart": None, "text": ""}


def _section_dict(key: str, section: rs.Section, data: rs.SectionData) -> dict:
    return {"key": key, "title": str(section.title), "available": True, "note": "",
            **_plain(data)}


def section_data(key: str, system_ids: list[int], start: dt.date, end: dt.date) -> dict:
    section = rs.get(key)
    if section is None:
        return _unavailable(key)
    return _section_dict(key, section, section.provider(system_ids, start, end))


def sections_data(key: str, groups: list[list[int]], start: dt.date, end: dt.date) -> list[dict]:
    """`section_data` for several scopes at once (the section's batched form, if it has one)."""
    section = rs.get(key)
    if section is None:
        return [_unavailable(key) for _group in groups]
    return [_section_dict(key, section, data) for data in section.for_groups(groups, start, end)]


def _plain(value):
    """Lazy translations and numbers as JSON values; dataclasses (SectionData, Figure, Table, Chart) as dicts
    (by hand: dataclasses.asdict deep-copies every cell first, a third of a batch's time)."""
    if isinstance(value, str):  # first: most cells are
        return value
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    return build_many(report_type, [Scope(system_ids, scope_label, narratives or {})], start=start, end=end,
                      now=now)[0]


@dataclasses.dataclass
class Scope:
    """One report's scope for `build_many`: its systems, its label, the drafter's headings."""

    system_ids: list[int]
    label: str
    narratives: dict = dataclasses.field(default_factory=dict)


def build_many(report_type: ReportType, scopes: list[Scope], *, start: dt.date, end: dt.date,
               now: dt.datetime | None = None) -> list[dict]:
    """The data of several reports of one type and period: each section is computed once for every scope
    (its batched form, one set of queries), then every report takes its own answer."""
    groups = [scope.system_ids for scope in scopes]
    with facts.reading():  # the sections' facts share their grouped queries
        by_key = {key: sections_data(key, groups, start, end) for key in report_type.section_keys()}
    computed_at = (now or timezone.now()).isoformat()
    head = {
        "type": report_type.key,
        "title": str(report_type.title),
        "period": report_periods.label(report_type.cadence, report_periods.Period(start, end)),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "source": str(report_type.source),
        "documents": [str(d.title) for d in report_type.documents],
    }
    parts = [(str(title) if title else "", keys) for title, keys in report_type.parts()]
    headings = [str(h) for h in report_type.narratives]
    result = []
    for index, scope in enumerate(scopes):
        result.append({
            "type": head["type"], "title": head["title"], "scope": scope.label, "period": head["period"],
            "period_start": head["period_start"], "period_end": head["period_end"],
            "systems": len(scope.system_ids), "source": head["source"], "documents": head["documents"],
            "parts": [{"title": title, "sections": [by_key[key][index] for key in keys]} for title, keys in parts],
            "narratives": [{"heading": h, "text": scope.narratives.get(h, "")} for h in headings],
            "computed_at": computed_at,
        })
    return result


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
