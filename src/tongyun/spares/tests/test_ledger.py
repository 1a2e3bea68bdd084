"""The cap tables from the tender, the stock ledger, equal-value substitution, settlement and facts."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs
from tongyun.spares import replacements, selectors, services, substitutions
from tongyun.spares.choices import EntryKind, SubstitutionState
from tongyun.spares.models import MonthlyUse, SpareItem, StockEntry, Warehouse
from tongyun.spares.seed import load_tender_spares

pytestmark = pytest.mark.django_db
TENDER = "docs/tender/000_78531836804d5cc0.txt"


def test_row_23_cap_table_is_loaded_from_the_tender(seeded_spares, row23):
    items = {i.name: i for i in SpareItem.objects.filter(system=row23)}
    assert {name: item.cap for name, item in items.items()} == {
        "智慧社区车辆卡口摄像机": 46, "补光灯": 46, "多功能设备": 110, "社区人脸抓拍机": 70, "智慧门禁设备": 5,
        "NVR 硬盘录像机": 5, "硬盘": 350}
    assert items["硬盘"].unit == "块" and items["硬盘"].model == "HK728TAH"
    assert all(item.cap_year == 2026 for item in items.values())
    # each item keeps its source lines, and its parameter text is the tender's
    with open(TENDER, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    camera = items["智慧社区车辆卡口摄像机"]
    assert (camera.source_line_start, camera.source_line_end) == (27715, 27810)
    assert "46 台" in lines[27796 - 1]
    assert "支持 35114 A 级加密" in camera.spec and "IP66" in camera.spec and "电源输入" in camera.spec
    assert "序号 名称 参数 数量" not in camera.spec
    assert "HK728TAH" in lines[items["硬盘"].source_line_start - 1]
    assert load_tender_spares() == 0  # idempotent


def test_row_29_caps_and_yearly_minimums_and_row_66_minimums(seeded_spares):
    row29 = {i.name: i for i in SpareItem.objects.filter(system__row_no=29)}
    assert {n: (i.cap, i.minimum_stock, i.yearly_minimums["2027"]) for n, i in row29.items()} == {
        "黄闪灯": (24, 24, 41), "蓄电池": (30, 30, 50), "高清抓拍单元": (3, 3, 5), "违停抓拍单元": (27, 27, 45),
        "交通终端服务器": (30, 30, 50), "补光灯": (6, 6, 10)}
    row66 = SpareItem.objects.filter(system__row_no=66)
    assert sorted((i.model, i.cap, i.minimum_stock) for i in row66) == [("255 型", None, 10), ("HT V550W", None, 10)]
    assert Warehouse.objects.get().in_shunyi


def test_stock_is_derived_from_ten_thousand_ledger_rows(camera, seeded_spares, user_of):
    other = Warehouse.objects.create(name="顺义第二库房")
    pm = user_of("pm")
    rng = random.Random(10)
    balances = {seeded_spares.pk: 0, other.pk: 0}
    rows = []
    at = timezone.now()
    for n in range(10_000):
        warehouse = seeded_spares if n % 3 else other
        quantity = rng.randint(1, 5) if balances[warehouse.pk] < 5 or rng.random() < 0.55 else -rng.randint(1, 5)
        balances[warehouse.pk] += quantity
        rows.append(StockEntry(item=camera, warehouse=warehouse, kind=EntryKind.RECEIPT if quantity > 0
                               else EntryKind.TRANSFER_OUT, quantity=quantity, balance=balances[warehouse.pk],
                               at=at, actor=pm))
    StockEntry.objects.bulk_create(rows, batch_size=2000)
    total = sum(r.quantity for r in rows)
    assert selectors.stock([camera]) == {camera.pk: total} == {camera.pk: selectors.stock_by_sum(camera)}
    # a posted movement continues from the ledger's balance
    services.record_movement(pm, camera, other, EntryKind.RECEIPT, 7)
    assert selectors.stock([camera])[camera.pk] == total + 7 == selectors.stock_by_sum(camera)
    assert dict((w.pk, b) for w, b in selectors.stock_by_warehouse(camera))[other.pk] == balances[other.pk] + 7


def test_movements_transfers_and_stocktakes(camera, seeded_spares, user_of):
    pm = user_of("pm")
    other = Warehouse.objects.create(name="临时库")
    services.record_movement(pm, camera, seeded_spares, EntryKind.RECEIPT, 5)
    services.transfer(pm, camera, seeded_spares, other, 2)
    with pytest.raises(ValidationError, match="库存不足"):
        services.transfer(pm, camera, other, seeded_spares, 3)
    entry = services.stocktake(pm, camera, seeded_spares, 2, note="季度盘点")
    assert (entry.kind, entry.quantity, entry.balance) == (EntryKind.STOCKTAKE, -1, 2)
    assert services.stocktake(pm, camera, seeded_spares, 2) is None
    assert selectors.stock([camera])[camera.pk] == 4 == selectors.stock_by_sum(camera)
    with pytest.raises(PermissionDenied):
        services.record_movement(user_of("unit_admin_police"), camera, seeded_spares, EntryKind.RECEIPT, 1)
    with pytest.raises(ValidationError):
        services.record_movement(pm, camera, seeded_spares, EntryKind.ISSUE, 1)  # issues only via a replacement


def test_the_balance_can_never_go_negative_even_without_the_lock(camera, seeded_spares, user_of):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StockEntry.objects.create(item=camera, warehouse=seeded_spares, kind=EntryKind.TRANSFER_OUT, quantity=-1,
                                  balance=-1, at=timezone.now(), actor=user_of("pm"))


def _priced(system, name, price):
    item = SpareItem.objects.get(system=system, name=name)
    item.unit_price = Decimal(price)
    item.save()
    return item


def test_equal_value_substitution_to_the_fen(seeded_spares, row23, user_of):
    nvr = _priced(row23, "NVR 硬盘录像机", "3000.10")    # 5 × 3000.10 = 15000.50
    disk = _priced(row23, "硬盘", "1000.05")             # 15 × 1000.05 = 15000.75
    light = _priced(row23, "补光灯", "500.05")           # 30 × 500.05 = 15001.50
    door = _priced(row23, "智慧门禁设备", "7500.25")     # 2 × 7500.25 = 15000.50
    pm = user_of("pm")
    with pytest.raises(ValidationError, match="相差 0.25 元"):
        substitutions.propose_substitution(pm, nvr, 5, disk, 15)
    nvr.unit_price = Decimal("3000.11")  # 5 × 3000.11 = 15000.55 against 15000.54: one fen apart
    nvr.save()
    door.unit_price = Decimal("7500.27")
    door.save()
    with pytest.raises(ValidationError, match="相差 0.01 元"):
        substitutions.propose_substitution(pm, nvr, 5, door, 2)
    with pytest.raises(ValidationError, match="未使用的数量只有 5"):
        substitutions.propose_substitution(pm, nvr, 6, light, 1)
    nvr.unit_price, door.unit_price = Decimal("3000.10"), Decimal("7500.25")
    nvr.save()
    door.save()
    substitution = substitutions.propose_substitution(pm, nvr, 5, door, 2, reason="NVR 未用，门禁损坏多")
    assert substitution.total == Decimal("15000.50") and substitution.state == SubstitutionState.PENDING
    before = {r.item.pk: r.effective_cap for r in selectors.settlement([nvr, door])}
    signoff = signoff_selectors.signoff_for(substitution, substitutions.SUBSTITUTION_FLOW)
    with pytest.raises(PermissionDenied):
        signoffs.decide(user_of("supervisor"), signoff, "approve")
    signoffs.decide(user_of("unit_admin_police"), signoff, "approve", comment="同意等价替换")
    substitution.refresh_from_db()
    assert substitution.state == SubstitutionState.AGREED
    after = {r.item.pk: r.effective_cap for r in selectors.settlement([nvr, door])}
    assert (before[nvr.pk], after[nvr.pk], before[door.pk], after[door.pk]) == (5, 0, 5, 7)


def test_settlement_and_the_used_value_fact(camera, seeded_spares, working_incident, user_of, row23):
    services.record_movement(user_of("pm"), camera, seeded_spares, EntryKind.RECEIPT, 3)
    now = timezone.now()
    for _n in range(2):
        replacement = replacements.request_replacement(user_of("engineer"), working_incident(), camera, reason="坏")
        signoff = signoff_selectors.signoff_for(replacement, replacements.REPLACEMENT_FLOW)
        signoffs.decide(user_of("unit_admin_police"), signoff, "approve")
        signoffs.decide(user_of("supervisor"), signoff, "approve")
        replacements.issue(user_of("engineer"), replacement, seeded_spares, removal_reason="坏", location="x",
                           kept_at="库", now=now)
    row = next(r for r in selectors.settlement(selectors.item_list(user_of("pm"), {"system": row23.pk}))
               if r.item.pk == camera.pk)
    assert (row.cap, row.used, row.remaining, row.stock, row.used_value) == (46, 2, 44, 1, Decimal("7999.98"))
    month = timezone.localdate(now).replace(day=1)
    other = System.objects.get(row_no=1)
    values = facts.values("spares.used_value", [row23.pk, other.pk], month)
    assert values == {row23.pk: Decimal("7999.98"), other.pk: None}  # row 1 has no spare items: not measured
    assert facts.values("spares.used_quantity", [row23.pk], month) == {row23.pk: 2}
    assert facts.values("spares.used_value", [row23.pk], month.replace(year=month.year - 1)) == {
        row23.pk: Decimal("0.00")}
    # the monthly totals the writer keeps agree with the ledger, and a rebuild from it gives the same rows
    assert selectors.used_quantities([camera])[camera.pk] == selectors.used_by_sum(camera) == 2
    kept = list(MonthlyUse.objects.filter(item=camera).values_list("month", "quantity"))
    assert kept == [(month, 2)]
    MonthlyUse.objects.filter(item=camera).update(quantity=99)
    services.rebuild_monthly_use([camera.pk])
    assert list(MonthlyUse.objects.filter(item=camera).values_list("month", "quantity")) == kept
    # an unpriced item that was used makes the month's value unmeasurable, never a wrong number
    camera.unit_price = None
    camera.save()
    assert facts.values("spares.used_value", [row23.pk], month) == {row23.pk: None}


def test_low_stock_is_on_the_pms_work_list(seeded_spares, user_of):
    from tongyun.core.worklist import items_for

    titles = [item.title for item in items_for(user_of("pm"))]
    assert any("低于最低库存" in t for t in titles)
    assert not any("低于最低库存" in t for t in (i.title for i in items_for(user_of("unit_admin_police"))))


def test_only_the_bureau_sets_prices(camera, user_of):
    with pytest.raises(PermissionDenied):
        services.set_price(user_of("pm"), camera, Decimal("1.00"))
    services.set_price(user_of("bureau_admin"), camera, Decimal("12.34"))
    camera.refresh_from_db()
    assert camera.unit_price == Decimal("12.34")


def test_years_in_use_and_money_rules():
    from tongyun.domain import spares as rules

    assert rules.total(Decimal("0.1"), 3) == Decimal("0.30")
    assert rules.equal_value(Decimal("0.10"), 3, Decimal("0.30"), 1)[0]
    assert not rules.equal_value(Decimal("0.10"), 3, Decimal("0.31"), 1)[0]
    assert rules.years_between(dt.date(2021, 6, 1), dt.date(2026, 6, 1)) == Decimal("5.0")
    position = rules.CapPosition(cap=10, substituted_in=2, substituted_out=1, used=6, committed=3)
    assert (position.effective_cap, position.remaining, position.available, position.exceeded_by(3)) == (11, 5, 2, 1)
    assert rules.CapPosition(cap=None, substituted_in=0, substituted_out=0, used=9, committed=0).exceeded_by(99) == 0
