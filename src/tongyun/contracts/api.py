"""/api/v1/contracts/… — contract, payments, fees, adjustments, memoranda, evaluations (with items and
objections), penalties and the settlement. The same selectors and services as the pages."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from tongyun.catalog import selectors as catalog_selectors
from tongyun.core.permissions import require
from tongyun.core.schemas import Id

from . import evaluations, selectors, services
from .models import Payment
from .schemas import (
    ContractAdjustmentIn,
    ContractAdjustmentOut,
    ContractEvaluationIn,
    ContractEvaluationOut,
    ContractFeeImportOut,
    ContractFeeIn,
    ContractFeeOut,
    ContractIn,
    ContractInvoiceIn,
    ContractItemAdjustIn,
    ContractItemOut,
    ContractMemorandumIn,
    ContractMemorandumOut,
    ContractMemorandumPatch,
    ContractObjectionDecisionIn,
    ContractObjectionIn,
    ContractObjectionOut,
    ContractOut,
    ContractPaidIn,
    ContractPaymentOut,
    ContractPenaltyOut,
    ContractRuleIn,
    ContractRuleOut,
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
    return [_fee_out(fee) for fee in selectors.fee_list(request.user, selectors.contract_current())]


@router.get("/adjustments", response=list[ContractAdjustmentOut])
def list_adjustments(request):
    return [_adjustment_out(a) for a in selectors.adjustment_list(request.user)]


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


# ---------------------------------------------------------------- writes: the same services as the pages
# (the bureau-only ones answer 403 to everyone else; objects are reached through scoped selectors first,
# so another unit's object is a 404 before any check of the role)

@router.put("/contract", response=ContractOut)
def put_contract(request, body: ContractIn):
    """Create or update the contract in force (bureau admin)."""
    return services.save_contract(request.user, selectors.contract_current(), **body.model_dump())


def _payment(request, instalment: int) -> Payment:
    return get_object_or_404(Payment, contract=_contract(request.user), instalment=instalment)


@router.post("/payments/{instalment}/invoice", response=list[ContractPaymentOut])
def record_invoice(request, instalment: Annotated[int, Field(ge=1, le=3)], body: ContractInvoiceIn):
    """The VAT invoice of an instalment was received (bureau admin)."""
    services.record_invoice(request.user, _payment(request, instalment), number=body.invoice_number,
                            received_on=body.received_on)
    return list_payments(request)


@router.post("/payments/{instalment}/paid", response=list[ContractPaymentOut])
def mark_paid(request, instalment: Annotated[int, Field(ge=1, le=3)], body: ContractPaidIn):
    """Paid (bureau admin) — refused (422) while no invoice is recorded."""
    services.mark_paid(request.user, _payment(request, instalment), paid_on=body.paid_on, amount=body.paid_amount)
    return list_payments(request)


def _fee_out(fee) -> dict:
    amount, how = selectors.adjusted_fee(fee)
    return {"id": fee.pk, "system_id": fee.system_id, "unit_id": fee.system.unit_id, "system": fee.system.name,
            "annual_fee": fee.annual_fee, "adjusted_fee": amount, "computation": how}


@router.post("/fees", response=ContractFeeOut)
def set_fee(request, body: ContractFeeIn):
    """Set one system's annual fee (bureau admin)."""
    system = catalog_selectors.system_get(request.user, body.system_id)
    fee = services.set_fee(request.user, _contract(request.user), system, body.annual_fee, body.note)
    return _fee_out(selectors.fee_list(request.user, fee.contract).get(pk=fee.pk))


@router.post("/fees/import", response=ContractFeeImportOut)
def import_fees(request, file: File[UploadedFile]):
    """multipart/form-data, the workbook of GET /contracts/fees.xlsx (page) in `file`. All or nothing: 422
    lists every problem as {"sheet", "row", "column", "reason"}."""
    return {"imported": services.import_fees(request.user, _contract(request.user), file.read())}


