"""The report-section registry: the parts a report is made of, registered by the domain that owns the data.

The report engine (tongyun.reports) reads every other domain only through this registry and core.facts —
never by importing another domain's models. A domain registers its sections in its AppConfig.ready():

    report_sections.register(report_sections.Section(
        key="incidents.summary", title=_("故障处置及服务时限"), provider=incident_summary,
    ))

A provider is `(system_ids, start, end) -> SectionData` for the systems of the report's scope (one
system, a unit's systems, the district's) and the period (dates, both inclusive). It returns plain
JSON-able values: the engine snapshots them when a report is submitted, and every renderer (page, Word,
PDF, Excel, API) shows that one snapshot. A section key no domain registered reads as "not built yet",
shown plainly in the report — never as an empty table that looks like "nothing happened".

A section may also offer a batched form `(groups, start, end) -> [SectionData, …]`: the same answer for
several scopes at once (one per group of system ids, in order), from set-based queries — the worker
generates a period's reports of every system with it (one query per section instead of one per report).
Its answer for each group must be the provider's, number by number (reports/tests/test_batch.py checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

Cell = str | int | float | bool | None


@dataclass
class Figure:
    label: str
    value: Cell  # None: not measured
    unit: str = ""


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "仅列出前 200 条"


@dataclass
class Chart:
    """A bar chart: one value per label (rendered server-side as SVG, embedded as an image)."""

    title: str
    labels: list[str]
    values: list[float | None]
    unit: str = ""


@dataclass
class SectionData:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: Chart | None = None
    text: str = ""


Provider = Callable[[list[int], dt.date, dt.date], SectionData]
BatchProvider = Callable[[list[list[int]], dt.date, dt.date], list[SectionData]]


@dataclass(frozen=True)
class Section:
    key: str  # "<domain>.<name>", stable: report types name it
    title: str
    provider: Provider
    description: str = ""
    batch: BatchProvider | None = None  # the same for several scopes at once (see the module's docstring)

    def for_groups(self, groups: list[list[int]], start: dt.date, end: dt.date) -> list[SectionData]:
        """One answer per group of system ids: the batched form if the domain offers one."""
        if self.batch is not None:
            return self.batch(groups, start, end)
        return [self.provider(system_ids, start, end) for system_ids in groups]


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    existing = _sections.get(section.key)
    if existing is not None and existing.provider is not section.provider:
        raise ValueError(f"report section {section.key!r} is already registered by another provider")
    _sections[section.key] = section


def unregister(key: str) -> None:
    """For tests that register a temporary section."""
    _sections.pop(key, None)


def get(key: str) -> Section | None:
    return _sections.get(key)


def registered() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.key)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months a period touches — for providers that sum monthly facts."""
    result, month = [], start.replace(day=1)
    while month <= end:
        result.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def _combine(values: list, unit: str):
    """Several systems' or months' values of one fact: sums for counts and money, the mean for % (only over
    measured values), all-true for yes/no facts; None when nothing was measured."""
    measured = [v for v in values if v is not None]
    if not measured:
        return None
    if all(isinstance(v, bool) for v in measured):
        return all(measured)
    if unit == "%":
        return round(sum(float(v) for v in measured) / len(measured), 1)
    total = sum(float(v) for v in measured)
    return int(total) if total.is_integer() else round(total, 2)


def fact_section(keys: list[str], system_ids: list[int], start: dt.date, end: dt.date, *,
                 text: str = "") -> SectionData:
    """A section made of monthly facts (core.facts) of the period: one figure per fact over the scope and
    period, and — for a period of several months — a table month by month."""
    return fact_sections(keys, [system_ids], start, end, text=text)[0]


def fact_sections(keys: list[str], groups: list[list[int]], start: dt.date, end: dt.date, *,
                  text: str = "") -> list[SectionData]:
    """`fact_section` for several scopes at once: the facts are per system, so one table of every group's
    systems per month serves them all (each group combines its own systems' values)."""
    from . import facts

    period_months = months(start, end)
    known = [facts.get(key) for key in keys]
    known = [fact for fact in known if fact is not None]
    every_id = list(dict.fromkeys(pk for system_ids in groups for pk in system_ids))
    by_month = {month: facts.table([f.key for f in known], every_id, month) for month in period_months}
    return [_fact_section(known, by_month, period_months, list(dict.fromkeys(system_ids)), text)
            for system_ids in groups]


def _fact_section(known: list, by_month: dict, period_months: list[dt.date], system_ids: list[int],
                  text: str) -> SectionData:
    def combined(month: dt.date, fact) -> object:
        values = by_month[month][fact.key]
        return _combine([values[pk] for pk in system_ids], fact.unit)

    figures = []
    for fact in known:
        per_month = [combined(m, fact) for m in period_months]
        figures.append(Figure(str(fact.label), _combine(per_month, fact.unit), fact.unit))
    tables = []
    if len(period_months) > 1 and known:
        tables.append(Table(
            title="逐月情况", headers=["月份", *[f"{f.label}（{f.unit}）" if f.unit else str(f.label) for f in known]],
            rows=[[f"{m:%Y-%m}", *[combined(m, f) for f in known]] for m in period_months]))
    return SectionData(figures=figures, tables=tables, text=text)
