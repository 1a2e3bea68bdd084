"""Reads of 供电与通信: lists, the bill checks of a system's year, and the settlement facts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tongyun.core.scoping import scoped
from tongyun.core.worklist import WorkItem
from tongyun.domain.utility_bills import missing_months, unusual_months
from tongyun.parties.choices import Role
from tongyun.signoffs import selectors as signoffs

from .models import ElectricityBill, NetworkLink, SupplyPoint

BILL_CHECK = "utilities.bill_check"


def _by_system(queryset: QuerySet, params: dict, field: str = "system") -> QuerySet:
    if str(params.get("system") or "").isdigit():
        queryset = queryset.filter(**{f"{field}_id": int(params["system"])})
    if str(params.get("unit") or "").isdigit():
        queryset = queryset.filter(**{f"{field}__unit_id": int(params["unit"])})
    return queryset


def supply_point_list(user, params: dict | None = None) -> QuerySet:
    return _by_system(scoped(SupplyPoint.objects.select_related("system", "system__unit"), user), params or {})


def bill_list(user, params: dict | None = None) -> QuerySet:
    params = params or {}
    queryset = scoped(ElectricityBill.objects.select_related("supply_point", "supply_point__system",
                                                             "supply_point__system__unit", "recorded_by"), user)
    queryset = _by_system(queryset, params, "supply_point__system")
    if params.get("month"):
        queryset = queryset.filter(month=params["month"])
    if params.get("year"):
        queryset = queryset.filter(month__year=params["year"])
    return queryset


def bill_get(user, pk: int) -> ElectricityBill:
    return get_object_or_404(bill_list(user), pk=pk)


def with_check_state(bills) -> list[ElectricityBill]:
    """Each bill with `.check` — its latest sign-off (None before any)."""
    bills = list(bills)
    latest = signoffs.latest_by_subject(ElectricityBill, BILL_CHECK, [b.pk for b in bills])
    for bill in bills:
        bill.check = latest.get(bill.pk)
    return bills


def link_list(user, params: dict | None = None) -> QuerySet:
    params = params or {}
    queryset = _by_system(scoped(NetworkLink.objects.select_related("system", "system__unit"), user), params)
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    return queryset


def link_totals(user, params: dict | None = None) -> list[dict]:
    """Links per kind: how many groups and links, and the contractor's monthly fees."""
    rows = link_list(user, params).order_by().values("kind").annotate(
        groups=Count("id"), links=Sum("count"),
        fees=Sum("monthly_fee", filter=Q(paid_by_contractor=True)))
    return sorted(rows, key=lambda r: -(r["links"] or 0))


def bill_checks(user, system_id: int, year: int, today: dt.date | None = None) -> list[dict]:
    """Per supply point of the system: the year's bills, missing months and unusual consumption.

    Months are counted from January (or the point's first bill, if later) to the last finished month."""
    today = today or dt.date.today()
    last = min(dt.date(year, 12, 1), (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
    points = list(supply_point_list(user, {"system": system_id}).filter(active=True))
    bills = defaultdict(dict)
    for bill in ElectricityBill.objects.filter(supply_point__in=points, month__year=year):
        bills[bill.supply_point_id][bill.month] = bill
    result = []
    for point in points:
        months = bills[point.pk]
        first = dt.date(year, 1, 1)
        result.append({
            "point": point,
            "bills": [months[m] for m in sorted(months)],
            "missing": missing_months(set(months), first, last) if last >= first else [],
            "unusual": unusual_months({m: b.kwh for m, b in months.items()}),
            "total": sum((b.amount for b in months.values()), Decimal("0")),
        })
    return result


def electricity_amounts(system_ids: list[int], month: dt.date) -> dict[int, Decimal | None]:
    """Fact `electricity.amount`: the month's bills checked by the unit, per system; None when none is."""
    bills = list(ElectricityBill.objects.filter(month=month, supply_point__system_id__in=system_ids)
                 .values_list("pk", "supply_point__system_id", "amount"))
    checked = signoffs.completed_subject_ids(ElectricityBill, BILL_CHECK, [pk for pk, _s, _a in bills])
    totals: dict[int, Decimal] = {}
    for pk, system_id, amount in bills:
        if pk in checked:
            totals[system_id] = totals.get(system_id, Decimal("0")) + amount
    return {system_id: totals.get(system_id) for system_id in system_ids}


def link_fees(system_ids: list[int], month: dt.date) -> dict[int, Decimal | None]:
    """Fact `utilities.link_fees`: the monthly fees of the links the contractor pays; None without such links."""
    rows = (NetworkLink.objects.filter(system_id__in=system_ids, paid_by_contractor=True, monthly_fee__isnull=False)
            .values("system_id").annotate(total=Sum("monthly_fee")))
    totals = {row["system_id"]: row["total"] for row in rows}
    return {system_id: totals.get(system_id) for system_id in system_ids}


def work_items(user) -> list[WorkItem]:
    """For the contractor's PM: supply points without last month's bill."""
    if user.role != Role.PROJECT_MANAGER:
        return []
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    missing = supply_point_list(user).filter(active=True).exclude(bills__month=last_month).count()
    if not missing:
        return []
    return [WorkItem(group=_("电费代缴"), title=_("%(n)s 个供电点缺少 %(month)s 的电费账单") %
                     {"n": missing, "month": f"{last_month:%Y-%m}"}, url=reverse("utilities:bills"),
                     level="warning", count=missing)]
