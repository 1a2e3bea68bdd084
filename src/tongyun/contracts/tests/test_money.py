"""A worked month from facts to a signed record, objections, rule versions, pro-rata fees, payments,
penalties, settlement and the fee workbook — numbers checked by hand in the comments."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.catalog import services as catalog_services
from tongyun.contracts import evaluations, selectors, services
from tongyun.contracts.models import Evaluation, Memorandum, SystemFee
from tongyun.contracts.templates import DISTRICT_TEMPLATE
from tongyun.core import excel, facts
from tongyun.incidents.models import Incident
from tongyun.signoffs import services as signoffs
from tongyun.signoffs.selectors import signoff_for

SH = ZoneInfo("Asia/Shanghai")
UNIT = "区教委"
# the repair rules of the district template and the manual satisfaction item
RULES = [r for r in DISTRICT_TEMPLATE if r["indicator"] in
         ("incidents.repair_met_pct", "incidents.repair_breaches_general", "manual")]


@pytest.fixture
def setup(db, user_of, system_of):
    bureau = user_of("bureau_admin")
    contract = services.save_contract(bureau, **{**services.DEFAULT_CONTRACT, "price": Decimal("10000000")})
    system = system_of(UNIT)
    system.service_start, system.service_end = dt.date(2026, 1, 1), None
    system.save(update_fields=["service_start", "service_end"])
    services.set_fee(bureau, contract, system, Decimal("120000"))
    return {"contract": contract, "system": system, "bureau": bureau, "unit": user_of("unit_admin_education"),
            "pm": user_of("pm")}


def sign_all(signoff, *users):
    for user in users:
        signoff = signoffs.decide(user, signoff, "approve")
    return signoff


def in_force(s, month=dt.date(2026, 1, 1), template=RULES):
    memo = evaluations.propose_memorandum(s["unit"], s["system"], effective_month=month, template=template)
    evaluations.submit_memorandum(s["unit"], memo)
    sign_all(signoff_for(memo, "contracts.memorandum"), s["unit"], s["pm"], s["bureau"])
    memo.refresh_from_db()
    assert memo.state == "in_force"
    return memo


def incident(system, severity, reported, repair_hours_late=None, arrival_late=False):
    reported_at = dt.datetime(*reported, tzinfo=SH)
    due = reported_at + dt.timedelta(hours=4)
    return Incident.objects.create(
        system=system, title="t", severity=severity, state="resolved", reported_at=reported_at,
        repair_due=due, resolved_at=due + dt.timedelta(hours=repair_hours_late) if repair_hours_late else due,
        arrival_due=reported_at + dt.timedelta(hours=1),
        arrived_at=reported_at + dt.timedelta(hours=3 if arrival_late else 0.5))


def items_by_indicator(evaluation):
    return {i.indicator: i for i in evaluation.items.all()}


def test_a_worked_month_from_facts_to_the_signed_record(setup):
    s = setup
    in_force(s)
    for day in (3, 10, 17):  # three 一般 repairs late
        incident(s["system"], "general", (2026, 3, day, 10), repair_hours_late=2)
    incident(s["system"], "minor", (2026, 3, 20, 10))  # on time
    incident(s["system"], "general", (2026, 4, 2, 10), repair_hours_late=1)  # April: not this month

    evaluation = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    items = items_by_indicator(evaluation)
    # March fee: 120000 × 31 / 365 = 10191.78
    assert items["incidents.repair_breaches_general"].monthly_fee == Decimal("10191.78")
    # 3 breaches × 200 = 600 (cap 2000 not reached)
    assert items["incidents.repair_breaches_general"].fact_value == 3
    assert items["incidents.repair_breaches_general"].amount == Decimal("600.00")
    # repair met 1 of 4 = 25.0 % < 95 % → 3 % of 10191.78 = 305.75
    assert items["incidents.repair_met_pct"].fact_value == 25.0
    assert items["incidents.repair_met_pct"].amount == Decimal("305.75")
    # satisfaction is a manual item: not measured, nothing deducted until the unit enters it
    assert not items["manual"].measured and items["manual"].amount == 0

    # the unit enters satisfaction 85 (< 90 → 5 points) and the contractor sees it
    evaluations.adjust_item(s["unit"], items["manual"], manual_value=Decimal(85))
    with pytest.raises(ValidationError):  # departing from the pre-fill needs a reason
        evaluations.adjust_item(s["unit"], items["incidents.repair_met_pct"], amount=Decimal(100))
    evaluations.publish(s["unit"], evaluation)
    assert evaluation.objection_due_at > evaluation.published_at

    # objections: one accepted (a breach was waiting for the user: 600 → 400), one rejected then mediated
    accepted = evaluations.raise_objection(s["pm"], items["incidents.repair_breaches_general"],
                                           text="第三次为用户原因", requested_amount=Decimal(400))
    rejected = evaluations.raise_objection(s["pm"], items["incidents.repair_met_pct"], text="不认可",
                                           requested_amount=Decimal(0))
    with pytest.raises(PermissionDenied):
        evaluations.decide_objection(s["pm"], accepted, accepted=True, reason="x")
    evaluations.decide_objection(s["unit"], accepted, accepted=True, reason="核实属实")
    evaluations.decide_objection(s["unit"], rejected, accepted=False, reason="证据不足")
    with pytest.raises(ValidationError):  # an escalated objection is pending: no signature yet
        evaluations.escalate(s["pm"], rejected)
        evaluations.start_signing(s["unit"], evaluation)
    evaluations.mediate(s["bureau"], rejected, accepted=False, reason="维持单位意见")

    evaluation = selectors.evaluation_get(s["unit"], evaluation.pk)
    summary = selectors.evaluation_summary(evaluation)
    # 400 + 305.75 = 705.75; score 100 − 5 = 95
    assert summary["amount"] == Decimal("705.75")
    assert summary["systems"][0]["score"] == Decimal(95)

    evaluations.start_signing(s["unit"], evaluation)
    signoff = signoff_for(evaluation, "contracts.evaluation")
    assert signoff.due_at is not None
    with pytest.raises(PermissionDenied):  # the bureau signs last
        signoffs.decide(s["bureau"], signoff, "approve")
    sign_all(signoff, s["unit"], s["pm"], s["bureau"])
    evaluation.refresh_from_db()
    assert evaluation.state == "signed"
    with pytest.raises(ValidationError):  # signed: immutable
        evaluations.adjust_item(s["unit"], items["incidents.repair_met_pct"], amount=Decimal(0), reason="x")

    # a late change of the data shows as "facts changed", the signed record keeps its snapshot
    assert selectors.facts_changed(evaluation) == []
    incident(s["system"], "general", (2026, 3, 25, 10), repair_hours_late=3)
    changed = {c["item"].indicator: c for c in selectors.facts_changed(evaluation)}
    assert changed["incidents.repair_breaches_general"]["then"] == 3
    assert changed["incidents.repair_breaches_general"]["now"] == 4
    # a correction is a new version, pre-filled from today's facts; the old one is kept
    fresh = evaluations.new_version(s["unit"], evaluation, reason="补录故障")
    assert fresh.version == 2 and Evaluation.objects.get(pk=evaluation.pk).state == "superseded"
    assert items_by_indicator(fresh)["incidents.repair_breaches_general"].amount == Decimal("800.00")


def test_unregistered_facts_are_not_measured_never_zero(setup):
    in_force(setup, template=DISTRICT_TEMPLATE)
    evaluation = evaluations.prefill(setup["unit"], setup["system"].unit, dt.date(2026, 2, 1))
    items = items_by_indicator(evaluation)
    assert not facts.is_registered("spares.ledger_complete") or items["spares.ledger_complete"].measured
    if not facts.is_registered("spares.ledger_complete"):
        assert items["spares.ledger_complete"].fact_value is None and items["spares.ledger_complete"].amount == 0
    # no incidents in February: counts are 0 (measured), rates are not measured
    assert items["incidents.repair_breaches_general"].fact_value == 0
    assert items["incidents.repair_met_pct"].fact_value is None and not items["incidents.repair_met_pct"].measured


def test_a_rule_change_applies_from_its_effective_month(setup):
    s = setup
    in_force(s)
    for month in (3, 4):
        incident(s["system"], "general", (2026, month, 5, 10), repair_hours_late=1)
    march = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    v2 = evaluations.propose_memorandum(s["unit"], s["system"], effective_month=dt.date(2026, 4, 1))
    rule = v2.rules.get(indicator="incidents.repair_breaches_general")
    evaluations.save_rule(s["unit"], v2, rule, value=Decimal(300))
    evaluations.save_rule(s["unit"], v2, None, indicator="manual", label="值班记录完整", comparison="lt",
                          threshold=Decimal(1), mode="once", consequence="amount", value=Decimal(100))
    evaluations.submit_memorandum(s["unit"], v2)
    sign_all(signoff_for(v2, "contracts.memorandum"), s["unit"], s["pm"], s["bureau"])
    april = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 4, 1))
    assert items_by_indicator(march)["incidents.repair_breaches_general"].amount == Decimal("200.00")
    assert items_by_indicator(april)["incidents.repair_breaches_general"].amount == Decimal("300.00")
    assert any(i.label == "值班记录完整" and i.rule.custom for i in april.items.all())
    # never retroactive: a version for March, already evaluated, is refused
    with pytest.raises(ValidationError):
        evaluations.propose_memorandum(s["unit"], s["system"], effective_month=dt.date(2026, 3, 1))
    assert Memorandum.objects.filter(system=s["system"]).count() == 2


def test_a_system_shut_down_mid_year_is_paid_pro_rata(setup):
    s = setup
    catalog_services.record_system_change(s["bureau"], s["system"], kind="shutdown",
                                          effective_date=dt.date(2026, 7, 1), description="系统下线")
    adjustment = services.sync_adjustments(s["bureau"], s["contract"])[0]
    # in service 1 Jan … 30 Jun = 181 days: 120000 × 181 / 365 = 59506.849… → 59506.85
    assert adjustment.computed_fee == Decimal("59506.85")
    assert adjustment.computation == "120000.00 × 181 / 365 = 59506.85"
    assert services.sync_adjustments(s["bureau"], s["contract"]) == []  # once per change
    with pytest.raises(ValidationError):  # an override needs a reason
        services.update_adjustment(s["bureau"], adjustment, override_fee=Decimal(60000))
    services.update_adjustment(s["bureau"], adjustment, override_fee=Decimal(60000), override_reason="含迁移工作",
                               bureau_notice_on=dt.date(2026, 6, 1), unit_notice_on=dt.date(2026, 6, 2))
    fee = SystemFee.objects.get(pk=adjustment.fee_id)
    assert selectors.adjusted_fee(fee)[0] == Decimal(60000)
    with pytest.raises(PermissionDenied):
        services.sync_adjustments(s["unit"], s["contract"])


def test_payment_due_dates_on_the_2026_working_calendar(setup):
    s = setup
    contract = services.save_contract(s["bureau"], s["contract"], finance_reviewed_on=dt.date(2026, 9, 25),
                                      reviewed_amount=Decimal("9900000"))
    plan = {row["instalment"]: row for row in selectors.payment_plan(s["bureau"], contract)}
    # 30 working days after 1 Jan (1–3 Jan off, Sun 4 Jan worked): 4 Jan is day 1 … 12 Feb day 30
    assert plan[1]["due"] == dt.date(2026, 2, 12) and plan[1]["amount"] == Decimal("3000000.00")
    # after the term: 2027 is not in the calendar yet → no date rather than a wrong one
    assert plan[2]["due"] is None and plan[2]["amount"] == Decimal("4000000.00")
    # 30 working days after 25 Sep (Mid-Autumn): 28–30 Sep, National Day 1–7 Oct off, 8, 9, Sat 10 Oct worked …
    # → 12 Nov; 9900000 − 3000000 − 4000000 = 2900000
    assert plan[3]["due"] == dt.date(2026, 11, 12) and plan[3]["amount"] == Decimal("2900000.00")
    payment = plan[1]["payment"]
    with pytest.raises(ValidationError):  # no invoice, no payment
        services.mark_paid(s["bureau"], payment)
    services.record_invoice(s["bureau"], payment, number="No.0001", received_on=dt.date(2026, 2, 1))
    services.mark_paid(s["bureau"], payment, paid_on=dt.date(2026, 2, 10))
    assert selectors.payment_plan(s["bureau"], contract)[0]["state"] == "paid"
    with pytest.raises(PermissionDenied):
        selectors.payment_plan(s["unit"], contract)


def test_a_penalty_with_the_serious_case_warning(setup):
    s = setup
    incident(s["system"], "general", (2026, 3, 2, 10), arrival_late=True)
    incident(s["system"], "general", (2026, 4, 2, 10), arrival_late=True)
    case = services.record_penalty(s["unit"], s["contract"], category="capability", unit=s["system"].unit,
                                   system=s["system"], occurred_on=dt.date(2026, 4, 10), description="两次未按时到场")
    assert case.amount == Decimal("10000.00")  # 0.1 % of 10 000 000
    warnings = selectors.serious_warnings(case)
    assert len(warnings) == 1 and warnings[0].startswith("2 次未按时到场")
    signoff = signoff_for(case, "contracts.penalty")
    with pytest.raises(PermissionDenied):
        signoffs.decide(s["unit"], signoff, "approve")
    signoffs.decide(s["bureau"], signoff, "approve", comment="决定处罚")
    case.refresh_from_db()
    assert case.state == "imposed"
    handover = services.record_penalty(s["bureau"], s["contract"], category="handover", unit=s["system"].unit,
                                       occurred_on=dt.date(2026, 12, 31), description="拒绝移交")
    assert handover.amount == Decimal("50000.00") and selectors.serious_warnings(handover) == []


def test_settlement_totals_are_the_sum_of_their_parts(setup, system_of, client_as, api_as, client):
    s = setup
    other = s["system"].unit.systems.exclude(pk=s["system"].pk).order_by("row_no").first()
    other.service_start, other.service_end = dt.date(2026, 1, 1), None
    other.save(update_fields=["service_start", "service_end"])
    services.set_fee(s["bureau"], s["contract"], other, Decimal("36500"))
    in_force(s)
    incident(s["system"], "general", (2026, 3, 3, 10), repair_hours_late=2)
    evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    case = services.record_penalty(s["bureau"], s["contract"], category="capability", unit=s["system"].unit,
                                   system=s["system"], occurred_on=dt.date(2026, 3, 3), description="x")
    signoffs.decide(s["bureau"], signoff_for(case, "contracts.penalty"), "approve")

    def spares(system_ids, month):
        return {pk: Decimal("100.50") for pk in system_ids if pk == other.pk and month.month <= 2}
    registered = facts.is_registered("spares.used_value")
    if not registered:
        facts.register(facts.Fact("spares.used_value", "备件", "元", spares))
    try:
        data = selectors.settlement(s["unit"], s["contract"], {"unit": s["system"].unit_id})
        unit = data["units"][0]
        rows = {r["system"].pk: r for r in unit["systems"]}
        mine = rows[s["system"].pk]
        # one breach 200 + repair met 0 % → 3 % of 10191.78 = 305.75 → 505.75 in March
        assert mine["deductions_by_month"][2] == Decimal("505.75") and mine["deductions"] == Decimal("505.75")
        assert mine["penalties"] == Decimal("10000.00") and not mine["signed"]
        assert mine["due"] == Decimal("120000.00") - Decimal("505.75") - Decimal("10000.00") + (mine["spares"] or 0) \
            + (mine["electricity"] or 0)
        if not registered:
            assert mine["spares"] is None and rows[other.pk]["spares"] == Decimal("201.00")
        assert rows[other.pk]["due"] == rows[other.pk]["adjusted_fee"] + (rows[other.pk]["spares"] or 0)
        for field in ("adjusted_fee", "deductions", "penalties", "due"):
            assert unit[field] == sum(r[field] for r in unit["systems"])
        assert data["total"]["due"] == unit["due"]
        # the API and the workbook say the same
        body = client.get("/api/v1/contracts/settlement", headers=api_as("unit_admin_education")).json()
        assert Decimal(body["total"]["due"]) == data["total"]["due"]
        book = openpyxl.load_workbook(io.BytesIO(client_as("unit_admin_education").get(
            "/contracts/settlement/export/").content))
        sheet = book.active
        header = [c.value for c in sheet[1]]
        dues = [row[header.index("应付金额（元）")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert Decimal(str(round(sum(dues), 2))) == data["total"]["due"]
    finally:
        if not registered:
            facts.unregister("spares.used_value")


def test_a_bad_fee_workbook_changes_nothing(setup, client_as):
    s = setup
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "系统服务费"
    sheet.append(["序号", "用户单位", "系统名称", "年度服务费（元）", "备注"])
    sheet.append([1, "", "", 50000, ""])
    sheet.append([9999, "", "", 1000, ""])
    sheet.append([2, "", "", "一万", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    before = list(SystemFee.objects.values_list("system_id", "annual_fee"))
    with pytest.raises(excel.WorkbookInvalid) as error:
        services.import_fees(s["bureau"], s["contract"], buffer.getvalue())
    problems = {(p.row, p.column) for p in error.value.problems}
    assert problems == {(3, "序号"), (4, "年度服务费（元）")}
    assert list(SystemFee.objects.values_list("system_id", "annual_fee")) == before
    response = client_as("bureau_admin").post("/contracts/fees/import/", {"file": io.BytesIO(buffer.getvalue())},
                                               follow=True)
    assert "第 3 行" in response.content.decode()
    # a good one imports, and the export reads back
    sheet.delete_rows(3, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    assert services.import_fees(s["bureau"], s["contract"], buffer.getvalue()) == 1
    assert SystemFee.objects.get(contract=s["contract"], system__row_no=1).annual_fee == Decimal("50000.00")


def test_pages_and_api_of_the_evaluation(setup, client_as, api_as, client):
    s = setup
    in_force(s)
    incident(s["system"], "general", (2026, 3, 3, 10), repair_hours_late=2)
    headers = api_as("unit_admin_education")
    response = client.post("/api/v1/contracts/evaluations", {"month": "2026-03"}, content_type="application/json",
                           headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert Decimal(body["total_amount"]) == Decimal("505.75")
    again = client.post("/api/v1/contracts/evaluations", {"month": "2026-03"}, content_type="application/json",
                        headers=headers)
    assert again.status_code == 422 and "month" in again.json()["errors"]
    bad = client.post("/api/v1/contracts/evaluations", {"month": "2026-03", "unit_id": 1},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 422
    page = client_as("unit_admin_education").get(f"/contracts/evaluations/{body['id']}/").content.decode()
    assert "505.75" in page and s["system"].name in page
    assert client.get("/api/v1/contracts/payments", headers=headers).status_code == 403
    assert client_as("pm").get(f"/contracts/evaluations/{body['id']}/").status_code == 200


def test_every_page_renders_for_the_bureau_and_work_items_follow_the_cycle(setup, client_as):
    from django.urls import reverse

    from tongyun.core import worklist

    s = setup
    memo = in_force(s)
    incident(s["system"], "general", (2026, 3, 3, 10), repair_hours_late=2)
    evaluation = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    assert any(i.url.endswith(f"/{evaluation.pk}/") for i in worklist.items_for(s["unit"]))
    evaluations.publish(s["unit"], evaluation)
    assert any(i.url.endswith(f"/{evaluation.pk}/") and i.due for i in worklist.items_for(s["pm"]))
    case = services.record_penalty(s["bureau"], s["contract"], category="handover", unit=s["system"].unit,
                                   occurred_on=dt.date(2026, 12, 31), description="x")
    bureau = client_as("bureau_admin")
    pages = ["contracts:contract", "contracts:fee_list", "contracts:adjustment_list", "contracts:memorandum_list",
             "contracts:evaluation_list", "contracts:penalty_list", "contracts:settlement",
             "contracts:settlement_print"]
    for name in pages:
        response = bureau.get(reverse(name))
        assert response.status_code == 200, name
    for url in (memo.get_absolute_url(), evaluation.get_absolute_url(), case.get_absolute_url()):
        assert bureau.get(url).status_code == 200, url
    assert client_as("unit_admin_education").get(reverse("contracts:contract")).status_code == 403
    # a refused write on a page says why and changes nothing
    response = client_as("unit_admin_education").post(
        reverse("contracts:item_action", kwargs={"pk": evaluation.items.first().pk, "action": "adjust"}),
        {"amount": "1"}, follow=True)
    assert response.status_code == 200
    assert evaluation.items.first().amount == evaluation.items.first().computed_amount


def test_the_bureau_opens_a_month_for_every_unit_with_the_same_figures(setup):
    s = setup
    in_force(s)
    for day in (3, 10):
        incident(s["system"], "general", (2026, 3, day, 10), repair_hours_late=2)
    with pytest.raises(PermissionDenied):
        evaluations.prefill_units(s["unit"], dt.date(2026, 3, 1))
    created = evaluations.prefill_units(s["bureau"], dt.date(2026, 3, 1))
    units = {e.unit_id for e in created}
    assert s["system"].unit_id in units and len(units) == 54
    together = next(e for e in created if e.unit_id == s["system"].unit_id)
    got = {(i.indicator, i.amount, i.fact_value) for i in together.items.all()}
    assert ("incidents.repair_breaches_general", Decimal("400.00"), 2) in got
    assert evaluations.prefill_units(s["bureau"], dt.date(2026, 3, 1)) == []  # once per month
    Evaluation.objects.filter(pk=together.pk).delete()
    alone = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    assert {(i.indicator, i.amount, i.fact_value) for i in alone.items.all()} == got
