"""Writes of the spare-parts ledger: items (prices, caps), stock movements, Excel import.

Every movement locks the item's row first (SELECT … FOR UPDATE), reads the balance the newest entry of
that item and warehouse left, and writes the new entry with the new balance. Two issues of the last unit
at once therefore queue on the lock: the first takes it, the second finds nothing left and is refused
with a clear message — and the check constraint on `balance` refuses a negative stock even if a
writer forgot the lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.excel import Problem, WorkbookInvalid, open_workbook
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped

from .choices import MANUAL_KINDS, USE_KINDS, EntryKind
from .excel import ITEM_SHEET
from .models import MonthlyUse, SpareItem, StockEntry, Warehouse


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked_item(item: SpareItem) -> SpareItem:
    """The item's row, locked until the end of the transaction (stock and cap decisions queue on it)."""
    return SpareItem.objects.select_for_update().get(pk=item.pk)


def balance_of(item: SpareItem, warehouse: Warehouse) -> int:
    """The stock the newest entry left (read under the item lock, it is the current stock)."""
    last = StockEntry.objects.filter(item=item, warehouse=warehouse).order_by("-id").values("balance").first()
    return last["balance"] if last else 0


def post_entry(user, item: SpareItem, warehouse: Warehouse, kind: str, quantity: int, *, note: str = "",
               replacement=None, now: dt.datetime | None = None) -> StockEntry:
    """One movement of stock; `quantity` is signed (out is negative). Caller holds the transaction."""
    if quantity == 0:
        raise ValidationError({"quantity": _("数量不能为 0")})
    with transaction.atomic():
        item = locked_item(item)
        current = balance_of(item, warehouse)
        if current + quantity < 0:
            raise ValidationError({"quantity": _(
                "库存不足：%(item)s 在 %(warehouse)s 现有 %(have)s %(unit)s，需要 %(need)s %(unit)s") % {
                "item": item, "warehouse": warehouse, "have": current, "need": -quantity, "unit": item.unit}})
        try:
            with transaction.atomic():
                entry = StockEntry.objects.create(item=item, warehouse=warehouse, kind=kind, quantity=quantity,
                                                  balance=current + quantity, at=_now(now), actor=user,
                                                  replacement=replacement, note=note[:300])
        except IntegrityError as error:  # the constraint: never a negative balance
            raise ValidationError({"quantity": _("库存不足，未出库")}) from error
        if replacement is not None and kind in USE_KINDS:
            _count_use(item, entry)
    return entry


