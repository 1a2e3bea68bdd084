"""Reads of the hand-over: checklists with their progress (scoped: a unit its own systems), one checklist
with its items and their sign-offs, the district's progress for the bureau, and the obstructions."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.signoffs.selectors import latest_by_subject

from .choices import ItemState
from .models import Checklist, Item, Obstruction
from .services import ITEM_FLOW, SPARES_FLOW

COUNTS = {
    "total": Count("items", distinct=True),
    "confirmed": Count("items", filter=Q(items__state=ItemState.CONFIRMED), distinct=True),
    "awaiting": Count("items", filter=Q(items__state=ItemState.AWAITING), distinct=True),
    "returned": Count("items", filter=Q(items__state=ItemState.RETURNED), distinct=True),
    "pending": Count("items", filter=Q(items__state=ItemState.PENDING), distinct=True),
    "obstruction_count": Count("obstructions", distinct=True),
}


def checklist_list(user, params: dict | None = None) -> QuerySet[Checklist]:
    require(user, "handover.view")
    checklists = scoped(Checklist.objects.select_related("system", "system__unit"), user).annotate(**COUNTS)
    params = params or {}
    if str(params.get("unit", "")).isdigit():
        checklists = checklists.filter(system__unit_id=params["unit"])
    if params.get("state") == "open":
        checklists = checklists.exclude(confirmed=F("total"))
    elif params.get("state") == "done":
        checklists = checklists.filter(confirmed=F("total"))
    return checklists


def checklist_get(user, pk: int) -> Checklist:
    return get_object_or_404(checklist_list(user).prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("id")),
        Prefetch("obstructions", queryset=Obstruction.objects.select_related("penalty", "item"))), pk=pk)


def item_get(user, pk: int) -> Item:
    require(user, "handover.view")
    return get_object_or_404(scoped(Item.objects.select_related("checklist", "checklist__system",
                                                                "checklist__system__unit"), user), pk=pk)


def item_signoffs(items) -> dict[int, object]:
    """{item_id: its latest sign-off} — two queries for a whole checklist."""
    ids = [i.pk for i in items]
    return {**latest_by_subject(Item, ITEM_FLOW, ids), **latest_by_subject(Item, SPARES_FLOW, ids)}


def progress(user) -> dict:
    """The district's (or the unit's) progress: systems and items by state, and per unit."""
    checklists = checklist_list(user)
    items = scoped(Item.objects.all(), user)
    by_state = dict(items.values_list("state").annotate(n=Count("id")).order_by())
    units = (checklists.values("system__unit_id", "system__unit__name").order_by("system__unit__name")
             .annotate(systems=Count("id", distinct=True), total=Count("items"),
                       confirmed=Count("items", filter=Q(items__state=ItemState.CONFIRMED))))
    complete = sum(1 for c in checklists if c.total and c.confirmed == c.total)
    return {"systems": checklists.count(), "systems_complete": complete,
            "items": sum(by_state.values()), **{state: by_state.get(state, 0) for state in ItemState.values},
            "obstructions": scoped(Obstruction.objects.all(), user).count(),
            "units": [{"unit_id": u["system__unit_id"], "unit": u["system__unit__name"], "systems": u["systems"],
                       "items": u["total"], "confirmed": u["confirmed"]} for u in units]}


def obstruction_list(user) -> QuerySet[Obstruction]:
    require(user, "handover.view")
    return scoped(Obstruction.objects.select_related("checklist__system", "penalty", "item"), user)
