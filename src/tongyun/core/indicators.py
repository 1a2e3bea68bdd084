"""District indicators: the figures and charts of the bureau's overview (/overview/, 大屏), registered by
the domain that measures them — so the overview never imports another domain's models.

A domain registers in its AppConfig.ready():

    indicators.register(indicators.Indicator(
        key="incidents.open_breached", label=_("超时未完成工单"), section=indicators.INCIDENTS,
        provider=open_breached,        # (user) -> Reading | None  (None: nothing to show, e.g. no source yet)
    ))
    indicators.register_panel(indicators.Panel(
        key="incidents.sla_trend", label=_("SLA 达标率趋势"), provider=sla_trend,   # (user) -> Chart | None
    ))

A provider reads through its domain's scoped selectors, for the user who looks: the bureau sees the
district, anyone else sees only what their scope allows. Every reading carries the URL of the list that
makes up the figure, and every chart point the URL of its list — "every figure a link to its list".

An expensive figure or chart (a scan of months of tickets, a figure per system) is registered with
`precomputed=True`: the worker computes it for the district every few minutes (tongyun.core.snapshots) and
the pages of those who see the whole district show the last computed value with its time; everyone else
still gets it computed for them. Such a provider's reading for a user who sees everything must therefore
not depend on which of them looks — reading through the scoped selectors, as every provider does, ensures it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# Sections, in overview order.
INCIDENTS = _("故障与 SLA")
INSPECTIONS = _("巡检")
AVAILABILITY = _("可用率")
REPORTS = _("报告")
CONTRACT = _("考核与扣款")
RESOURCES = _("人员与备件")
SECTIONS = [INCIDENTS, INSPECTIONS, AVAILABILITY, REPORTS, CONTRACT, RESOURCES]

Number = int | float | Decimal


@dataclass(frozen=True)
class Reading:
    value: Number | None  # None: not measured (shown as "—", never as 0)
    url: str  # the list the figure is made of
    unit: str = ""
    level: str = "info"  # info | warning | danger
    note: str = ""  # e.g. the target, or what the figure counts


@dataclass(frozen=True)
class Indicator:
    key: str  # "<domain>.<name>"
    label: str
    provider: Callable[[object], Reading | None]
    section: str = INCIDENTS
    precomputed: bool = False  # computed by the worker for the district (tongyun.core.snapshots)


@dataclass
class Series:
    name: str
    data: list[Number | None]
    urls: list[str]  # one per category: where a click on the point leads


@dataclass
class Chart:
    kind: str  # "line" | "bar"
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "categories": self.categories, "unit": self.unit,
                "series": [{"name": str(s.name), "data": [None if v is None else float(v) for v in s.data],
                            "urls": s.urls} for s in self.series]}


@dataclass(frozen=True)
class Panel:
    key: str
    label: str
    provider: Callable[[object], Chart | None]
    precomputed: bool = False  # computed by the worker for the district (tongyun.core.snapshots)


_indicators: dict[str, Indicator] = {}
_panels: dict[str, Panel] = {}


def register(indicator: Indicator) -> None:
    existing = _indicators.get(indicator.key)
    if existing is not None and existing.provider is not indicator.provider:
        raise ValueError(f"indicator {indicator.key!r} is already registered by another provider")
    _indicators[indicator.key] = indicator


def register_panel(panel: Panel) -> None:
    existing = _panels.get(panel.key)
    if existing is not None and existing.provider is not panel.provider:
        raise ValueError(f"panel {panel.key!r} is already registered by another provider")
    _panels[panel.key] = panel


def unregister(key: str) -> None:
    """For tests that register a temporary indicator or panel."""
    _indicators.pop(key, None)
    _panels.pop(key, None)


def registered() -> list[Indicator]:
    return list(_indicators.values())


def precomputed() -> list[Indicator]:
    return [indicator for indicator in _indicators.values() if indicator.precomputed]


def precomputed_panels() -> list[Panel]:
    return [panel for panel in _panels.values() if panel.precomputed]


def district_snapshot(user, keys=None):
    """The worker's last district figures (a core.DistrictSnapshot) if `user` sees the whole district and one
    of the chosen indicators (`keys`; None: all, with the panels) is precomputed; else None — then every
    figure is computed for the user. Nothing computed yet in this language: computed now, and stored."""
    from . import snapshots
    from .scoping import sees_everything

    chosen = _indicators.values() if keys is None else [_indicators[k] for k in keys if k in _indicators]
    wanted = any(indicator.precomputed for indicator in chosen) or (keys is None and precomputed_panels())
    if not wanted or not sees_everything(user):
        return None
    snapshot = snapshots.current()
    if snapshot is None:
        from django.utils import timezone
        from django.utils.translation import get_language

        started = timezone.now()
        readings_, charts_ = snapshots.compute(precomputed(), precomputed_panels(), user)
        snapshot = snapshots.store(get_language(), readings_, charts_, started)
    return snapshot


def readings(user, keys=None, snapshot=None) -> list[tuple[str, list[tuple[Indicator, Reading]]]]:
    """[(section, [(indicator, reading)])] in section order, then registration order; indicators whose
    provider has nothing to show are left out. `keys`: only these (a key nobody registered is skipped).
    `snapshot` (district_snapshot()): the precomputed indicators' readings are taken from it."""
    from . import snapshots

    stored = snapshot.readings if snapshot is not None else {}
    by_section: dict[str, list] = {}
    chosen = _indicators.values() if keys is None else [_indicators[k] for k in keys if k in _indicators]
    for indicator in chosen:
        if indicator.precomputed and indicator.key in stored:
            reading = None if stored[indicator.key] is None else snapshots.decode_reading(stored[indicator.key])
        else:
            reading = indicator.provider(user)
        if reading is not None:
            by_section.setdefault(str(indicator.section), []).append((indicator, reading))
    order = {str(section): index for index, section in enumerate(SECTIONS)}
    return sorted(by_section.items(), key=lambda pair: order.get(pair[0], len(SECTIONS)))


def charts(user, snapshot=None) -> list[tuple[Panel, dict]]:
    """[(panel, chart JSON)] of the panels with something to show; the precomputed ones from `snapshot`."""
    stored = snapshot.charts if snapshot is not None else {}
    result = []
    for panel in _panels.values():
        if panel.precomputed and panel.key in stored:
            data = stored[panel.key]
        else:
            chart = panel.provider(user)
            data = None if chart is None else chart.as_json()
        if data is not None:
            result.append((panel, data))
    return result
