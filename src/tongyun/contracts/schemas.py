import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from tongyun.core.schemas import Id, InputSchema, SaneDate


class ContractOut(Schema):
    id: int
    number: str
    title: str
    purchaser: str
    contractor: str
    signed_on: dt.date
    effective_on: dt.date
    price: Decimal
    period_start: dt.date
    period_end: dt.date
    finance_reviewed_on: dt.date | None
    reviewed_amount: Decimal | None


class ContractPaymentOut(Schema):
    instalment: int
    label: str
    amount: Decimal | None
    due: dt.date | None
    condition: str
    state: str
    invoice_number: str
    invoice_received_on: dt.date | None
    paid_on: dt.date | None


class ContractFeeOut(Schema):
    id: int
    system_id: int
    unit_id: int
    system: str
    annual_fee: Decimal
    adjusted_fee: Decimal
    computation: str


class ContractAdjustmentOut(Schema):
    id: int
    system_id: int
    unit_id: int
    kind: str
    effective_date: dt.date
    computed_fee: Decimal
    computation: str
    override_fee: Decimal | None
    override_reason: str
    adjusted_fee: Decimal


class ContractRuleOut(Schema):
    id: int
    indicator: str
    label: str
    comparison: str
    threshold: Decimal
    mode: str
    consequence: str
    value: Decimal
    cap_amount: Decimal | None
    cap_points: Decimal | None
    custom: bool


class ContractMemorandumOut(Schema):
    id: int
    system_id: int
    unit_id: int
    version: int
    effective_month: dt.date
    cycle: str
    state: str
    cap_fee_percent: Decimal | None
    rules: list[ContractRuleOut] = []


class ContractObjectionOut(Schema):
    id: int
    text: str
    requested_amount: Decimal
    state: str
    decision_reason: str


class ContractItemOut(Schema):
    id: int
    system_id: int
    indicator: str
    label: str
    fact_value: float | int | bool | None
    measured: bool
    monthly_fee: Decimal
    computed_points: Decimal
    computed_amount: Decimal
    points: Decimal
    amount: Decimal
    adjust_reason: str
    objections: list[ContractObjectionOut] = []


class ContractEvaluationOut(Schema):
    id: int
    unit_id: int
    month: dt.date
    version: int
    state: str
    objection_due_at: dt.datetime | None
    total_amount: Decimal | None = None
    facts_changed: int | None = None
    items: list[ContractItemOut] | None = None


class ContractEvaluationIn(InputSchema):
    month: str


class ContractItemAdjustIn(InputSchema):
    points: Decimal | None = None
    amount: Decimal | None = None
    manual_value: Decimal | None = None
    reason: str = ""


class ContractObjectionIn(InputSchema):
    text: str
    requested_amount: Decimal = Decimal(0)


class ContractObjectionDecisionIn(InputSchema):
    accepted: bool
    reason: str


class ContractPenaltyOut(Schema):
    id: int
    category: str
    unit_id: int
    system_id: int | None
    occurred_on: dt.date
    rate_percent: Decimal
    amount: Decimal
    state: str
    warnings: list[str] = []


class ContractSettlementRowOut(Schema):
    system_id: int
    unit_id: int
    system: str
    annual_fee: Decimal
    adjusted_fee: Decimal
    deductions_by_month: list[Decimal]
    deductions: Decimal
    penalties: Decimal
    spares: Decimal | None
    electricity: Decimal | None
    due: Decimal
    signed: bool


class ContractSettlementOut(Schema):
    rows: list[ContractSettlementRowOut]
    total: dict


# ---------------------------------------------------------------- writes (the same services as the pages)

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class ContractIn(InputSchema):
    number: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    purchaser: str = Field(min_length=1, max_length=200)
    contractor: str = Field(min_length=1, max_length=200)
    signed_on: SaneDate
    effective_on: SaneDate
    price: Money
    period_start: SaneDate
    period_end: SaneDate
    finance_reviewed_on: SaneDate | None = None
    reviewed_amount: Money | None = None


class ContractFeeIn(InputSchema):
    system_id: Id
    annual_fee: Money
    note: str = Field("", max_length=200)


class ContractFeeImportOut(Schema):
    imported: int


class ContractAdjustmentIn(InputSchema):
    new_annual_fee: Money | None = None
    override_fee: Money | None = None
    override_reason: str = Field("", max_length=2000)
    bureau_notice_on: SaneDate | None = None
    unit_notice_on: SaneDate | None = None


class ContractInvoiceIn(InputSchema):
    invoice_number: str = Field(min_length=1, max_length=60)
    received_on: SaneDate


class ContractPaidIn(InputSchema):
    paid_on: SaneDate | None = None
    paid_amount: Money | None = None


class ContractMemorandumIn(InputSchema):
    """A new version for the system (the rules of the previous version, or the district template)."""
    system_id: Id
    effective_month: str = Field(description='"2026-03"')


class ContractMemorandumPatch(InputSchema):
    cycle: Literal["monthly", "quarterly"] | None = None
    standard: str | None = Field(None, max_length=10000)
    cap_fee_percent: Percent | None = None


class ContractRuleIn(InputSchema):
    indicator: str = Field(min_length=1, max_length=80)
    label: str = Field(min_length=1, max_length=200)
    comparison: Literal["lt", "gt", "false"]
    threshold: Annotated[Decimal, Field(max_digits=12, decimal_places=2)] = Decimal(0)
    mode: Literal["once", "per_unit"] = "once"
    consequence: Literal["points", "amount", "fee_pct"]
    value: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    cap_amount: Money | None = None
    cap_points: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2)] | None = None
