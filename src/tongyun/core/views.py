"""The home page (my work, per role) and the district overview (the bureau's figures and charts).

Neither imports another domain's models: the work items come from tongyun.core.worklist, the figures
and charts from tongyun.core.indicators, each registered by its domain."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tongyun.catalog import selectors as catalog_selectors
from tongyun.core import indicators, worklist
from tongyun.core.permissions import can, require
from tongyun.core.scoping import SEES_ASSIGNED, SEES_OWN_UNIT
from tongyun.parties.choices import Role

# Who gets the district figures on the home page (the others get only their own work).
DISTRICT_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR})
REPORTING_ROLES = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})
# The district figures the home shows (the overview has them all): keys of tongyun.core.indicators.
HOME_INDICATORS = ("incidents.open", "incidents.open_breached", "inspections.overdue", "inspections.reports_late",
                   "reports.late", "reports.unsigned", "staffing.rules_unmet", "spares.low_stock")


def _stamp(moment) -> str:
    """When the shown district figures were computed: "HH:MM" today, else with the date."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%Y-%m-%d %H:%M}"


def _groups(items) -> list[tuple[str, list]]:
    """Work items under their heading; a heading's order is that of its most urgent item."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(str(item.group), []).append(item)
    return list(groups.items())


@login_required
def home(request):
    """My work: what waits for this person, from every domain, each item a link."""
    user = request.user
    context = {"my_work": _groups(worklist.items_for(user)),
               "report_button": user.role in REPORTING_ROLES,
               "sees_overview": can(user, "core.overview")}
    if user.role in DISTRICT_ROLES:
        snapshot = indicators.district_snapshot(user, HOME_INDICATORS)
        context["district"] = indicators.readings(user, HOME_INDICATORS, snapshot=snapshot)
        context["district_updated"] = _stamp(snapshot and snapshot.computed_at)
    if user.role in SEES_OWN_UNIT or user.role in SEES_ASSIGNED:
        # the few systems this person answers for (field staff) or reports on (a unit), under the work
        context["my_systems"] = catalog_selectors.system_list(user)[:50]
    return render(request, "core/home.html", context)


@login_required
def overview(request):
    """The district overview (区级总览 / 大屏): every registered figure and chart, each a link to its list."""
    require(request.user, "core.overview")
    # the expensive figures as the worker last computed them for the district (tongyun.core.snapshots)
    snapshot = indicators.district_snapshot(request.user)
    charts = indicators.charts(request.user, snapshot=snapshot)
    context = {"sections": indicators.readings(request.user, snapshot=snapshot),
               "updated": _stamp(snapshot and snapshot.computed_at),
               "panels": [{"key": panel.key.replace(".", "-"), "label": panel.label} for panel, _data in charts],
               "chart_data": {panel.key.replace(".", "-"): data for panel, data in charts},
               "screen": request.GET.get("screen") == "1"}
    return render(request, "core/overview.html", context)
