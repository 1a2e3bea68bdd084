"""End-of-term hand-over: checklists derived from the tender (row 67 backs up its source code), items handed
over by the contractor and confirmed by the unit (the spare stock list by the supervisor first), credentials
never stored, progress for the bureau, and a refusal that opens the 0.5 % penalty."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tongyun.catalog.models import System
from tongyun.contracts import services as contract_services
from tongyun.handover import selectors, services
from tongyun.handover.models import Checklist, Item
from tongyun.parties.models import User
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.selectors import signoff_for

DAY = dt.date(2026, 12, 31)


@pytest.fixture
def opened(db, user_of):
    bureau = user_of("bureau_admin")
    assert services.open_checklists(bureau) == System.objects.count()
    assert services.open_checklists(bureau) == 0  # idempotent
    return bureau


def unit_admin_of(system):
    return User.objects.filter(role="unit_admin", organisation=system.unit).order_by("pk").first()


def kinds(system):
    return {i.kind: i for i in Item.objects.filter(checklist__system=system)}


def test_the_checklist_follows_the_tender_rows(opened):
    row67 = System.objects.get(row_no=67)
    items = kinds(row67)
    # row 67: "1.定期给甲方备份相关系统数据及源代码。" (L13803) — data and source code; it has field devices
    assert set(items) == {"documents", "accounts", "running", "assets", "spares", "data_backup", "source_backup"}
    assert items["source_backup"].source_lines == "L13803"
    assert "源代码" in items["source_backup"].source_quote
    assert items["accounts"].judgement and items["accounts"].source_lines == "L28687–L28689"
    # row 1 (software on the government cloud, hardware "无"): no asset or spare list, no source code
    assert set(kinds(System.objects.get(row_no=1))) <= {"documents", "accounts", "running", "data_backup"}
    # only row 67 names source code in the whole table
    assert list(Item.objects.filter(kind="source_backup").values_list("checklist__system__row_no", flat=True)) == [67]


def test_accounts_are_confirmed_by_the_unit_and_no_password_is_stored(opened, user_of):
    system = System.objects.get(row_no=67)
    pm, unit = user_of("pm"), unit_admin_of(system)
    accounts = kinds(system)["accounts"]
    with pytest.raises(PermissionDenied):
        services.hand_over(unit, accounts, handed_over_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.hand_over(pm, accounts, handed_over_on=DAY, account_count=3)
    assert "channel" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.hand_over(pm, accounts, handed_over_on=DAY, channel="sealed", account_count=3,
                           detail="管理员 admin 密码：Sy@2026")
    assert "detail" in error.value.message_dict
    accounts.refresh_from_db()
    assert accounts.state == "pending" and accounts.detail == ""  # nothing kept of the refused attempt
    services.hand_over(pm, accounts, handed_over_on=DAY, channel="sealed", account_count=3, detail="密封件 1 份")
    assert accounts.state == "awaiting"
    with pytest.raises(ValidationError):  # handed over already
        services.hand_over(pm, accounts, handed_over_on=DAY, channel="sealed", account_count=3)
    signoff = signoff_for(accounts, "handover.item")
    with pytest.raises(Http404):  # another unit's administrator does not even see it
        signoffs.decide(user_of("unit_admin_education"), signoff, "approve")
    signoffs.decide(unit, signoff, "approve", comment="已收到并修改口令")
    accounts.refresh_from_db()
    assert accounts.state == "confirmed"
    assert not any(f.name in ("password", "secret", "credential") for f in Item._meta.get_fields())


def test_the_spare_stock_list_goes_to_the_supervisor_then_the_unit_and_may_come_back(opened, user_of):
    system = System.objects.get(row_no=67)
    pm, unit, supervisor = user_of("pm"), unit_admin_of(system), user_of("supervisor")
    spares = kinds(system)["spares"]
    services.hand_over(pm, spares, handed_over_on=DAY, detail="库存清单 1 份")
    first = signoff_for(spares, "handover.spares")
    with pytest.raises(PermissionDenied):  # the supervisor confirms first (RD-07: 经监理确认)
        signoffs.decide(unit, first, "approve")
    signoffs.decide(supervisor, first, "reject", comment="数量与台账不符")
    spares.refresh_from_db()
    assert spares.state == "returned"
    services.hand_over(pm, spares, handed_over_on=DAY, detail="更正后的库存清单")
    second = signoff_for(spares, "handover.spares")
    assert second.version == 2 and second.supersedes_id == first.pk
    second = signoffs.decide(supervisor, second, "approve")
    signoffs.decide(unit, second, "approve")
    spares.refresh_from_db()
    assert spares.state == "confirmed"


def test_progress_for_the_bureau_and_for_a_unit(opened, user_of):
    system = System.objects.get(row_no=67)
    pm, unit = user_of("pm"), unit_admin_of(system)
    documents = kinds(system)["documents"]
    services.hand_over(pm, documents, handed_over_on=DAY, detail="技术文档 3 册")
    signoffs.decide(unit, signoff_for(documents, "handover.item"), "approve")
    district = selectors.progress(opened)
    assert district["systems"] == System.objects.count() and district["confirmed"] == 1
    assert district["items"] == Item.objects.count() == district["pending"] + district["awaiting"] + 1
    own = selectors.progress(unit)
    assert own["systems"] == System.objects.filter(unit=system.unit).count() and own["confirmed"] == 1
    assert [u["unit_id"] for u in own["units"]] == [system.unit_id]
    row = selectors.checklist_list(unit).get(system=system)
    assert (row.total, row.confirmed, row.pending) == (7, 1, 6)
    assert selectors.checklist_list(opened, {"state": "open"}).filter(system=system).exists()


def test_a_refusal_recorded_by_the_bureau_opens_the_half_percent_penalty(opened, user_of):
    contract_services.save_contract(opened, **{**contract_services.DEFAULT_CONTRACT, "price": Decimal("8000000")})
    checklist = Checklist.objects.get(system__row_no=67)
    source = kinds(checklist.system)["source_backup"]
    with pytest.raises(PermissionDenied):
        services.record_obstruction(user_of("supervisor"), checklist, occurred_on=DAY, description="x")
    with pytest.raises(ValidationError):
        services.record_obstruction(opened, checklist, occurred_on=DAY, description=" ")
    record = services.record_obstruction(opened, checklist, occurred_on=DAY, item=source,
                                         description="拒不提供源代码备份")
    penalty = record.penalty
    # 0.5 % of 8,000,000 = 40,000.00, category hand-over, for the bureau's decision (sign-off contracts.penalty)
    assert (penalty.category, penalty.rate_percent, penalty.amount) == ("handover", Decimal("0.5"),
                                                                        Decimal("40000.00"))
    assert penalty.state == "proposed" and penalty.system_id == checklist.system_id
    signoffs.decide(opened, signoff_for(penalty, "contracts.penalty"), "approve")
    penalty.refresh_from_db()
    assert penalty.state == "imposed"
