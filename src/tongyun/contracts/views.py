"""Pages of the contract: contract and payments, fees, adjustments, memoranda, evaluations, penalties,
settlement. Business logic is in services / evaluations / selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongyun.catalog import selectors as catalog_selectors
from tongyun.core import excel as core_excel
from tongyun.core.downloads import attachment
from tongyun.core.permissions import can, require
from tongyun.signoffs import selectors as signoff_selectors

from . import evaluations, selectors, services
from .choices import Comparison, Consequence, Cycle, Mode, PenaltyCategory
from .excel import fees_workbook, settlement_workbook
from .models import Payment
from .templates import MANUAL


def _errors(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, "; ".join(error.messages))
    elif isinstance(error, core_excel.WorkbookInvalid):
        for problem in error.problems[:50]:
            messages.error(request, str(problem))
    else:
        messages.error(request, _("没有权限执行此操作"))


def acting(view):
    """POST actions: a refused write shows its reason and goes back (never a 500)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied, core_excel.WorkbookInvalid) as error:
            _errors(request, error)
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or "contracts:evaluation_list")
    return login_required(require_POST(wrapper))


def _decimal(value, field: str, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("必填")})
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("“%(value)s”不是数字") % {"value": value}}) from None


def _date(value, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: _("日期格式应为 2026-01-31")}) from None


def _month(value) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01" if len(value or "") == 7 else value or "").replace(day=1)
    except ValueError:
        raise ValidationError({"month": _("月份格式应为 2026-03（年-月）")}) from None


# ---------------------------------------------------------------- contract and payments

@login_required
def contract_page(request):
    require(request.user, "contracts.view_contract")
    contract = selectors.contract_current()
    plan = selectors.payment_plan(request.user, contract) if contract else []
    return render(request, "contracts/contract.html", {"contract": contract, "plan": plan,
                                                       "may_manage": can(request.user, "contracts.manage")})


@acting
def contract_save(request):
    contract = selectors.contract_current()
    fields = {"number": request.POST.get("number", "").strip(), "title": request.POST.get("title", "").strip(),
              "purchaser": request.POST.get("purchaser", "").strip(),
              "contractor": request.POST.get("contractor", "").strip(),
              "signed_on": _date(request.POST.get("signed_on"), "signed_on"),
              "effective_on": _date(request.POST.get("effective_on"), "effective_on"),
              "price": _decimal(request.POST.get("price"), "price", True),
              "period_start": _date(request.POST.get("period_start"), "period_start"),
              "period_end": _date(request.POST.get("period_end"), "period_end"),
              "finance_reviewed_on": _date(request.POST.get("finance_reviewed_on"), "finance_reviewed_on"),
              "reviewed_amount": _decimal(request.POST.get("reviewed_amount"), "reviewed_amount")}
    services.save_contract(request.user, contract, **fields)
    messages.success(request, _("已保存"))
    return redirect("contracts:contract")


@acting
def payment_action(request, instalment: int):
    require(request.user, "contracts.view_contract")
    contract = selectors.contract_current()
    payment = get_object_or_404(Payment, contract=contract, instalment=instalment)
    if request.POST.get("action") == "invoice":
        services.record_invoice(request.user, payment, number=request.POST.get("invoice_number", ""),
                                received_on=_date(request.POST.get("received_on"), "received_on")
                                or dt.date.today())
    else:
        services.mark_paid(request.user, payment, paid_on=_date(request.POST.get("paid_on"), "paid_on"),
                           amount=_decimal(request.POST.get("paid_amount"), "paid_amount"))
    return redirect("contracts:contract")


# ---------------------------------------------------------------- fees and adjustments

@login_required
def fee_list(request):
    contract = selectors.contract_current()
    rows = [(fee, *selectors.adjusted_fee(fee)) for fee in selectors.fee_list(request.user, contract)]
    return render(request, "contracts/fees.html", {"contract": contract, "rows": rows,
                                                   "may_manage": can(request.user, "contracts.manage")})


@login_required
def fee_export(request):
    fees = selectors.fee_list(request.user, selectors.contract_current())
    return attachment(fees_workbook(fees), "系统服务费.xlsx")


@acting
def fee_import(request):
    contract = selectors.contract_current()
    if contract is None or "file" not in request.FILES:
        raise ValidationError(_("请先录入合同并选择文件"))
    count = services.import_fees(request.user, contract, request.FILES["file"].read())
    messages.success(request, _("已导入 %(n)s 个系统的服务费") % {"n": count})
    return redirect("contracts:fee_list")


