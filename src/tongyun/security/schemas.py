"""Bodies and answers of /api/v1/security/… (names prefixed with the domain: unique across the API)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from tongyun.core.schemas import Id, InputSchema

from .choices import (
    Conclusion,
    DutyCategory,
    ExpiringItemKind,
    FindingSeverity,
    FindingSource,
    LimitUnit,
    MlpsStatus,
    SoftwareKind,
    VulnerabilitySource,
)


class SecurityFilters(Schema):
    unit: Id | None = None
    system: Id | None = None
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter
    status: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    pending: bool | None = None


class MlpsRecordOut(Schema):
    id: int
    system_id: int
    system_name: str = Field(alias="system.name")
    unit_id: int = Field(alias="system.unit_id")
    level: int | None
    filing_number: str
    last_assessment_year: int | None
    status: MlpsStatus
    tender_text: str
    source_line_start: int | None
    source_line_end: int | None


class MlpsRecordIn(InputSchema):
    level: int | None = Field(None, ge=1, le=5)
    filing_number: str = Field("", max_length=100)
    last_assessment_year: int | None = Field(None, ge=2000, le=2100)
    status: MlpsStatus
    note: str = ""


class AssessmentSelectIn(InputSchema):
    system_id: int
    year: int = 2026


class AssessmentStepOut(Schema):
    stage: str
    completed_on: dt.date
    note: str


class AssessmentOut(Schema):
    id: int
    system_id: int
    system_name: str = Field(alias="system.name")
    unit_id: int = Field(alias="system.unit_id")
    year: int
    level: int
    stage: str
    assessor: str
    has_report: bool
    score: Decimal | None
    conclusion: str
    steps: list[AssessmentStepOut] = []

    @staticmethod
    def resolve_has_report(obj) -> bool:
        return bool(obj.report)

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class AssessmentAdvanceIn(InputSchema):
    completed_on: dt.date
    note: str = ""
    assessor: str | None = Field(None, max_length=200)
    score: Decimal | None = None
    conclusion: Conclusion | None = None


class ProgrammeLevelOut(Schema):
    level: int
    quota: int
    selected: int
    done: int
    stages: dict[str, int]


class ProgrammeUnitOut(Schema):
    unit: str
    unit_id: int
    levels: dict[int, dict[str, int]]


class ProgrammeOut(Schema):
    year: int
    levels: list[ProgrammeLevelOut]
    units: list[ProgrammeUnitOut]


class FindingIn(InputSchema):
    system_id: int
    title: str = Field(min_length=1, max_length=200)
    severity: FindingSeverity
    source: FindingSource = FindingSource.OTHER
    description: str = ""
    device_id: int | None = None
    assessment_id: int | None = None
    owner: str | None = Field(None, description="责任人用户名")
    found_at: dt.datetime | None = None
    limit_value: int = Field(24, ge=1, le=10000)
    limit_unit: LimitUnit = LimitUnit.HOUR


class FindingOut(Schema):
    id: int
    system_id: int
    system_name: str = Field(alias="system.name")
    unit_id: int = Field(alias="system.unit_id")
    device_id: int | None
    assessment_id: int | None
    source: str
    title: str
    description: str
    severity: str
    found_at: dt.datetime
    limit_value: int
    limit_unit: str
    due_at: dt.datetime
    owner: str | None = Field(None, alias="owner.username")
    status: str
    fix_description: str
    has_evidence: bool
    fixed_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.fix_evidence)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.now())


class FindingVerifyIn(InputSchema):
    accepted: bool
    note: str = ""


class SoftwareIn(InputSchema):
    system_id: int
    kind: SoftwareKind
    name: str = Field(min_length=1, max_length=200)
    version: str = Field("", max_length=100)
    device_id: int | None = None
    note: str = ""


class SoftwareOut(Schema):
    id: int
    system_id: int
    unit_id: int = Field(alias="system.unit_id")
    device_id: int | None
    kind: str
    name: str
    version: str
    note: str


class VulnerabilityIn(InputSchema):
    system_id: int
    title: str = Field(min_length=1, max_length=200)
    severity: FindingSeverity
    source: VulnerabilitySource
    found_on: dt.date
    cve: str = ""
    software_id: int | None = None
    fixed_on: dt.date | None = None
    note: str = ""


class VulnerabilityOut(Schema):
    id: int
    system_id: int
    unit_id: int = Field(alias="system.unit_id")
    software_id: int | None
    cve: str
    title: str
    severity: str
    source: str
    found_on: dt.date
    fixed_on: dt.date | None


class PatchIn(InputSchema):
    system_id: int
    name: str = Field(min_length=1, max_length=200)
    applied_at: dt.datetime | None = None
    restarted: bool = False
    reconfigured: bool = False
    software_id: int | None = None
    vulnerability_id: int | None = None
    note: str = ""


class PatchOut(Schema):
    id: int
    system_id: int
    unit_id: int = Field(alias="system.unit_id")
    software_id: int | None
    vulnerability_id: int | None
    name: str
    applied_at: dt.datetime
    restarted: bool
    reconfigured: bool
    applied_by: str = Field(alias="applied_by.username")


class ExpiringItemIn(InputSchema):
    system_id: int
    kind: ExpiringItemKind
    name: str = Field(min_length=1, max_length=200)
    quantity: int = Field(1, ge=1)
    expires_on: dt.date | None = None
    replace_every_months: int | None = Field(None, ge=1, le=240)
    last_replaced_on: dt.date | None = None
    renew_lead_months: int = Field(1, ge=0, le=24)
    install_window_days: int = Field(0, ge=0, le=365)
    issuer: str = ""
    note: str = ""


class ExpiringItemRenewIn(InputSchema):
    expires_on: dt.date | None = None
    replaced_on: dt.date | None = None
    note: str = ""


class ExpiringItemOut(Schema):
    id: int
    system_id: int
    unit_id: int = Field(alias="system.unit_id")
    kind: str
    name: str
    quantity: int
    expires_on: dt.date | None
    due_on: dt.date | None
    renew_from: dt.date | None
    install_from: dt.date | None
    reminded_stage: int
    source: str
    check_target: str
    retired: bool


class DutyOut(Schema):
    id: int
    system_id: int
    unit_id: int = Field(alias="system.unit_id")
    category: DutyCategory
    key: str
    name: str
    cadence: str
    rrule: str
    source_lines: str


class OccurrenceOut(Schema):
    id: int
    duty_id: int
    system_id: int = Field(alias="duty.system_id")
    unit_id: int = Field(alias="duty.system.unit_id")
    name: str = Field(alias="duty.name")
    scheduled_for: dt.date
    due_on: dt.date
    status: str
    done_on: dt.date | None
    result: str
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)
