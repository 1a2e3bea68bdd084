import datetime as dt

from ninja import Field, Schema

from tongyun.core.schemas import InputSchema


class DataResourceOut(Schema):
    id: int
    system_id: int
    name: str
    owner_unit_id: int
    data_format: str
    interface: str
    frequency: str
    state: str
    state_changed_at: dt.datetime | None
    daily_pushes: int
    duty_text: str
    source_line: int | None


class DataResourceIn(InputSchema):
    system_id: int = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    data_format: str = Field("", max_length=100)
    interface: str = "api"
    frequency: str = Field("", max_length=60)
    daily_pushes: int = Field(0, ge=0, le=100000)


class DataResourceStateIn(InputSchema):
    state: str
    note: str = Field("", max_length=2000)


class PushRecordIn(InputSchema):
    day: dt.date
    expected: int = Field(ge=0, le=10**7)
    succeeded: int = Field(ge=0, le=10**7)
    on_time: int = Field(ge=0, le=10**7)


class PushRecordOut(Schema):
    day: dt.date
    expected: int
    succeeded: int
    on_time: int


class DataResourceFilters(Schema):
    system: int | None = Field(None, ge=1, le=2**62)
    unit: int | None = Field(None, ge=1, le=2**62)
    state: str | None = None