@login_required
def adjustment_list(request):
    return render(request, "contracts/adjustments.html", {
        "rows": selectors.adjustment_list(request.user), "may_manage": can(request.user, "contracts.manage")})


@acting
def adjustment_sync(request):
    contract = selectors.contract_current()
    if contract is None:
        raise ValidationError(_("请先录入合同"))
    created = services.sync_adjustments(request.user, contract)
    messages.success(request, _("新增 %(n)s 项服务费调整") % {"n": len(created)})
    return redirect("contracts:adjustment_list")


@acting
def adjustment_edit(request, pk: int):
    adjustment = selectors.adjustment_get(request.user, pk)
    services.update_adjustment(
        request.user, adjustment, new_annual_fee=_decimal(request.POST.get("new_annual_fee"), "new_annual_fee"),
        override_fee=_decimal(request.POST.get("override_fee"), "override_fee"),
        override_reason=request.POST.get("override_reason", ""),
        bureau_notice_on=_date(request.POST.get("bureau_notice_on"), "bureau_notice_on"),
        unit_notice_on=_date(request.POST.get("unit_notice_on"), "unit_notice_on"))
    messages.success(request, _("已保存"))
    return redirect("contracts:adjustment_list")


# ---------------------------------------------------------------- memoranda

@login_required
def memorandum_list(request):
    return render(request, "contracts/memoranda.html", {
        "memoranda": selectors.memorandum_list(request.user, request.GET),
        "systems": catalog_selectors.system_list(request.user).order_by("row_no"),
        "may_edit": can(request.user, "contracts.memorandum_edit")})


@acting
def memorandum_propose(request, pk: int):
    system = catalog_selectors.system_get(request.user, pk)
    memo = evaluations.propose_memorandum(request.user, system,
                                          effective_month=_month(request.POST.get("effective_month", "")))
    return redirect("contracts:memorandum_detail", pk=memo.pk)


@login_required
def memorandum_detail(request, pk: int):
    memo = selectors.memorandum_get(request.user, pk)
    return render(request, "contracts/memorandum.html", {
        "memo": memo, "signoff": signoff_selectors.signoff_for(memo, "contracts.memorandum"),
        "may_edit": can(request.user, "contracts.memorandum_edit") and memo.state == "draft",
        "comparisons": Comparison.choices, "modes": Mode.choices, "consequences": Consequence.choices,
        "cycles": Cycle.choices, "manual": MANUAL})


@acting
def memorandum_action(request, pk: int, action: str):
    memo = selectors.memorandum_get(request.user, pk)
    if action == "rule":
        rule = memo.rules.filter(pk=request.POST.get("rule_id")).first() if request.POST.get("rule_id") else None
        if request.POST.get("delete") and rule:
            evaluations.delete_rule(request.user, rule)
        else:
            evaluations.save_rule(
                request.user, memo, rule, indicator=request.POST.get("indicator", "").strip(),
                label=request.POST.get("label", "").strip(), comparison=request.POST.get("comparison", ""),
                threshold=_decimal(request.POST.get("threshold"), "threshold", True),
                mode=request.POST.get("mode", "once"), consequence=request.POST.get("consequence", ""),
                value=_decimal(request.POST.get("value"), "value", True),
                cap_amount=_decimal(request.POST.get("cap_amount"), "cap_amount"),
                cap_points=_decimal(request.POST.get("cap_points"), "cap_points"))
    elif action == "settings":
        cap = request.POST.get("cap_fee_percent", "").strip()
        evaluations.update_memorandum(request.user, memo, cycle=request.POST.get("cycle") or None,
                                      standard=request.POST.get("standard"),
                                      cap_fee_percent=_decimal(cap, "cap_fee_percent"), clear_cap=not cap)
    elif action == "submit":
        evaluations.submit_memorandum(request.user, memo)
    else:
        raise Http404
    return redirect("contracts:memorandum_detail", pk=memo.pk)


# ---------------------------------------------------------------- evaluations

@login_required
def evaluation_list(request):
    return render(request, "contracts/evaluations.html", {
        "evaluations": selectors.evaluation_list(request.user, {"unit": request.GET.get("unit")})[:300],
        "may_evaluate": can(request.user, "contracts.evaluate")})


@acting
def evaluation_create(request):
    """The user's own unit only: the unit is never taken from the request."""
    unit = request.user.organisation
    if unit is None:
        raise PermissionDenied
    evaluation = evaluations.prefill(request.user, unit, _month(request.POST.get("month", "")))
    return redirect("contracts:evaluation_detail", pk=evaluation.pk)


