"""Report sections of the staffing domain (tongyun.core.report_sections): the monthly staffing facts
(days the staffing met the contract, days the on-site posts were full, safety education held)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    return rs.fact_section(["staffing.compliant_days", "staffing.onsite_full_days", "staffing.safety_education_held"],
                           system_ids, start, end)


SECTIONS = [rs.Section("staffing.summary", gettext_lazy("人员配置"), summary)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
