"""Writes of the contract: the contract, fees (form and Excel), fee adjustments, penalties, payments.

Evaluations and memoranda are in evaluations.py. Every write checks its capability; objects are reached
through scoped selectors (another unit's object is a 404 before any write).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.choices import ChangeKind
from tongyun.core import excel
from tongyun.core.permissions import require
from tongyun.domain import fees as calc
from tongyun.signoffs import services as signoffs

from .choices import PENALTY_RATES, AdjustmentKind, Instalment, PenaltyCategory
from .models import Contract, FeeAdjustment, Payment, PenaltyCase, SystemFee

DEFAULT_CONTRACT = {
    "number": "SYJXJ-2026-YW-001", "title": "顺义区2026年信息系统运维服务",
    "purchaser": "北京市顺义区经济和信息化局", "contractor": "运维服务商（中标单位）",
    "signed_on": dt.date(2025, 12, 25), "effective_on": dt.date(2026, 1, 1), "price": Decimal("0"),
    "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31),
}


# ---------------------------------------------------------------- the contract

def save_contract(user, contract: Contract | None = None, **fields) -> Contract:
    require(user, "contracts.manage")
    contract = contract or Contract()
    for name, value in fields.items():
        setattr(contract, name, value)
    if contract.period_end and contract.period_start and contract.period_end < contract.period_start:
        raise ValidationError({"period_end": _("服务期结束早于开始")})
    if contract.price is not None and contract.price < 0:
        raise ValidationError({"price": _("金额不能为负")})
    contract.full_clean()
    contract.save()
    for instalment in Instalment.values:
        Payment.objects.get_or_create(contract=contract, instalment=instalment)
    return contract


def set_fee(user, contract: Contract, system, annual_fee: Decimal, note: str = "") -> SystemFee:
    require(user, "contracts.manage")
    if annual_fee is None or Decimal(annual_fee) < 0:
        raise ValidationError({"annual_fee": _("年度服务费应为不小于 0 的金额")})
    fee, _created = SystemFee.objects.update_or_create(contract=contract, system=system,
                                                       defaults={"annual_fee": calc.money(annual_fee), "note": note})
    return fee


def fee_sheet() -> excel.SheetSpec:
    return excel.SheetSpec(_("系统服务费"), [
        excel.Column(_("序号"), "system.row_no", "int", required=True, width=8),
        excel.Column(_("用户单位"), "system.unit.name", read_only=True, width=24),
        excel.Column(_("系统名称"), "system.name", read_only=True, width=36),
        excel.Column(_("年度服务费（元）"), "annual_fee", "decimal", required=True, width=18),
        excel.Column(_("备注"), "note", width=24),
    ])


def import_fees(user, contract: Contract, content: bytes) -> int:
    """Fees by tender row number. Every bad cell is reported (sheet, row, column); nothing changes then."""
    require(user, "contracts.manage")
    spec = fee_sheet()
    problems: list[excel.Problem] = []
    rows = spec.read(excel.open_workbook(content), problems)
    systems = {s.row_no: s for s in catalog_selectors.system_list(user)}
    seen: dict[int, int] = {}
    for number, record in rows:
        row_no, fee = record.get("system.row_no"), record.get("annual_fee")
        if row_no is not None and row_no not in systems:
            problems.append(excel.Problem(spec.title, number, _("序号"), _("没有序号为 %(n)s 的系统") % {"n": row_no}))
        elif row_no in seen:
            problems.append(excel.Problem(spec.title, number, _("序号"),
                                          _("与第 %(row)s 行重复") % {"row": seen[row_no]}))
        elif row_no is not None:
            seen[row_no] = number
        if fee is not None and fee < 0:
            problems.append(excel.Problem(spec.title, number, _("年度服务费（元）"), _("金额不能为负")))
    if problems:
        raise excel.WorkbookInvalid(problems)
    with transaction.atomic():
        for _number, record in rows:
            set_fee(user, contract, systems[record["system.row_no"]], record["annual_fee"], record.get("note", ""))
    return len(rows)


# ---------------------------------------------------------------- fee adjustments (EV-10)

_KINDS = {ChangeKind.START_DATE: AdjustmentKind.START, ChangeKind.SHUTDOWN: AdjustmentKind.SHUTDOWN,
          ChangeKind.UPGRADE: AdjustmentKind.UPGRADE, ChangeKind.END_DATE: AdjustmentKind.END,
          ChangeKind.RESUME: AdjustmentKind.RESUME}


def compute_fee(fee: SystemFee, adjustments=None) -> calc.AdjustedFee:
    """The pro-rata fee of the system now: its service period in the catalog and the repricings recorded."""
    contract, system = fee.contract, fee.system
    adjustments = list(fee.adjustments.all()) if adjustments is None else adjustments
    repricings = [(a.effective_date, a.new_annual_fee) for a in adjustments if a.new_annual_fee is not None]
    return calc.adjusted_fee(contract.period_start, contract.period_end, fee.annual_fee, system.service_start,
                             system.service_end, repricings)


def sync_adjustments(user, contract: Contract) -> list[FeeAdjustment]:
    """A fee adjustment for every change recorded in the catalog (through its selector) that has none yet."""
    require(user, "contracts.manage")
    fees = {f.system_id: f for f in SystemFee.objects.filter(contract=contract).select_related("system", "contract")}
    created = []
    with transaction.atomic():
        for change in catalog_selectors.change_list(user).filter(system_id__in=fees, fee_adjustment__isnull=True,
                                                                 kind__in=list(_KINDS)).order_by("effective_date"):
            fee = fees[change.system_id]
            adjustment = FeeAdjustment(fee=fee, change=change, kind=_KINDS[change.kind],
                                       effective_date=change.effective_date, service_start=fee.system.service_start,
                                       service_end=fee.system.service_end, recorded_by=user)
            result = compute_fee(fee, [*fee.adjustments.all(), adjustment])
            adjustment.computed_fee, adjustment.computation = result.amount, result.explain()[:300]
            adjustment.save()
            created.append(adjustment)
    return created


def update_adjustment(user, adjustment: FeeAdjustment, *, new_annual_fee=None, override_fee=None,
                      override_reason: str = "", bureau_notice_on=None, unit_notice_on=None) -> FeeAdjustment:
    """The bureau reprices an upgrade, overrides the pro-rata amount (with a reason) and records the notices."""
    require(user, "contracts.manage")
    if override_fee is not None and not override_reason.strip():
        raise ValidationError({"override_reason": _("核定金额与折算不同时须写明理由")})
    for field, value in (("new_annual_fee", new_annual_fee), ("override_fee", override_fee)):
        if value is not None and Decimal(value) < 0:
            raise ValidationError({field: _("金额不能为负")})
    with transaction.atomic():
        adjustment.new_annual_fee = new_annual_fee
        adjustment.override_fee = override_fee
        adjustment.override_reason = override_reason if override_fee is not None else ""
        adjustment.bureau_notice_on, adjustment.unit_notice_on = bureau_notice_on, unit_notice_on
        adjustment.save()
        result = compute_fee(adjustment.fee)
        adjustment.computed_fee, adjustment.computation = result.amount, result.explain()[:300]
        adjustment.save(update_fields=["computed_fee", "computation"])
    return adjustment


# ---------------------------------------------------------------- penalties (EV-07, EV-08)

def record_penalty(user, contract: Contract, *, category: str, unit, system=None, occurred_on: dt.date,
                   description: str, evidence=None) -> PenaltyCase:
    """A penalty case with its evidence; the bureau decides (sign-off "contracts.penalty")."""
    require(user, "contracts.penalty_record")
    if category not in PenaltyCategory.values:
        raise ValidationError({"category": _("未知的违约情形")})
    if not description.strip():
        raise ValidationError({"description": _("请描述事实")})
    if system is not None and system.unit_id != unit.pk:
        raise ValidationError({"system_id": _("系统不属于该用户单位")})
    rate = PENALTY_RATES[category]
    with transaction.atomic():
        case = PenaltyCase.objects.create(
            contract=contract, category=category, unit=unit, system=system, occurred_on=occurred_on,
            description=description, rate_percent=rate, amount=calc.penalty(contract.price, rate),
            recorded_by=user, **({"evidence": evidence} if evidence else {}))
        signoffs.start(user, case, "contracts.penalty", title=_("违约金决定：%(case)s") % {"case": case},
                       unit=unit, system=system)
    return case


# ---------------------------------------------------------------- payments (EV-06)

def record_invoice(user, payment: Payment, *, number: str, received_on: dt.date) -> Payment:
    require(user, "contracts.manage")
    if not number.strip():
        raise ValidationError({"invoice_number": _("请填写发票号")})
    payment.invoice_number, payment.invoice_received_on = number.strip(), received_on
    payment.save(update_fields=["invoice_number", "invoice_received_on"])
    return payment


def mark_paid(user, payment: Payment, *, paid_on: dt.date | None = None, amount: Decimal | None = None) -> Payment:
    """Paid only after the VAT invoice was received (L28432–L28436)."""
    require(user, "contracts.manage")
    if not payment.invoice_received_on:
        raise ValidationError({"invoice_number": _("未收到增值税发票，不能标记为已支付")})
    payment.paid_on = paid_on or timezone.localdate()
    payment.paid_amount = amount
    payment.save(update_fields=["paid_on", "paid_amount"])
    return payment