def _month_of(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date().replace(day=1)


def _count_use(item: SpareItem, entry: StockEntry) -> None:
    """Add an issue (or its return) to the item's monthly use; the item row is locked by the caller."""
    month = _month_of(entry.at)
    if not MonthlyUse.objects.filter(item=item, month=month).update(quantity=F("quantity") - entry.quantity):
        MonthlyUse.objects.create(item=item, month=month, quantity=-entry.quantity)


@transaction.atomic
def rebuild_monthly_use(item_ids=None) -> int:
    """Recompute the monthly use from the ledger (all items, or these); returns the rows written."""
    entries = StockEntry.objects.filter(kind__in=USE_KINDS, replacement__isnull=False)
    totals = MonthlyUse.objects.all()
    if item_ids is not None:
        entries, totals = entries.filter(item_id__in=item_ids), totals.filter(item_id__in=item_ids)
    totals.delete()
    rows = (entries.annotate(month=TruncMonth("at", tzinfo=timezone.get_current_timezone()))
            .values("item_id", "month").annotate(total=Sum("quantity")))
    made = MonthlyUse.objects.bulk_create(
        [MonthlyUse(item_id=row["item_id"], month=_as_date(row["month"]), quantity=-row["total"]) for row in rows],
        batch_size=1000)
    return len(made)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def record_movement(user, item: SpareItem, warehouse: Warehouse, kind: str, quantity: int, *, note: str = "",
                    now: dt.datetime | None = None) -> StockEntry:
    """A receipt or a return (quantity > 0) posted by the warehouse keeper."""
    require(user, "spares.stock")
    if kind not in MANUAL_KINDS or kind == EntryKind.STOCKTAKE:
        raise ValidationError({"kind": _("此处只能登记入库或退回")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("数量应大于 0")})
    with set_actor(user):
        return post_entry(user, item, warehouse, kind, quantity, note=note, now=now)


@transaction.atomic
def transfer(user, item: SpareItem, source: Warehouse, target: Warehouse, quantity: int, *, note: str = "",
             now: dt.datetime | None = None) -> tuple[StockEntry, StockEntry]:
    require(user, "spares.stock")
    if source.pk == target.pk:
        raise ValidationError({"target": _("调出和调入库房不能相同")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("数量应大于 0")})
    with set_actor(user):
        out = post_entry(user, item, source, EntryKind.TRANSFER_OUT, -quantity, note=note, now=now)
        into = post_entry(user, item, target, EntryKind.TRANSFER_IN, quantity, note=note, now=now)
    return out, into


@transaction.atomic
def stocktake(user, item: SpareItem, warehouse: Warehouse, counted: int, *, note: str = "",
              now: dt.datetime | None = None) -> StockEntry | None:
    """A count: the difference to the ledger is booked as its own entry (None when they agree)."""
    require(user, "spares.stock")
    if counted < 0:
        raise ValidationError({"counted": _("盘点数量不能为负")})
    item = locked_item(item)
    difference = counted - balance_of(item, warehouse)
    if difference == 0:
        return None
    with set_actor(user):
        return post_entry(user, item, warehouse, EntryKind.STOCKTAKE, difference,
                          note=note or _("盘点实有 %(counted)s") % {"counted": counted}, now=now)


@transaction.atomic
def set_price(user, item: SpareItem, unit_price: Decimal | None) -> SpareItem:
    """The bureau enters the unit price the settlement uses."""
    require(user, "spares.set_price")
    if unit_price is not None and unit_price < 0:
        raise ValidationError({"unit_price": _("单价不能为负")})
    item.unit_price = unit_price
    with set_actor(user):
        item.full_clean()
        item.save(update_fields=["unit_price"])
    return item


# ---------------------------------------------------------------- Excel import of items

ITEM_FIELDS = ("name", "model", "spec", "unit", "unit_price", "cap_year", "cap", "minimum_stock", "source")


@transaction.atomic
def import_items_workbook(user, content: bytes) -> dict:
    """Create or update items from the items sheet; every bad cell is reported and nothing is changed."""
    require(user, "spares.edit_items")
    workbook = open_workbook(content)
    problems: list[Problem] = []
    rows = ITEM_SHEET.read(workbook, problems)
    systems = {s.row_no: s for s in scoped(System.objects.all(), user)}
    staged = []
    for number, record in rows:
        row_no = record.pop("system_row", None)
        system = systems.get(row_no)
        if row_no is not None and system is None:
            problems.append(Problem(ITEM_SHEET.title, number, "系统序号",
                                    _("没有序号为 %(row)s 的系统") % {"row": row_no}))
            continue
        for field, header in (("cap", "数量上限"), ("minimum_stock", "最低库存"), ("cap_year", "年度")):
            if record.get(field) is not None and record[field] < 0:
                problems.append(Problem(ITEM_SHEET.title, number, header, _("不能为负")))
        if record.get("unit_price") is not None and record["unit_price"] < 0:
            problems.append(Problem(ITEM_SHEET.title, number, _("单价（元）"), _("不能为负")))
        staged.append((number, system, record))
    if problems:
        raise WorkbookInvalid(problems)
    created = updated = 0
    with set_actor(user):
        for number, system, record in staged:
            year = record.get("cap_year") or 2026
            item = SpareItem.objects.filter(system=system, cap_year=year, name=record["name"],
                                            model=record.get("model") or "").first()
            made = item is None
            item = item or SpareItem(system=system, cap_year=year, name=record["name"], model=record.get("model") or "")
            for field in ITEM_FIELDS:
                setattr(item, field, record.get(field))
            item.cap_year, item.unit = year, item.unit or "台"
            item.minimum_stock = item.minimum_stock or 0
            item.spec, item.source = item.spec or "", item.source or ""
            try:
                item.full_clean(validate_unique=False)
            except ValidationError as error:
                problems.extend(Problem(ITEM_SHEET.title, number, field, "; ".join(messages))
                                for field, messages in error.message_dict.items())
                continue
            item.save()
            created += made
            updated += not made
    if problems:
        transaction.set_rollback(True)
        raise WorkbookInvalid(problems)
    return {"created": created, "updated": updated}
