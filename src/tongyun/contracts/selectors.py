"""Reads of the contract. Every list goes through tongyun.core.scoping.scoped()."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from tongyun.catalog.models import System
from tongyun.core import facts
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import evaluation as calc
from tongyun.domain import fees as fee_calc
from tongyun.domain.working_calendar import CalendarUnknown

from . import periods
from .choices import EvaluationState, Instalment, PaymentState, PenaltyCategory, PenaltyState
from .evaluations import MANUAL, working_days_after
from .models import (
    Contract,
    Evaluation,
    EvaluationItem,
    FeeAdjustment,
    Memorandum,
    Objection,
    Payment,
    PenaltyCase,
    Rule,
    SystemFee,
)

SPARES_FACT, ELECTRICITY_FACT = "spares.used_value", "electricity.amount"
MISSED_ARRIVALS_FACT = "incidents.missed_arrivals"


def contract_current() -> Contract | None:
    return Contract.objects.order_by("-period_start", "-id").first()


def months_of(contract: Contract) -> list[dt.date]:
    months, month = [], contract.period_start.replace(day=1)
    while month <= contract.period_end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


# ---------------------------------------------------------------- fees and adjustments

def fee_list(user, contract: Contract | None) -> QuerySet[SystemFee]:
    if contract is None:
        return SystemFee.objects.none()
    return scoped(SystemFee.objects.filter(contract=contract).select_related("system", "system__unit", "contract")
                  .prefetch_related("adjustments"), user)


def adjustment_list(user) -> QuerySet[FeeAdjustment]:
    return scoped(FeeAdjustment.objects.select_related("fee__system", "fee__system__unit", "change"), user)


def adjustment_get(user, pk: int) -> FeeAdjustment:
    return get_object_or_404(adjustment_list(user), pk=pk)


def adjusted_fee(fee: SystemFee) -> tuple[Decimal, str]:
    """The fee settlement uses: the bureau's override of the latest adjustment, else pro rata (with the sum)."""
    from .services import compute_fee

    adjustments = list(fee.adjustments.all())
    latest = adjustments[-1] if adjustments else None
    if latest is not None and latest.override_fee is not None:
        return latest.override_fee, latest.override_reason
    result = compute_fee(fee, adjustments)
    return result.amount, result.explain()


# ---------------------------------------------------------------- memoranda

def memorandum_list(user, params=None) -> QuerySet[Memorandum]:
    memos = scoped(Memorandum.objects.select_related("system", "system__unit"), user)
    if params and params.get("system"):
        memos = memos.filter(system_id=params["system"])
    return memos


def memorandum_get(user, pk: int) -> Memorandum:
    return get_object_or_404(memorandum_list(user).prefetch_related("rules"), pk=pk)


def rule_get(user, pk: int) -> Rule:
    return get_object_or_404(scoped(Rule.objects.select_related("memorandum", "memorandum__system"), user), pk=pk)


# ---------------------------------------------------------------- evaluations

def evaluation_list(user, params=None) -> QuerySet[Evaluation]:
    evaluations = scoped(Evaluation.objects.select_related("unit"), user)
    params = params or {}
    if params.get("month"):
        evaluations = evaluations.filter(month=params["month"])
    if params.get("unit"):
        evaluations = evaluations.filter(unit_id=params["unit"])
    return evaluations


def evaluation_get(user, pk: int) -> Evaluation:
    items = EvaluationItem.objects.select_related("system", "rule").prefetch_related("objections")
    return get_object_or_404(evaluation_list(user).prefetch_related(Prefetch("items", queryset=items)), pk=pk)


def item_get(user, pk: int) -> EvaluationItem:
    return get_object_or_404(scoped(EvaluationItem.objects.select_related("evaluation", "system", "rule"), user),
                             pk=pk)


def objection_get(user, pk: int) -> Objection:
    return get_object_or_404(scoped(Objection.objects.select_related("item__evaluation", "item__system"), user),
                             pk=pk)


def evaluation_summary(evaluation: Evaluation) -> dict:
    """Per system: score (100 − points), deductions; totals; items not measured."""
    systems: dict[int, dict] = {}
    for item in evaluation.items.all():
        row = systems.setdefault(item.system_id, {"system": item.system, "points": [], "amount": Decimal(0),
                                                  "not_measured": 0, "monthly_fee": item.monthly_fee})
        row["points"].append(item.points)
        row["amount"] += item.amount
        row["not_measured"] += 0 if item.measured else 1
    rows = []
    for row in systems.values():
        rows.append({**row, "score": calc.score(row.pop("points"))})
    return {"systems": rows, "amount": sum((r["amount"] for r in rows), Decimal(0)),
            "not_measured": sum(r["not_measured"] for r in rows)}


