import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from tongyun.core.schemas import InputSchema


class ChangeRequestOut(Schema):
    id: int
    system_id: int
    kind: str
    title: str
    description: str
    state: str
    requested_at: dt.datetime
    reply_due: dt.datetime
    replied_at: dt.datetime | None
    reply_late: bool
    estimate_person_months: Decimal | None
    separate_agreement: str
    delivery_due: dt.datetime | None
    delivered_at: dt.datetime | None
    accepted_at: dt.datetime | None


class ChangeRequestIn(InputSchema):
    system_id: int = Field(ge=1, le=2**62)
    kind: str
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10000)


class ChangeReplyIn(InputSchema):
    estimate_person_months: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    reply: str = Field(min_length=1, max_length=10000)
    separate_agreement: str = Field("", max_length=2000)


class ChangeDeliveryIn(InputSchema):
    note: str = Field(min_length=1, max_length=10000)


class EffortCapOut(Schema):
    system_id: int
    person_months: Decimal
    used: Decimal
    remaining: Decimal
    scope: str
    source_line: int | None


class ChangeRequestFilters(Schema):
    system: int | None = Field(None, ge=1, le=2**62)
    unit: int | None = Field(None, ge=1, le=2**62)
    state: str | None = None
