"""Report sections of the security domain (tongyun.core.report_sections): the monthly security facts
(periodic duties done on time, patches applied, open and overdue findings)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs

KEYS = ["security.duties_on_time_pct", "security.patches_applied", "security.open_findings",
        "security.overdue_findings"]


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    return rs.fact_section(KEYS, system_ids, start, end)


def summaries(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    return rs.fact_sections(KEYS, groups, start, end)


SECTIONS = [rs.Section("security.summary", gettext_lazy("信息安全工作"), summary, batch=summaries)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