def facts_changed(evaluation: Evaluation) -> list[dict]:
    """Items whose fact reads differently today than when the evaluation was pre-filled."""
    items = [i for i in evaluation.items.all() if i.indicator != MANUAL]
    keys = sorted({i.indicator for i in items})
    now = periods.values(keys, list({i.system_id for i in items}), evaluation.month,
                         {i.system_id for i in items if i.period_months == 3})
    changed = []
    for item in items:
        value = now[item.indicator].get(item.system_id)
        value = float(value) if isinstance(value, Decimal) else value
        if value != item.fact_value:
            changed.append({"item": item, "then": item.fact_value, "now": value})
    return changed


# ---------------------------------------------------------------- penalties

def penalty_list(user) -> QuerySet[PenaltyCase]:
    return scoped(PenaltyCase.objects.select_related("unit", "system", "contract"), user)


def penalty_get(user, pk: int) -> PenaltyCase:
    return get_object_or_404(penalty_list(user), pk=pk)


def serious_warnings(case: PenaltyCase) -> list[str]:
    """The tender's "serious" criteria the platform can count (EV-07 4: 2 or more missed arrivals;
    EV-07 2/3: 2 or more cases of the same kind) — warnings for the bureau, not decisions."""
    warnings = []
    if case.category == PenaltyCategory.CAPABILITY and case.system_id:
        months = [m for m in months_of(case.contract) if m <= case.occurred_on.replace(day=1)]
        missed = 0
        for month in months:
            value = facts.values(MISSED_ARRIVALS_FACT, [case.system_id], month)[case.system_id]
            missed += value or 0
        if missed >= 2:
            warnings.append(f"{missed} 次未按时到场（≥2 次属情节严重，甲方可解除合同，L28658–L28680）")
    if case.category in (PenaltyCategory.WAGE_ARREARS, PenaltyCategory.SANCTIONS):
        same = PenaltyCase.objects.filter(contract=case.contract, category=case.category).exclude(
            state=PenaltyState.DISMISSED).count()
        if same >= 2:
            warnings.append(f"同类情形已 {same} 次（≥2 次属情节严重）")
    return warnings


# ---------------------------------------------------------------- payments

def payment_plan(user, contract: Contract) -> list[dict]:
    """The three instalments with their amounts, conditions and due dates on the working calendar."""
    require(user, "contracts.view_contract")
    deductions = signed_deductions(contract)
    penalties = PenaltyCase.objects.filter(contract=contract, state=PenaltyState.IMPOSED).aggregate(
        s=Sum("amount"))["s"] or Decimal(0)
    plan = fee_calc.instalments(contract.price, reviewed_amount=contract.reviewed_amount, penalties=penalties,
                                deductions=deductions)
    payments = {p.instalment: p for p in Payment.objects.filter(contract=contract)}
    months = months_of(contract)
    signed = set(Evaluation.objects.filter(state=EvaluationState.SIGNED, month__in=months)
                 .values_list("unit_id", "month"))
    units = set(SystemFee.objects.filter(contract=contract).values_list("system__unit_id", flat=True))
    all_signed = bool(units) and all((u, m) in signed for u in units for m in months)

    def due(day: dt.date | None, days: int | None):
        if day is None:
            return None
        moment = dt.datetime.combine(day, dt.time(0), tzinfo=fee_calc_tz())
        try:
            return working_days_after(moment, days).date() if days else \
                (working_days_after(moment - dt.timedelta(days=1), 1).date())
        except CalendarUnknown:
            return None

    rows = [
        {"instalment": Instalment.FIRST, "amount": plan.first, "base": contract.effective_on,
         "due": due(contract.effective_on, 30), "condition": "合同生效后30个工作日内（L28410–L28412）",
         "ready": True},
        {"instalment": Instalment.SECOND, "amount": plan.second, "base": contract.period_end,
         "due": due(contract.period_end + dt.timedelta(days=1), None),
         "condition": "合同期满后，依据各用户单位考核情况（L28414–L28420）；招标文件未规定支付期限，显示最早日期",
         "ready": all_signed},
        {"instalment": Instalment.FINAL, "amount": plan.final, "base": contract.finance_reviewed_on,
         "due": due(contract.finance_reviewed_on, 30),
         "condition": "区财政局结算评审通过后30个工作日内，按评审金额扣除违约金与扣款（L28422–L28428）",
         "ready": contract.finance_reviewed_on is not None},
    ]
    for row in rows:
        payment = payments.get(row["instalment"])
        row["payment"] = payment
        row["label"] = Instalment(row["instalment"]).label
        row["state"] = PaymentState.PAID if payment and payment.paid_on else (
            PaymentState.DUE if row["ready"] else PaymentState.WAITING)
    return rows


