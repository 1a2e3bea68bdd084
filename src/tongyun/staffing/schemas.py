"""Bodies and answers of /api/v1/staffing/… (names prefixed with Staffing: unique across the API)."""

import datetime as dt

from ninja import Schema

from tongyun.core.schemas import InputSchema


class StaffingPostHoldingOut(Schema):
    post: str
    start: dt.date
    end: dt.date | None


class StaffingCertificateOut(Schema):
    kind: str
    number: str
    issuer: str
    valid_until: dt.date | None


class StaffingMemberOut(Schema):
    id: int
    name: str
    username: str | None
    phone: str | None  # only to roles that need it
    id_number: str | None  # only to the PM and the bureau admin
    social_insurance_months: int
    active: bool
    posts: list[StaffingPostHoldingOut]
    certificates: list[StaffingCertificateOut]


class StaffingMemberIn(InputSchema):
    name: str
    phone: str = ""
    id_number: str = ""
    social_insurance_months: int = 0


class StaffingPostIn(InputSchema):
    post: str
    since: dt.date


class StaffingRuleOut(Schema):
    label: str
    source: str
    required: str
    actual: int
    met: bool


class StaffingComplianceOut(Schema):
    on: dt.date
    compliant: bool
    rules: list[StaffingRuleOut]


class StaffingOnsitePostOut(Schema):
    id: int
    system_id: int
    unit_id: int
    row_no: int | None
    label: str
    head_count: int
    pattern: str
    hours_text: str
    source_line_start: int | None
    source_line_end: int | None
    current: list[str]
    vacant: int


class StaffingChangeIn(InputSchema):
    leaving_id: int | None = None
    replacement_id: int
    reason: str
    replacement_profile: str
    effective_date: dt.date


class StaffingChangeOut(Schema):
    id: int
    post_id: int
    system_id: int
    leaving: str | None
    replacement: str
    notified_on: dt.date
    effective_date: dt.date
    state: str

    @staticmethod
    def resolve_system_id(obj) -> int:
        return obj["system_id"] if isinstance(obj, dict) else obj.post.system_id

    @staticmethod
    def resolve_leaving(obj) -> str | None:
        if isinstance(obj, dict):
            return obj["leaving"]
        return obj.leaving.name if obj.leaving_id else None

    @staticmethod
    def resolve_replacement(obj) -> str:
        return obj["replacement"] if isinstance(obj, dict) else obj.replacement.name


class StaffingSlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    person: str | None
    phone: str | None
    source: str


class StaffingGapOut(Schema):
    start: dt.datetime
    end: dt.datetime


class StaffingRosterOut(Schema):
    id: int
    system_id: int
    unit_id: int
    name: str
    round_the_clock: bool


class StaffingRosterDetailOut(StaffingRosterOut):
    schedule: list[StaffingSlotOut]
    gaps: list[StaffingGapOut]


class StaffingRosterIn(InputSchema):
    system_id: int
    name: str
    round_the_clock: bool = True


class StaffingLayerIn(InputSchema):
    name: str = ""
    rotation_start: dt.datetime
    shift_hours: int = 24
    member_ids: list[int]
    day_kind: str = "all"
    rrule: str = ""
    window_start: dt.time | None = None
    window_end: dt.time | None = None


class StaffingOverrideIn(InputSchema):
    person_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = ""


class StaffingOnDutyOut(Schema):
    system_id: int
    roster_id: int
    person: str | None
    phone: str | None
    until: dt.datetime | None


class StaffingReadinessOut(Schema):
    period_id: int
    name: str
    start: dt.datetime
    end: dt.datetime
    ready: bool
    due: bool
    missing: list[str]


class StaffingSafetyMonthOut(Schema):
    month: dt.date
    held: bool


class StaffingSafetyIn(InputSchema):
    held_on: dt.date
    topic: str
    trainer: str
    attendee_ids: list[int] = []