@login_required
def evaluation_detail(request, pk: int):
    evaluation = selectors.evaluation_get(request.user, pk)
    user = request.user
    return render(request, "contracts/evaluation.html", {
        "evaluation": evaluation, "summary": selectors.evaluation_summary(evaluation),
        "changed": selectors.facts_changed(evaluation),
        "signoff": signoff_selectors.signoff_for(evaluation, "contracts.evaluation"),
        "may_evaluate": can(user, "contracts.evaluate") and evaluation.editable,
        "may_object": can(user, "contracts.object") and evaluation.state == "published",
        "may_mediate": can(user, "contracts.mediate"),
        "may_new_version": can(user, "contracts.evaluate") and evaluation.state == "signed"})


@acting
def evaluation_action(request, pk: int, action: str):
    evaluation = selectors.evaluation_get(request.user, pk)
    if action == "publish":
        evaluations.publish(request.user, evaluation, comment=request.POST.get("comment", ""))
    elif action == "sign":
        evaluations.start_signing(request.user, evaluation)
    elif action == "new_version":
        evaluation = evaluations.new_version(request.user, evaluation, reason=request.POST.get("reason", ""))
    else:
        raise Http404
    return redirect("contracts:evaluation_detail", pk=evaluation.pk)


@acting
def item_action(request, pk: int, action: str):
    item = selectors.item_get(request.user, pk)
    if action == "adjust":
        evaluations.adjust_item(request.user, item, points=_decimal(request.POST.get("points"), "points"),
                                amount=_decimal(request.POST.get("amount"), "amount"),
                                reason=request.POST.get("reason", ""),
                                manual_value=_decimal(request.POST.get("manual_value"), "manual_value"))
    elif action == "object":
        evaluations.raise_objection(request.user, item, text=request.POST.get("text", ""),
                                    requested_amount=_decimal(request.POST.get("requested_amount"),
                                                              "requested_amount") or Decimal(0),
                                    evidence=request.FILES.get("evidence"))
    else:
        raise Http404
    return redirect("contracts:evaluation_detail", pk=item.evaluation_id)


@acting
def objection_action(request, pk: int, action: str):
    objection = selectors.objection_get(request.user, pk)
    accepted = request.POST.get("decision") == "accept"
    reason = request.POST.get("reason", "")
    if action == "decide":
        evaluations.decide_objection(request.user, objection, accepted=accepted, reason=reason)
    elif action == "escalate":
        evaluations.escalate(request.user, objection)
    elif action == "mediate":
        evaluations.mediate(request.user, objection, accepted=accepted, reason=reason)
    else:
        raise Http404
    return redirect("contracts:evaluation_detail", pk=objection.item.evaluation_id)


# ---------------------------------------------------------------- penalties

@login_required
def penalty_list(request):
    return render(request, "contracts/penalties.html", {
        "cases": selectors.penalty_list(request.user), "categories": PenaltyCategory.choices,
        "systems": catalog_selectors.system_list(request.user).order_by("row_no"),
        "may_record": can(request.user, "contracts.penalty_record")})


@acting
def penalty_create(request):
    contract = selectors.contract_current()
    if contract is None:
        raise ValidationError(_("请先录入合同"))
    system = catalog_selectors.system_get(request.user, int(request.POST.get("system") or 0))
    case = services.record_penalty(request.user, contract, category=request.POST.get("category", ""),
                                   unit=system.unit, system=system,
                                   occurred_on=_date(request.POST.get("occurred_on"), "occurred_on")
                                   or dt.date.today(),
                                   description=request.POST.get("description", ""),
                                   evidence=request.FILES.get("evidence"))
    return redirect("contracts:penalty_detail", pk=case.pk)


@login_required
def penalty_detail(request, pk: int):
    case = selectors.penalty_get(request.user, pk)
    return render(request, "contracts/penalty.html", {
        "case": case, "warnings": selectors.serious_warnings(case),
        "signoff": signoff_selectors.signoff_for(case, "contracts.penalty")})


# ---------------------------------------------------------------- settlement

@login_required
def settlement(request):
    data = selectors.settlement(request.user, selectors.contract_current(), request.GET)
    return render(request, "contracts/settlement.html", {"data": data})


@login_required
def settlement_print(request):
    data = selectors.settlement(request.user, selectors.contract_current(), request.GET)
    return render(request, "contracts/settlement_print.html", {"data": data})


@login_required
def settlement_export(request):
    data = selectors.settlement(request.user, selectors.contract_current(), request.GET)
    if data["contract"] is None:
        data["months"] = []
    return attachment(settlement_workbook(data), "结算.xlsx")