def fee_calc_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def signed_deductions(contract: Contract, unit_ids=None) -> Decimal:
    items = EvaluationItem.objects.filter(evaluation__state=EvaluationState.SIGNED,
                                          evaluation__month__gte=contract.period_start,
                                          evaluation__month__lte=contract.period_end)
    if unit_ids is not None:
        items = items.filter(evaluation__unit_id__in=unit_ids)
    return items.aggregate(s=Sum("amount"))["s"] or Decimal(0)


# ---------------------------------------------------------------- settlement (结算)

def _sum_fact(key: str, ids: list[int], months: list[dt.date]) -> dict[int, Decimal | None]:
    """The year's total of a monthly money fact per system; None when no month was measured."""
    totals: dict[int, Decimal | None] = dict.fromkeys(ids)
    if not facts.is_registered(key):
        return totals
    with facts.reading():
        for month in months:
            for system_id, value in facts.values(key, ids, month).items():
                if value is not None:
                    totals[system_id] = (totals[system_id] or Decimal(0)) + Decimal(str(value))
    return totals


def settlement(user, contract: Contract | None, params=None) -> dict:
    """Per system and unit: fee, adjusted fee, deductions by month (latest version of each evaluation,
    signed or not — `signed` tells), penalties imposed, spare parts used and electricity paid on the unit's
    behalf (provider facts; None = not measured), and the amount due:

        due = adjusted fee − deductions − penalties + spare parts + electricity (a None adds nothing)
    """
    if contract is None:
        return {"contract": None, "units": [], "total": {}}
    fees = list(fee_list(user, contract))
    params = params or {}
    if params.get("unit"):
        fees = [f for f in fees if str(f.system.unit_id) == str(params["unit"])]
    ids = [f.system_id for f in fees]
    months = months_of(contract)
    deductions: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    unsigned: set[int] = set()
    for system_id, month, state, amount in (
            EvaluationItem.objects.filter(system_id__in=ids, evaluation__month__in=months)
            .exclude(evaluation__state=EvaluationState.SUPERSEDED)
            .values_list("system_id", "evaluation__month", "evaluation__state").annotate(total=Sum("amount"))
            .order_by()):
        deductions[system_id][month] = deductions[system_id].get(month, Decimal(0)) + amount
        if state != EvaluationState.SIGNED:
            unsigned.add(system_id)
    penalties = defaultdict(Decimal)
    unit_penalties = defaultdict(Decimal)
    for case in scoped(PenaltyCase.objects.filter(contract=contract, state=PenaltyState.IMPOSED), user):
        if case.system_id in ids:
            penalties[case.system_id] += case.amount
        elif case.system_id is None:
            unit_penalties[case.unit_id] += case.amount
    spares = _sum_fact(SPARES_FACT, ids, months)
    electricity = _sum_fact(ELECTRICITY_FACT, ids, months)
    units: dict[int, dict] = {}
    for fee in fees:
        adjusted, how = adjusted_fee(fee)
        by_month = deductions.get(fee.system_id, {})
        row = {"fee": fee, "system": fee.system, "annual_fee": fee.annual_fee, "adjusted_fee": adjusted,
               "computation": how, "deductions_by_month": [by_month.get(m, Decimal(0)) for m in months],
               "deductions": sum(by_month.values(), Decimal(0)), "penalties": penalties.get(fee.system_id,
                                                                                            Decimal(0)),
               "spares": spares[fee.system_id], "electricity": electricity[fee.system_id],
               "signed": fee.system_id not in unsigned}
        row["due"] = (row["adjusted_fee"] - row["deductions"] - row["penalties"] + (row["spares"] or 0)
                      + (row["electricity"] or 0))
        unit = units.setdefault(fee.system.unit_id, {"unit": fee.system.unit, "systems": [],
                                                     "unit_penalties": unit_penalties.get(fee.system.unit_id,
                                                                                          Decimal(0))})
        unit["systems"].append(row)
    fields = ("annual_fee", "adjusted_fee", "deductions", "penalties", "spares", "electricity", "due")
    for unit in units.values():
        for field in fields:
            values = [r[field] for r in unit["systems"]]
            unit[field] = None if all(v is None for v in values) else sum((v or 0 for v in values), Decimal(0))
        unit["penalties"] += unit["unit_penalties"]
        unit["due"] -= unit["unit_penalties"]
    total = {}
    for field in fields:
        values = [u[field] for u in units.values()]
        total[field] = None if not values or all(v is None for v in values) else \
            sum((v or 0 for v in values), Decimal(0))
    return {"contract": contract, "months": months, "units": list(units.values()), "total": total}


def systems_without_fee(user, contract: Contract | None) -> QuerySet[System]:
    systems = scoped(System.objects.select_related("unit"), user)
    return systems.exclude(contract_fees__contract=contract) if contract else systems
