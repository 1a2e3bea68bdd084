"""/api/v1/contracts/… — contract, payments, fees, adjustments, memoranda, evaluations (with items and
objections), penalties and the settlement. The same selectors and services as the pages."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Router

from tongyun.core.permissions import require
from tongyun.core.schemas import Id

from . import evaluations, selectors
from .schemas import (
    ContractAdjustmentOut,
    ContractEvaluationIn,
    ContractEvaluationOut,
    ContractFeeOut,
    ContractItemAdjustIn,
    ContractItemOut,
    ContractMemorandumOut,
    ContractObjectionDecisionIn,
    ContractObjectionIn,
    ContractObjectionOut,
    ContractOut,
    ContractPaymentOut,
    ContractPenaltyOut,
    ContractSettlementOut,
)
from .views import _month

router = Router(tags=["合同考核"])


def _contract(user):
    require(user, "contracts.view_contract")
    contract = selectors.contract_current()
    if contract is None:
        raise DjangoValidationError({"contract": "尚未录入合同"})
    return contract


@router.get("/contract", response=ContractOut)
def get_contract(request):
    return _contract(request.user)


@router.get("/payments", response=list[ContractPaymentOut])
def list_payments(request):
    """The three instalments: amount, condition, due date on the working calendar, invoice, status."""
    rows = selectors.payment_plan(request.user, _contract(request.user))
    return [{"instalment": r["instalment"], "label": str(r["label"]), "amount": r["amount"], "due": r["due"],
             "condition": r["condition"], "state": r["state"],
             "invoice_number": r["payment"].invoice_number if r["payment"] else "",
             "invoice_received_on": r["payment"].invoice_received_on if r["payment"] else None,
             "paid_on": r["payment"].paid_on if r["payment"] else None} for r in rows]


@router.get("/fees", response=list[ContractFeeOut])
def list_fees(request):
    result = []
    for fee in selectors.fee_list(request.user, selectors.contract_current()):
        amount, how = selectors.adjusted_fee(fee)
        result.append({"id": fee.pk, "system_id": fee.system_id, "unit_id": fee.system.unit_id,
                       "system": fee.system.name, "annual_fee": fee.annual_fee, "adjusted_fee": amount,
                       "computation": how})
    return result


@router.get("/adjustments", response=list[ContractAdjustmentOut])
def list_adjustments(request):
    return [{"id": a.pk, "system_id": a.fee.system_id, "unit_id": a.fee.system.unit_id, "kind": a.kind,
             "effective_date": a.effective_date, "computed_fee": a.computed_fee, "computation": a.computation,
             "override_fee": a.override_fee, "override_reason": a.override_reason, "adjusted_fee": a.adjusted_fee}
            for a in selectors.adjustment_list(request.user)]


def _memo_out(memo, rules=False) -> dict:
    out = {"id": memo.pk, "system_id": memo.system_id, "unit_id": memo.system.unit_id, "version": memo.version,
           "effective_month": memo.effective_month, "cycle": memo.cycle, "state": memo.state,
           "cap_fee_percent": memo.cap_fee_percent}
    if rules:
        out["rules"] = list(memo.rules.all())
    return out


@router.get("/memoranda", response=list[ContractMemorandumOut])
def list_memoranda(request):
    return [_memo_out(m) for m in selectors.memorandum_list(request.user)[:500]]


@router.get("/memoranda/{memorandum_id}", response=ContractMemorandumOut)
def get_memorandum(request, memorandum_id: Id):
    return _memo_out(selectors.memorandum_get(request.user, memorandum_id), rules=True)


def _item_out(item) -> dict:
    return {"id": item.pk, "system_id": item.system_id, "indicator": item.indicator, "label": item.label,
            "fact_value": item.fact_value, "measured": item.measured, "monthly_fee": item.monthly_fee,
            "computed_points": item.computed_points, "computed_amount": item.computed_amount,
            "points": item.points, "amount": item.amount, "adjust_reason": item.adjust_reason,
            "objections": list(item.objections.all())}


def _evaluation_out(evaluation, detail=False) -> dict:
    out = {"id": evaluation.pk, "unit_id": evaluation.unit_id, "month": evaluation.month,
           "version": evaluation.version, "state": evaluation.state, "objection_due_at": evaluation.objection_due_at}
    if detail:
        out["items"] = [_item_out(i) for i in evaluation.items.all()]
        out["total_amount"] = selectors.evaluation_summary(evaluation)["amount"]
        out["facts_changed"] = len(selectors.facts_changed(evaluation))
    return out


@router.get("/evaluations", response=list[ContractEvaluationOut])
def list_evaluations(request):
    return [_evaluation_out(e) for e in selectors.evaluation_list(request.user)[:500]]


@router.post("/evaluations", response=ContractEvaluationOut)
def create_evaluation(request, body: ContractEvaluationIn):
    """Pre-fill the caller's own unit's evaluation of a month ("2026-03") from the facts."""
    if request.user.organisation is None:
        raise PermissionDenied
    evaluation = evaluations.prefill(request.user, request.user.organisation, _month(body.month))
    return _evaluation_out(selectors.evaluation_get(request.user, evaluation.pk), detail=True)


@router.get("/evaluations/{evaluation_id}", response=ContractEvaluationOut)
def get_evaluation(request, evaluation_id: Id):
    return _evaluation_out(selectors.evaluation_get(request.user, evaluation_id), detail=True)


@router.post("/evaluations/{evaluation_id}/publish", response=ContractEvaluationOut)
def publish_evaluation(request, evaluation_id: Id):
    evaluation = evaluations.publish(request.user, selectors.evaluation_get(request.user, evaluation_id))
    return _evaluation_out(evaluation)


@router.post("/evaluations/{evaluation_id}/sign", response=ContractEvaluationOut)
def sign_evaluation(request, evaluation_id: Id):
    """Start the three-party signature (unit, contractor, bureau); decisions: /api/v1/signoffs/{id}/decision."""
    evaluation = evaluations.start_signing(request.user, selectors.evaluation_get(request.user, evaluation_id))
    return _evaluation_out(evaluation)


@router.patch("/items/{item_id}", response=ContractItemOut)
def adjust_item(request, item_id: Id, body: ContractItemAdjustIn):
    item = evaluations.adjust_item(request.user, selectors.item_get(request.user, item_id), points=body.points,
                                   amount=body.amount, reason=body.reason, manual_value=body.manual_value)
    return _item_out(item)


@router.post("/items/{item_id}/objections", response=ContractObjectionOut)
def raise_objection(request, item_id: Id, body: ContractObjectionIn):
    return evaluations.raise_objection(request.user, selectors.item_get(request.user, item_id), text=body.text,
                                       requested_amount=body.requested_amount)


@router.post("/objections/{objection_id}/decision", response=ContractObjectionOut)
def decide_objection(request, objection_id: Id, body: ContractObjectionDecisionIn):
    """The unit decides an open objection; the bureau an escalated one."""
    objection = selectors.objection_get(request.user, objection_id)
    if objection.state == "escalated":
        return evaluations.mediate(request.user, objection, accepted=body.accepted, reason=body.reason)
    return evaluations.decide_objection(request.user, objection, accepted=body.accepted, reason=body.reason)


def _penalty_out(case, warnings=False) -> dict:
    return {"id": case.pk, "category": case.category, "unit_id": case.unit_id, "system_id": case.system_id,
            "occurred_on": case.occurred_on, "rate_percent": case.rate_percent, "amount": case.amount,
            "state": case.state, "warnings": selectors.serious_warnings(case) if warnings else []}


@router.get("/penalties", response=list[ContractPenaltyOut])
def list_penalties(request):
    return [_penalty_out(c) for c in selectors.penalty_list(request.user)[:500]]


@router.get("/penalties/{penalty_id}", response=ContractPenaltyOut)
def get_penalty(request, penalty_id: Id):
    return _penalty_out(selectors.penalty_get(request.user, penalty_id), warnings=True)


@router.get("/settlement", response=ContractSettlementOut)
def get_settlement(request):
    """The same figures as the settlement page and workbook."""
    data = selectors.settlement(request.user, selectors.contract_current())
    rows = [{"system_id": r["system"].pk, "unit_id": r["system"].unit_id, "system": r["system"].name,
             **{k: r[k] for k in ("annual_fee", "adjusted_fee", "deductions_by_month", "deductions", "penalties",
                                  "spares", "electricity", "due", "signed")}}
            for unit in data["units"] for r in unit["systems"]]
    return {"rows": rows, "total": {k: (str(v) if v is not None else None) for k, v in data["total"].items()}}
