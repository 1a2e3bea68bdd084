"""The incident domain's district indicators and overview charts (tongyun.core.indicators)."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.catalog.choices import Category
from tongyun.core import indicators
from tongyun.core.indicators import Chart, Indicator, Panel, Reading, Series
from tongyun.domain import incident_lifecycle as lifecycle

from . import compliance, selectors
from .filters import breached_q

TREND_MONTHS = 6
UNITS_SHOWN = 15


def _list(**params) -> str:
    return reverse("incidents:list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _compliance(month: dt.date, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"month": f"{month:%Y-%m}", **params}.items())
    return reverse("incidents:compliance") + "?" + query


def _months(count: int, now: dt.datetime | None = None) -> list[dt.date]:
    month = compliance.current_month(now)
    months = [month]
    for _index in range(count - 1):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return list(reversed(months))


def open_incidents(user) -> Reading:
    count = selectors.open_incident_count(user)
    return Reading(count, _list(clock="open"), unit="张")


def open_breached(user) -> Reading:
    count = selectors.incident_list(user).filter(breached_q(timezone.now()),
                                                 state__in=lifecycle.OPEN_STATES).count()
    return Reading(count, _list(clock="open_breached"), unit="张", level="danger" if count else "info")


def repair_met_pct(user) -> Reading:
    month = compliance.current_month()
    total = compliance.compliance_table(user, month=month, group_by="unit")["total"]
    return Reading(total["repair_met_pct"], _compliance(month), unit="%",
                   note=_("本月修复及时率（已判定的工单）"))


def sla_trend(user) -> Chart:
    """Repair compliance per month and category over the last months (a line per category). Six months of
    tickets are one grouped scan: precomputed for the district by the worker (tongyun.core.snapshots)."""
    months = _months(TREND_MONTHS)
    rates = compliance.repair_trend(user, months)  # one grouped query for all the months
    present = [value for value, _label in Category.choices if any(category == value for _m, category in rates)]
    series = [Series(Category(value).label, [rates.get((m, value)) for m in months],
                     [_compliance(m, group_by="category", category=value) for m in months]) for value in present]
    return Chart("line", [f"{m:%Y-%m}" for m in months], series, unit="%")


def open_by_unit(user) -> Chart:
    """Open and breached open tickets of the units with the most open tickets."""
    now = timezone.now()
    rows = list(selectors.incident_list(user).filter(state__in=lifecycle.OPEN_STATES).order_by()
                .values("system__unit_id", "system__unit__name")
                .annotate(open=Count("id"), breached=Count("id", filter=breached_q(now)))
                .order_by("-open", "system__unit__name")[:UNITS_SHOWN])
    units = [row["system__unit_id"] for row in rows]
    return Chart("bar", [row["system__unit__name"] for row in rows], [
        Series(_("未完成"), [row["open"] for row in rows], [_list(clock="open", unit=u) for u in units]),
        Series(_("已超时"), [row["breached"] for row in rows], [_list(clock="open_breached", unit=u) for u in units]),
    ], unit="张")


def register() -> None:
    indicators.register(Indicator("incidents.open", _("未完成工单"), open_incidents))
    indicators.register(Indicator("incidents.open_breached", _("超时未完成工单"), open_breached))
    # the month's compliance table and the charts scan many tickets: the worker computes them for the district
    indicators.register(Indicator("incidents.repair_met_pct", _("本月修复及时率"), repair_met_pct, precomputed=True))
    indicators.register_panel(Panel("incidents.sla_trend", _("SLA 修复达标率（按月、按类别）"), sla_trend,
                                    precomputed=True))
    indicators.register_panel(Panel("incidents.open_by_unit", _("各单位未完成与超时工单"), open_by_unit,
                                    precomputed=True))
