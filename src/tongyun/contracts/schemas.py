import datetime as dt
from decimal import Decimal

from ninja import Schema

from tongyun.core.schemas import InputSchema


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
