import datetime as dt

from ninja import Schema

from tongyun.core.schemas import InputSchema


class SignOffStepOut(Schema):
    position: int
    party: str
    party_label: str
    label: str
    decision: str
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str


class SignOffEventOut(Schema):
    position: int | None
    action: str
    actor: str
    at: dt.datetime
    comment: str
    to_position: int | None


class SignOffOut(Schema):
    id: int
    flow: str
    title: str
    subject_type: str
    subject_id: int
    unit_id: int | None
    system_id: int | None
    state: str
    version: int
    current_position: int | None
    current_party: str
    due_at: dt.datetime | None
    late: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    may_decide: bool
    steps: list[SignOffStepOut]
    events: list[SignOffEventOut]


class SignOffDecisionIn(InputSchema):
    decision: str
    comment: str = ""
    to_position: int | None = None


class SignOffFilters(Schema):
    state: str | None = None
    flow: str | None = None
    system: int | None = None
    unit: int | None = None
    awaiting_me: bool = False
