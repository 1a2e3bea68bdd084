import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tongyun.core.schemas import FilterSchema, Id, InputSchema, SaneDate

Text = Annotated[str, Field(max_length=20000)]


class ReportsOut(Schema):
    id: int
    type_key: str
    title: str
    system_id: int | None
    unit_id: int | None
    period_start: dt.date
    period_end: dt.date
    version: int
    state: str
    due_at: dt.datetime | None
    late: bool
    first_submitted_at: dt.datetime | None
    signed_at: dt.datetime | None

    @staticmethod
    def resolve_late(obj) -> bool:
        return obj["late"] if isinstance(obj, dict) else obj.is_late()


class ReportsDetailOut(ReportsOut):
    narratives: dict[str, str]
    data: dict
    signoff_id: int | None
    may_decide: bool


class ReportsTypeOut(Schema):
    key: str
    title: str
    level: str
    cadence: str
    deadline: list
    source: str
    sections: list[str]
    documents: list[str]
    narratives: list[str]
    signers: list[str]
    rows: list[int]


class ReportsCountOut(Schema):
    unit_id: int | None
    unit: str
    due: int
    late: int
    awaiting: int
    signed: int


class ReportsFilters(FilterSchema):
    state: str | None = Field(None, max_length=20)
    type_key: str | None = Field(None, max_length=60)
    system: Id | None = None
    unit: Id | None = None
    period_from: SaneDate | None = None
    period_to: SaneDate | None = None
    late: bool = False


class ReportsCreateIn(InputSchema):
    type: str = Field(max_length=60)
    period_start: SaneDate
    period_end: SaneDate
    system: Id | None = None
    unit: Id | None = None


class ReportsNarrativesIn(InputSchema):
    narratives: dict[Annotated[str, Field(max_length=100)], Text]


class ReportsSubmitIn(InputSchema):
    comment: str = Field("", max_length=2000)


class ReportsDecisionIn(InputSchema):
    decision: str = Field(max_length=20)
    comment: str = Field("", max_length=2000)
    to_position: int | None = Field(None, ge=0, le=10)


class ReportsCorrectIn(InputSchema):
    reason: str = Field(max_length=2000)
