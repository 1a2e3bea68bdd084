"""Reads of spare parts: items, stock (from the ledger), cap positions, settlement, the facts.

Stock per item and warehouse is the balance of the newest ledger entry (one index probe per pair,
however long the ledger); `stock_by_sum` derives the same figure by summing every entry, which the tests
use to prove the two agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped
from tongyun.domain import spares as rules

from .choices import USE_KINDS, ReplacementState, SubstitutionState
from .models import MonthlyUse, RemovedDevice, RepairRecord, Replacement, SpareItem, StockEntry, Substitution, Warehouse

OPEN_REPLACEMENTS = (ReplacementState.REQUESTED, ReplacementState.APPROVED)


def item_list(user, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    queryset = scoped(SpareItem.objects.select_related("system", "system__unit"), user)
    if filters.get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    if filters.get("unit"):
        queryset = queryset.filter(system__unit_id=filters["unit"])
    if filters.get("q"):
        queryset = queryset.filter(Q(name__icontains=filters["q"]) | Q(model__icontains=filters["q"]))
    return queryset


def item_get(user, pk: int) -> SpareItem:
    return get_object_or_404(item_list(user), pk=pk)


def system_get(user, pk: int) -> System:
    return get_object_or_404(scoped(System.objects.select_related("unit"), user), pk=pk)


def warehouses() -> QuerySet:
    return Warehouse.objects.filter(active=True)


def stock(items) -> dict[int, int]:
    """{item_id: units in stock over every warehouse}: per warehouse the balance of the newest entry — one
    index probe per item and warehouse, in one query, however long the ledger is."""
    ids = [item.pk for item in items]
    if not ids:
        return {}
    columns = {}
    for warehouse_id in Warehouse.objects.values_list("pk", flat=True):
        newest = StockEntry.objects.filter(item_id=OuterRef("pk"), warehouse_id=warehouse_id).order_by("-id")
        columns[f"w{warehouse_id}"] = Subquery(newest.values("balance")[:1])
    if not columns:
        return dict.fromkeys(ids, 0)
    rows = SpareItem.objects.filter(pk__in=ids).annotate(**columns).values_list("pk", *columns)
    return {row[0]: sum(b or 0 for b in row[1:]) for row in rows}


def stock_by_warehouse(item: SpareItem) -> list[tuple[Warehouse, int]]:
    rows = []
    for warehouse in Warehouse.objects.all():
        last = StockEntry.objects.filter(item=item, warehouse=warehouse).order_by("-id").values("balance").first()
        if last or warehouse.active:
            rows.append((warehouse, last["balance"] if last else 0))
    return rows


def stock_by_sum(item: SpareItem) -> int:
    return StockEntry.objects.filter(item=item).aggregate(total=Sum("quantity"))["total"] or 0


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return (dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone))


def used_quantities(items, year: int | None = None) -> dict[int, int]:
    """{item_id: units used in the item's cap year}: issues for replacements less their returns — read
    from the monthly totals the ledger's writer keeps (at most twelve rows per item)."""
    result = {}
    by_year: dict[int, list[int]] = {}
    for item in items:
        by_year.setdefault(year or item.cap_year, []).append(item.pk)
    for cap_year, ids in by_year.items():
        rows = (MonthlyUse.objects.filter(item_id__in=ids, month__year=cap_year)
                .values("item_id").annotate(total=Sum("quantity")))
        totals = {row["item_id"]: row["total"] for row in rows}
        result.update({item_id: totals.get(item_id, 0) for item_id in ids})
    return result


def used_by_sum(item: SpareItem, year: int | None = None) -> int:
    """The same figure summed over the ledger itself (the tests compare the two)."""
    start, end = _year_range(year or item.cap_year)
    total = StockEntry.objects.filter(item=item, kind__in=USE_KINDS, replacement__isnull=False, at__gte=start,
                                      at__lt=end).aggregate(total=Sum("quantity"))["total"]
    return -(total or 0)


def cap_position(item: SpareItem, *, exclude: Replacement | None = None) -> rules.CapPosition:
    used = used_quantities([item])[item.pk]
    committed = Replacement.objects.filter(item=item, state__in=OPEN_REPLACEMENTS)
    if exclude is not None:
        committed = committed.exclude(pk=exclude.pk)
    swaps = Substitution.objects.filter(state=SubstitutionState.AGREED)
    return rules.CapPosition(
        cap=item.cap,
        substituted_in=swaps.filter(to_item=item).aggregate(n=Sum("to_quantity"))["n"] or 0,
        substituted_out=swaps.filter(from_item=item).aggregate(n=Sum("from_quantity"))["n"] or 0,
        used=used, committed=committed.aggregate(n=Sum("quantity"))["n"] or 0,
    )


@dataclass
class SettlementRow:
    item: SpareItem
    cap: int | None
    effective_cap: int | None
    used: int
    remaining: int | None
    stock: int
    unit_price: Decimal | None
    used_value: Decimal | None

    # the names the stock sheet reads
    @property
    def system(self) -> str:
        return self.item.system.name

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def model(self) -> str:
        return self.item.model

    @property
    def minimum_stock(self) -> int:
        return self.item.minimum_stock

    @property
    def low(self) -> bool:
        return self.stock < self.item.minimum_stock


def settlement(items) -> list[SettlementRow]:
    """Per item: cap, used, remaining, stock and the used value at the unit price (SP-01)."""
    items = list(items)
    used = used_quantities(items)
    stocks = stock(items)
    swaps = Substitution.objects.filter(state=SubstitutionState.AGREED).filter(
        Q(from_item__in=items) | Q(to_item__in=items)).values("from_item_id", "from_quantity", "to_item_id",
                                                               "to_quantity")
    moved: dict[int, int] = {}
    for swap in swaps:
        moved[swap["to_item_id"]] = moved.get(swap["to_item_id"], 0) + swap["to_quantity"]
        moved[swap["from_item_id"]] = moved.get(swap["from_item_id"], 0) - swap["from_quantity"]
    rows = []
    for item in items:
        effective = None if item.cap is None else item.cap + moved.get(item.pk, 0)
        rows.append(SettlementRow(
            item=item, cap=item.cap, effective_cap=effective, used=used[item.pk],
            remaining=None if effective is None else effective - used[item.pk], stock=stocks.get(item.pk, 0),
            unit_price=item.unit_price,
            used_value=None if item.unit_price is None else rules.total(item.unit_price, used[item.pk])))
    return rows


def low_stock(user) -> list[SettlementRow]:
    items = item_list(user).filter(minimum_stock__gt=0)
    stocks = stock(items)
    return [SettlementRow(item=i, cap=i.cap, effective_cap=None, used=0, remaining=None, stock=stocks[i.pk],
                          unit_price=i.unit_price, used_value=None)
            for i in items if stocks[i.pk] < i.minimum_stock]


def entry_list(user, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    queryset = scoped(StockEntry.objects.select_related("item", "item__system", "warehouse", "actor"), user)
    if filters.get("item"):
        queryset = queryset.filter(item_id=filters["item"])
    if filters.get("system"):
        queryset = queryset.filter(item__system_id=filters["system"])
    return queryset


def replacement_list(user, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    queryset = scoped(Replacement.objects.select_related("incident", "system", "item", "device", "requested_by"),
                      user)
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    if filters.get("incident"):
        queryset = queryset.filter(incident_id=filters["incident"])
    return queryset


def replacement_get(user, pk: int) -> Replacement:
    return get_object_or_404(replacement_list(user), pk=pk)


def removed_list(user, filters: dict | None = None) -> QuerySet:
    queryset = scoped(RemovedDevice.objects.select_related("system", "incident"), user)
    if (filters or {}).get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    return queryset


def removed_get(user, pk: int) -> RemovedDevice:
    return get_object_or_404(removed_list(user), pk=pk)


def repair_list(user, filters: dict | None = None) -> QuerySet:
    queryset = scoped(RepairRecord.objects.select_related("system", "repaired_by", "item"), user)
    if (filters or {}).get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    return queryset


def substitution_list(user) -> QuerySet:
    return scoped(Substitution.objects.select_related("system", "from_item", "to_item"), user)


def substitution_get(user, pk: int) -> Substitution:
    return get_object_or_404(substitution_list(user), pk=pk)


# ---------------------------------------------------------------- facts (tongyun.core.facts providers)


def _month_range(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=zone)
    end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
    return start, end


def _used_in_month(system_ids: list[int], month: dt.date):
    """Rows of (system, item, unit price, total) where total is negative for units used (the ledger's sign)."""
    return (MonthlyUse.objects.filter(item__system_id__in=system_ids, month=month.replace(day=1))
            .values("item__system_id", "item_id", "item__unit_price").annotate(total=-Sum("quantity")))


def used_value(system_ids: list[int], month: dt.date) -> dict[int, Decimal | None]:
    """Yuan of spares used per system in the month at the items' unit prices (SP-01 settlement).

    0 for a system with items and no use; None where a used item has no price yet (not measurable) or
    the system has no spare items at all."""
    with_items = set(SpareItem.objects.filter(system_id__in=system_ids).values_list("system_id", flat=True))
    result: dict[int, Decimal | None] = {sid: (Decimal("0.00") if sid in with_items else None) for sid in system_ids}
    unpriced: set[int] = set()
    for row in _used_in_month(system_ids, month):
        sid, used, price = row["item__system_id"], -row["total"], row["item__unit_price"]
        if used == 0:
            continue
        if price is None:
            unpriced.add(sid)
            result[sid] = None
        elif sid not in unpriced:
            result[sid] = (result[sid] or Decimal("0.00")) + rules.total(price, used)
    return result


def used_quantity(system_ids: list[int], month: dt.date) -> dict[int, int | None]:
    with_items = set(SpareItem.objects.filter(system_id__in=system_ids).values_list("system_id", flat=True))
    result: dict[int, int | None] = {sid: (0 if sid in with_items else None) for sid in system_ids}
    for row in _used_in_month(system_ids, month):
        result[row["item__system_id"]] = (result[row["item__system_id"]] or 0) - row["total"]
    return result


def replacements_requested(system_ids: list[int], month: dt.date) -> dict[int, int]:
    start, end = _month_range(month)
    rows = (Replacement.objects.filter(system_id__in=system_ids, requested_at__gte=start, requested_at__lt=end)
            .values("system_id").annotate(n=Count("id")))
    counts = {row["system_id"]: row["n"] for row in rows}
    return {sid: counts.get(sid, 0) for sid in system_ids}
