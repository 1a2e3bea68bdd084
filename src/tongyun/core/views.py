from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import Category
from tongyun.core import worklist
from tongyun.core.scoping import SEES_ASSIGNED, SEES_OWN_UNIT
from tongyun.incidents import selectors as incident_selectors


@login_required
def home(request):
    """One home page, shaped by role: the unit sees its systems, field staff their assignments,
    the bureau, supervisor and contractor management the whole catalog."""
    user = request.user
    overview = catalog_selectors.catalog_overview(user)
    chart = [{"name": str(label), "value": overview["by_category"].get(value, 0)} for value, label in Category.choices]
    context = {"overview": overview, "category_chart": chart,
               "open_incidents": incident_selectors.open_incident_count(user)}
    # A unit's card opens its own unit's open tickets (the list is scoped to it anyway).
    context["open_incidents_query"] = "clock=open" + (
        f"&unit={user.organisation_id}" if user.role in SEES_OWN_UNIT and user.organisation_id else "")
    if user.role in SEES_OWN_UNIT or user.role in SEES_ASSIGNED:
        context["my_systems"] = catalog_selectors.system_list(user)[:50]
    context["upcoming_starts"] = catalog_selectors.upcoming_service_starts(user)
    # what waits for this person, from every domain (tongyun.core.worklist), grouped under its heading
    groups: dict[str, list] = {}
    for item in worklist.items_for(user):
        groups.setdefault(str(item.group), []).append(item)
    context["my_work"] = list(groups.items())
    return render(request, "core/home.html", context)