@router.post("/adjustments/sync", response=list[ContractAdjustmentOut])
def sync_adjustments(request):
    """A fee adjustment for each change recorded in the catalog that has none yet (bureau admin)."""
    created = services.sync_adjustments(request.user, _contract(request.user))
    ids = [a.pk for a in created]
    return [_adjustment_out(a) for a in selectors.adjustment_list(request.user).filter(pk__in=ids)]


def _adjustment_out(a) -> dict:
    return {"id": a.pk, "system_id": a.fee.system_id, "unit_id": a.fee.system.unit_id, "kind": a.kind,
            "effective_date": a.effective_date, "computed_fee": a.computed_fee, "computation": a.computation,
            "override_fee": a.override_fee, "override_reason": a.override_reason, "adjusted_fee": a.adjusted_fee}


@router.patch("/adjustments/{adjustment_id}", response=ContractAdjustmentOut)
def update_adjustment(request, adjustment_id: Id, body: ContractAdjustmentIn):
    """Reprice an upgrade, override the pro-rata amount (with a reason), record the written notices (bureau
    admin). Fields left out keep their value; null clears one."""
    adjustment = selectors.adjustment_get(request.user, adjustment_id)
    current = {"new_annual_fee": adjustment.new_annual_fee, "override_fee": adjustment.override_fee,
               "override_reason": adjustment.override_reason, "bureau_notice_on": adjustment.bureau_notice_on,
               "unit_notice_on": adjustment.unit_notice_on}
    services.update_adjustment(request.user, adjustment, **{**current, **body.model_dump(exclude_unset=True)})
    return _adjustment_out(selectors.adjustment_get(request.user, adjustment_id))


@router.post("/memoranda", response=ContractMemorandumOut)
def propose_memorandum(request, body: ContractMemorandumIn):
    """A new version of the system's memorandum, from its previous version or the district template."""
    system = catalog_selectors.system_get(request.user, body.system_id)
    memo = evaluations.propose_memorandum(request.user, system, effective_month=_month(body.effective_month))
    return _memo_out(selectors.memorandum_get(request.user, memo.pk), rules=True)


@router.patch("/memoranda/{memorandum_id}", response=ContractMemorandumOut)
def update_memorandum(request, memorandum_id: Id, body: ContractMemorandumPatch):
    """A draft's cycle ("monthly" / "quarterly"), standard and monthly cap (null: no cap)."""
    memo = selectors.memorandum_get(request.user, memorandum_id)
    given = body.model_dump(exclude_unset=True)
    evaluations.update_memorandum(request.user, memo, cycle=given.get("cycle"), standard=given.get("standard"),
                                  cap_fee_percent=given.get("cap_fee_percent"),
                                  clear_cap="cap_fee_percent" in given and given["cap_fee_percent"] is None)
    return _memo_out(selectors.memorandum_get(request.user, memorandum_id), rules=True)


@router.post("/memoranda/{memorandum_id}/rules", response=ContractRuleOut)
def add_rule(request, memorandum_id: Id, body: ContractRuleIn):
    """A rule of a draft; one the district template lacks is the unit's own (EV-03)."""
    memo = selectors.memorandum_get(request.user, memorandum_id)
    rule = evaluations.save_rule(request.user, memo, None, **body.model_dump())
    return selectors.rule_get(request.user, rule.pk)


@router.put("/rules/{rule_id}", response=ContractRuleOut)
def edit_rule(request, rule_id: Id, body: ContractRuleIn):
    rule = selectors.rule_get(request.user, rule_id)
    evaluations.save_rule(request.user, rule.memorandum, rule, **body.model_dump())
    return selectors.rule_get(request.user, rule_id)


@router.delete("/rules/{rule_id}", response={204: None})
def delete_rule(request, rule_id: Id):
    evaluations.delete_rule(request.user, selectors.rule_get(request.user, rule_id))
    return Status(204, None)


@router.post("/memoranda/{memorandum_id}/submit", response=ContractMemorandumOut)
def submit_memorandum(request, memorandum_id: Id):
    """To signature: unit, contractor, bureau (decisions: POST /api/v1/signoffs/{id}/decision)."""
    memo = evaluations.submit_memorandum(request.user, selectors.memorandum_get(request.user, memorandum_id))
    return _memo_out(memo)
