"""Report sections of the staffing domain (tongyun.core.report_sections): the monthly staffing facts
(days the staffing met the contract, days the on-site posts were full, safety education held)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs

KEYS = ["staffing.compliant_days", "staffing.onsite_full_days", "staffing.safety_education_held"]


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    return rs.fact_section(KEYS, system_ids, start, end)


def summaries(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    return rs.fact_sections(KEYS, groups, start, end)


SECTIONS = [rs.Section("staffing.summary", gettext_lazy("人员配置"), summary, batch=summaries)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
