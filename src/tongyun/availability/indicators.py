"""The availability domain's district indicators (tongyun.core.indicators)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading
from tongyun.domain import availability as calc

from .selectors import compute, current_month


def below_target(user) -> Reading:
    """Systems with a target whose measured availability this month is under it (not measured: left out)."""
    month = current_month()
    measured = below = 0
    for figures in compute(user, month):
        if figures.target is None or figures.availability is None:
            continue
        measured += 1
        below += calc.percent(figures.availability) < figures.target
    return Reading(below, reverse("availability:monthly") + f"?month={month:%Y-%m}", unit="个",
                   level="danger" if below else "info",
                   note=_("有目标且已测得的 %(n)s 个系统中低于目标的") % {"n": measured})


def register() -> None:
    # a month of every system's outages: computed by the worker for the district (tongyun.core.snapshots)
    indicators.register(Indicator("availability.below_target", _("可用率低于目标的系统"), below_target,
                                  section=indicators.AVAILABILITY, precomputed=True))
