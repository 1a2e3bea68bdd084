"""Contract pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

import datetime as dt
from decimal import Decimal

NOT_SCOPED_PAGES = {
    # contract-wide (contract, payments): bureau, supervisor and PM read them, others get 403
    "contracts:contract", "contracts:contract_save", "contracts:payment_action",
    # bureau-only writes (403 for others); rows are reached through scoped selectors
    "contracts:fee_import", "contracts:adjustment_sync",
    # creates for the caller's own unit only (the unit never comes from the request); system picker scoped
    "contracts:evaluation_create", "contracts:penalty_create",
}
DETAIL_PAGES = {
    "contracts:adjustment_edit": lambda f: {"pk": f["fee_adjustment"].pk},
    "contracts:memorandum_propose": lambda f: {"pk": f["system"].pk},
    "contracts:memorandum_detail": lambda f: {"pk": f["memorandum"].pk},
    "contracts:memorandum_action": lambda f: {"pk": f["memorandum"].pk, "action": "submit"},
    "contracts:evaluation_detail": lambda f: {"pk": f["evaluation"].pk},
    "contracts:evaluation_action": lambda f: {"pk": f["evaluation"].pk, "action": "publish"},
    "contracts:item_action": lambda f: {"pk": f["evaluation_item"].pk, "action": "adjust"},
    "contracts:objection_action": lambda f: {"pk": f["objection"].pk, "action": "decide"},
    "contracts:penalty_detail": lambda f: {"pk": f["penalty"].pk},
}
LIST_PAGES = {"contracts:evaluation_list", "contracts:fee_list", "contracts:adjustment_list",
              "contracts:memorandum_list", "contracts:penalty_list", "contracts:settlement",
              "contracts:settlement_print"}
EXCEL_PAGES = {"contracts:fee_export", "contracts:settlement_export"}
NOT_SCOPED_API = {"/api/v1/contracts/contract", "/api/v1/contracts/payments",
                  # contract-wide writes of the bureau (403 for everyone else), tested in test_api_writes
                  "/api/v1/contracts/payments/{instalment}/invoice", "/api/v1/contracts/payments/{instalment}/paid",
                  "/api/v1/contracts/fees/import", "/api/v1/contracts/adjustments/sync",
                  # creates for the caller's own unit only
                  "/api/v1/contracts/evaluations"}
API_PARAMS = {
    "memorandum_id": lambda f: f["memorandum"].pk,
    "evaluation_id": lambda f: f["evaluation"].pk,
    "item_id": lambda f: f["evaluation_item"].pk,
    "objection_id": lambda f: f["objection"].pk,
    "penalty_id": lambda f: f["penalty"].pk,
    "adjustment_id": lambda f: f["fee_adjustment"].pk,
    "rule_id": lambda f: f["memorandum"].rules.first().pk,
}
POST_BODY = {"text": "x", "requested_amount": "0", "accepted": True, "month": "2026-03",
             # fees, memoranda and rules (POST /fees and /memoranda name the foreign system: 404)
             "annual_fee": "1000", "effective_month": "2027-01", "indicator": "manual", "label": "x",
             "comparison": "lt", "consequence": "points", "value": "1"}


def foreign_objects(foreign, user_of):
    from tongyun.contracts import evaluations, services
    from tongyun.contracts.models import EvaluationItem, Memorandum, Objection
    from tongyun.signoffs import services as signoffs
    from tongyun.signoffs.selectors import signoff_for

    bureau, pm = user_of("bureau_admin"), user_of("pm")
    system = foreign["system"]
    unit_admin = user_of("unit_admin")  # of 区经信局
    contract = services.save_contract(bureau, number="WALK-001", title="walk", purchaser="甲方", contractor="乙方",
                                      signed_on=dt.date(2025, 12, 1), effective_on=dt.date(2026, 1, 1),
                                      price=Decimal("1000000"), period_start=dt.date(2026, 1, 1),
                                      period_end=dt.date(2026, 12, 31))
    services.set_fee(bureau, contract, system, Decimal("36500"))
    adjustment = services.sync_adjustments(bureau, contract)[0]  # the start-date change of the walk fixture
    memo = evaluations.propose_memorandum(unit_admin, system, effective_month=dt.date(2026, 1, 1))
    evaluations.submit_memorandum(unit_admin, memo)
    signoff = signoff_for(memo, "contracts.memorandum")
    for user in (unit_admin, pm, bureau):
        signoff = signoffs.decide(user, signoff, "approve")
    memo = Memorandum.objects.get(pk=memo.pk)
    evaluation = evaluations.prefill(unit_admin, system.unit, dt.date(2026, 3, 1), contract=contract)
    item = EvaluationItem.objects.filter(evaluation=evaluation).first()
    objection = Objection.objects.create(item=item, raised_by=pm, text="FOREIGN-OBJECTION")
    penalty = services.record_penalty(bureau, contract, category="capability", unit=system.unit, system=system,
                                      occurred_on=dt.date(2026, 3, 5), description="FOREIGN-PENALTY")
    return {"contract": contract, "fee_adjustment": adjustment, "memorandum": memo, "evaluation": evaluation,
            "evaluation_item": item, "objection": objection, "penalty": penalty}
