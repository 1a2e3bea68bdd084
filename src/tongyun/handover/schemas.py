import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from tongyun.core.schemas import Id, InputSchema, SaneDate


class HandoverItemOut(Schema):
    id: int
    kind: str
    label: str
    source_lines: str
    source_quote: str
    judgement: bool
    state: str
    handed_over_on: dt.date | None
    detail: str
    channel: str
    account_count: int | None
    signoff_id: int | None = None


class HandoverObstructionOut(Schema):
    id: int
    occurred_on: dt.date
    description: str
    item_id: int | None
    penalty_id: int
    penalty_amount: Decimal
    penalty_state: str


class HandoverChecklistOut(Schema):
    id: int
    system_id: int
    unit_id: int
    system: str
    total: int
    confirmed: int
    awaiting: int
    returned: int
    pending: int
    obstructions: int
    items: list[HandoverItemOut] | None = None
    obstruction_records: list[HandoverObstructionOut] | None = None


class HandoverUnitProgressOut(Schema):
    unit_id: int
    unit: str
    systems: int
    items: int
    confirmed: int


class HandoverProgressOut(Schema):
    systems: int
    systems_complete: int
    items: int
    pending: int
    awaiting: int
    returned: int
    confirmed: int
    obstructions: int
    units: list[HandoverUnitProgressOut]


class HandoverOpenOut(Schema):
    created: int


class HandoverDeliverIn(InputSchema):
    handed_over_on: SaneDate
    detail: str = Field("", max_length=2000, description="份数、介质、存放位置；不得填写口令")
    channel: str = Field("", max_length=20, description="accounts only: sealed / encrypted / reset / other")
    account_count: int | None = Field(None, ge=1, le=100000)


class HandoverObstructionIn(InputSchema):
    occurred_on: SaneDate
    description: str = Field(min_length=1, max_length=5000)
    item_id: Id | None = None
