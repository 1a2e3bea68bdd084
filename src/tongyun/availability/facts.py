"""Monthly facts of the availability domain for the contract evaluation (tongyun.core.facts).

One bulk computation (selectors.compute, five queries) serves the three facts of a month:
- availability.availability_pct: device-unit-weighted availability in % (None: no device measured);
- availability.observed_pct: the share of the system's device units that have a figure (in service and
  observed) in %; None for a system without devices;
- availability.target_met: availability ≥ the system's target; None without a target or a figure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.domain import availability as calc

from .selectors import compute


def _figures(system_ids, month):
    def run():
        return {f.system_id: f for f in compute(None, month, systems=System.objects.filter(id__in=system_ids))}
    return facts.shared(("availability", tuple(system_ids), month), run)


def availability_pct(system_ids, month):
    return {pk: calc.percent(f.availability) for pk, f in _figures(system_ids, month).items()
            if f.availability is not None}


def observed_pct(system_ids, month):
    result = {}
    for pk, figure in _figures(system_ids, month).items():
        units = sum(d.units for d in figure.devices)
        if units:
            measured = sum(d.units for d in figure.devices if d.figure.availability is not None)
            result[pk] = round(100 * measured / units, 1)
    return result


def target_met(system_ids, month):
    result = {}
    for pk, figure in _figures(system_ids, month).items():
        value = calc.percent(figure.availability) if figure.availability is not None else None
        if value is not None and figure.target is not None:
            result[pk] = value >= figure.target
    return result


def register() -> None:
    facts.register(facts.Fact("availability.availability_pct", _("设备在线率"), "%", availability_pct,
                              higher_is_better=True))
    facts.register(facts.Fact("availability.observed_pct", _("设备纳入监测比例"), "%", observed_pct,
                              higher_is_better=True))
    facts.register(facts.Fact("availability.target_met", _("在线率达标"), "", target_met, higher_is_better=True))
