"""供电与通信: the tender's links, a year of electricity bills with checks by the unit, the settlement fact,
Excel import with row-level errors, and the API."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.core.excel import WorkbookInvalid
from tongyun.parties.models import User
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs import services as signoffs
from tongyun.utilities import selectors, services
from tongyun.utilities.models import ElectricityBill, NetworkLink, SupplyPoint


@pytest.fixture
def row29(db):
    return System.objects.get(row_no=29)


@pytest.fixture
def unit_admin_29(row29):
    return User.objects.filter(organisation=row29.unit, role="unit_admin").order_by("username").first()


@pytest.fixture
def point(row29, user_of):
    return services.create_supply_point(user_of("pm"), system_id=row29.pk, name="非现场执法前端 A 区",
                                        account_number="0101234567", address="顺义区府前街")


def _check(user, bill, decision="approve", comment=""):
    signoffs.decide(user, signoff_selectors.signoff_for(bill, services.BILL_CHECK), decision, comment=comment)


def test_the_tender_links_are_seeded_with_their_counts_and_lines(row29):
    assert services.seed_tender_links() > 0
    assert services.seed_tender_links() == 0  # idempotent
    links = {(link.kind, link.count) for link in NetworkLink.objects.filter(system=row29)}
    assert links == {("fibre", 125), ("wireless", 640)}  # L7451: 125 条光纤链路与 640 条无线链路
    iot = NetworkLink.objects.get(system__row_no=74, kind="iot_card")
    assert iot.count == 823 and iot.source_line == 15024
    assert NetworkLink.objects.get(system__row_no=66).paid_by_contractor  # 负责交纳 69 个观测站…通信费用


def test_a_year_of_bills_with_one_month_missing_and_the_fact_equals_their_sum(row29, point, user_of, unit_admin_29):
    pm = user_of("pm")
    amounts = {}
    for month in range(1, 13):
        if month == 7:
            continue  # July's bill was never entered
        amounts[month] = Decimal("1000.00") + month
        bill = services.record_bill(pm, point, month=dt.date(2026, month, 1), kwh=Decimal("1500") + month,
                                    amount=amounts[month])
        if month != 12:
            _check(unit_admin_29, bill)
    checks = selectors.bill_checks(pm, row29.pk, 2026, today=dt.date(2027, 1, 10))
    assert [c["missing"] for c in checks] == [[dt.date(2026, 7, 1)]]
    assert checks[0]["total"] == sum(amounts.values())
    # the settlement reads the checked bills through the facts registry
    yearly = sum((facts.values("electricity.amount", [row29.pk], dt.date(2026, m, 1))[row29.pk] or 0)
                 for m in range(1, 13))
    assert yearly == sum(v for m, v in amounts.items() if m != 12)
    assert facts.values("electricity.amount", [row29.pk], dt.date(2026, 7, 1)) == {row29.pk: None}  # missing
    assert facts.values("electricity.amount", [row29.pk], dt.date(2026, 12, 1)) == {row29.pk: None}  # unchecked
    other = System.objects.get(row_no=1)
    assert facts.values("electricity.amount", [other.pk], dt.date(2026, 3, 1)) == {other.pk: None}


def test_a_rejected_bill_is_corrected_and_checked_again(point, user_of, unit_admin_29, row29):
    pm = user_of("pm")
    bill = services.record_bill(pm, point, month=dt.date(2026, 3, 1), kwh=Decimal("100"), amount=Decimal("900"))
    with pytest.raises(ValidationError):
        services.correct_bill(pm, bill, kwh=Decimal("100"), amount=Decimal("90"))  # not returned by the unit
    _check(unit_admin_29, bill, "reject", "金额与国网账单不符")
    assert facts.values("electricity.amount", [row29.pk], dt.date(2026, 3, 1)) == {row29.pk: None}
    services.correct_bill(pm, bill, kwh=Decimal("100"), amount=Decimal("90.00"))
    _check(unit_admin_29, bill)
    assert facts.values("electricity.amount", [row29.pk], dt.date(2026, 3, 1)) == {row29.pk: Decimal("90.00")}


def test_unusual_consumption_and_duplicate_months(point, user_of, row29):
    pm = user_of("pm")
    for month, kwh in [(1, 1000), (2, 1010), (3, 990), (4, 2600)]:
        services.record_bill(pm, point, month=dt.date(2026, month, 1), kwh=Decimal(kwh), amount=Decimal(kwh))
    with pytest.raises(ValidationError) as error:
        services.record_bill(pm, point, month=dt.date(2026, 4, 15), kwh=Decimal("1"), amount=Decimal("1"))
    assert "month" in error.value.message_dict
    checks = selectors.bill_checks(pm, row29.pk, 2026, today=dt.date(2026, 5, 3))
    assert [m for m, _kwh, _usual in checks[0]["unusual"]] == [dt.date(2026, 4, 1)]


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "电费账单"
    sheet.append(["户号", "账期", "用电量（kWh）", "金额（元）", "缴费日期", "备注"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_bad_workbook_names_each_problem_and_changes_nothing(point, user_of):
    pm = user_of("pm")
    bad = _workbook([["0101234567", "2026-01", 100, 80, None, ""],
                     ["9999999999", "2026-02", 100, 80, None, ""],
                     ["0101234567", "2026-13", 100, 80, None, ""],
                     ["0101234567", "2026-03", 100, -5, None, ""],
                     ["0101234567", "2026-01", 100, 80, None, "重复"]])
    with pytest.raises(WorkbookInvalid) as error:
        services.import_bills(pm, bad)
    problems = {(p.row, p.column) for p in error.value.problems}
    assert problems == {(3, "户号"), (4, "账期"), (5, "金额（元）"), (6, "账期")}
    assert not ElectricityBill.objects.exists()
    good = _workbook([["0101234567", "2026-01", 100, 80, "2026-02-05", ""], ["0101234567", "2026年2月", 90, 70]])
    assert services.import_bills(pm, good) == 2
    assert sorted(ElectricityBill.objects.values_list("month", flat=True)) == [dt.date(2026, 1, 1),
                                                                               dt.date(2026, 2, 1)]


def test_the_pages_show_the_missing_month(point, user_of, client_as, row29):
    pm = user_of("pm")
    for month in (1, 3):
        services.record_bill(pm, point, month=dt.date(2026, month, 1), kwh=Decimal("10"), amount=Decimal("8"))
    page = client_as("pm").get(f"/utilities/bills/?system={row29.pk}&year=2026").content.decode()
    assert 'data-testid="missing-months"' in page and "2026-02" in page
    response = client_as("pm").get("/utilities/bills/export/?year=2026")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["电费账单"].max_row == 3
    assert client_as("unit_admin_education").get("/utilities/bills/").status_code == 200


def test_api_records_a_bill_and_refuses_unknown_fields(point, client, api_as, user_of):
    headers = api_as("pm")
    body = {"supply_point_id": point.pk, "month": "2026-05-20", "kwh": "321.5", "amount": "250.40"}
    refused = client.post("/api/v1/utilities/bills", {**body, "approved": True}, content_type="application/json",
                          headers=headers)
    assert refused.status_code == 422 and "approved" in refused.content.decode()
    created = client.post("/api/v1/utilities/bills", body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    assert created.json()["month"] == "2026-05-01" and created.json()["check_state"] == "pending"
    assert SupplyPoint.objects.get().bills.count() == 1
    # a unit cannot record bills
    unit = client.post("/api/v1/utilities/bills", {**body, "month": "2026-06-01"}, content_type="application/json",
                       headers=api_as("unit_admin_education"))
    assert unit.status_code in (403, 404)
    assert SupplyPoint.objects.get().bills.count() == 1
