"""Reads of 数据对接: resources with progress, push figures and the monthly indicators (facts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from tongyun.core.scoping import scoped

from .models import DataResource, PushRecord


def resource_list(user, params: dict | None = None) -> QuerySet:
    params = params or {}
    queryset = scoped(DataResource.objects.select_related("system", "system__unit", "owner_unit",
                                                          "state_changed_by"), user)
    if str(params.get("system") or "").isdigit():
        queryset = queryset.filter(system_id=int(params["system"]))
    if str(params.get("unit") or "").isdigit():
        queryset = queryset.filter(system__unit_id=int(params["unit"]))
    if params.get("state"):
        queryset = queryset.filter(state=params["state"])
    return queryset


def resource_get(user, pk: int) -> DataResource:
    return get_object_or_404(resource_list(user), pk=pk)


def progress(user) -> dict[str, int]:
    return {row["state"]: row["n"] for row in resource_list(user).order_by().values("state").annotate(n=Count("id"))}


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _rates(system_ids: list[int], month: dt.date, numerator: str) -> dict[int, Decimal | None]:
    rows = (PushRecord.objects.filter(resource__system_id__in=system_ids, day__gte=month, day__lt=_month_end(month))
            .values("resource__system_id").annotate(expected=Sum("expected"), value=Sum(numerator)))
    rates = {row["resource__system_id"]: (Decimal(row["value"]) * 100 / row["expected"]).quantize(Decimal("0.01"))
             for row in rows if row["expected"]}
    return {system_id: rates.get(system_id) for system_id in system_ids}


def push_success_pct(system_ids: list[int], month: dt.date) -> dict[int, Decimal | None]:
    """Fact `dataexchange.push_success_pct`: pushes that arrived / pushes due, in the month (row 69)."""
    return _rates(system_ids, month, "succeeded")


def push_on_time_pct(system_ids: list[int], month: dt.date) -> dict[int, Decimal | None]:
    """Fact `dataexchange.push_on_time_pct`: pushes on time / pushes due, in the month (row 69)."""
    return _rates(system_ids, month, "on_time")
