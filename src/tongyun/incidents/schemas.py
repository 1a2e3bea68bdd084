"""API shapes of incidents."""

from datetime import date as date_type
from datetime import datetime
from datetime import time as time_type
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from tongyun.catalog.choices import Severity, TimeUnit
from tongyun.core.schemas import FilterSchema, Id, InputSchema, SaneDate, SaneDatetime

from .choices import IncidentAction, IncidentSource


class IncidentIn(InputSchema):
    system_id: Id
    title: str = Field(..., min_length=1, max_length=200)
    severity: Severity
    description: str = ""
    device_id: Id | None = None
    tier_key: str = ""
    reported_at: SaneDatetime | None = Field(None, description="电话报障时收到报告的时刻（仅调度、项目经理可补录）")
    reporter_name: str = Field("", max_length=100, description="联系人；缺省为报障账号的姓名")
    reporter_phone: str = Field("", max_length=40, description="联系电话；缺省为账号的手机，再缺省为单位联系电话")
    location: str = Field("", max_length=200, description="故障地点/点位")


class ActionIn(InputSchema):
    action: IncidentAction
    note: str = ""
    assignee: str | None = Field(None, description="派单时的处理人用户名")
    cause: str = ""
    action_taken: str = ""
    parts_used: str = ""
    satisfaction: int | None = Field(None, ge=1, le=5, description="确认修复时的满意度（1–5）")
    satisfaction_comment: str = Field("", max_length=2000, description="确认修复时的评价")


class ReclassifyIn(InputSchema):
    note: str
    severity: Severity | None = None
    system_id: Id | None = None
    device_id: Id | None = None
    tier_key: str | None = None


class CommentIn(InputSchema):
    note: str


class ClockOut(Schema):
    kind: str
    label: str
    target: str
    due: datetime | None
    state: str
    seconds_left: int | None


class IncidentOut(Schema):
    id: int
    number: str
    system_id: int
    system_name: str = Field(..., alias="system.name")
    unit_id: int = Field(..., alias="system.unit_id")
    device_id: int | None
    title: str
    severity: str
    tier_key: str
    source: IncidentSource
    state: str
    reported_at: datetime
    assignee: str | None = Field(None, alias="assignee.username")
    acknowledged_at: datetime | None
    arrived_at: datetime | None
    resolved_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    response_due: datetime | None
    arrival_due: datetime | None
    repair_due: datetime | None
    restore_due: datetime | None
    calendar_unknown_year: int | None


class IncidentEventOut(Schema):
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    actor_name: str | None = None  # the person's name (the login is `actor`)

    @staticmethod
    def resolve_actor_name(event) -> str | None:
        return str(event.actor) if event.actor_id else None

    kind: str
    action: str
    from_state: str
    to_state: str
    note: str
    data: dict


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    is_image: bool
    uploaded_at: datetime
    url: str


class IncidentDetailOut(IncidentOut):
    description: str
    reporter_name: str
    reporter_phone: str
    location: str
    satisfaction: int | None
    satisfaction_comment: str
    attachments: list[AttachmentOut] = Field(..., alias="attachment_list")
    cause: str
    action_taken: str
    parts_used: str
    policy: dict
    clocks: list[ClockOut]
    available_actions: list[str]
    events: list[IncidentEventOut] = Field(..., alias="timeline_events")


class IncidentFilters(FilterSchema):
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter
    state: list[str] | None = None
    severity: str | None = None
    clock: str | None = None
    system: Id | None = None
    unit: Id | None = None
    category: str | None = None
    assignee: Id | None = None
    reported_from: str | None = None
    reported_to: str | None = None


# ---------------------------------------------------------------- SLA compliance (tongyun.incidents.compliance)


class BreachFilters(FilterSchema):
    month: str | None = Field(None, description="年-月，如 2026-03；缺省为本月（北京时间）")
    unit: Id | None = None
    system: Id | None = None
    category: str | None = None
    severity: str | None = None


class ComplianceFilters(BreachFilters):
    group_by: str = Field("unit", description="unit（用户单位）、system（系统）或 category（类别）")


class ComplianceWorkbookFilters(ComplianceFilters):
    group_by: str = Field("unit,system,category", description="一个或多个分组，逗号分隔；每个分组一张工作表")
    breaches: bool = Field(False, description="附加“超时明细”工作表")


class ComplianceRowOut(Schema):
    group: str = Field(..., description="分组名称：用户单位、系统或类别")
    unit_id: int | None = None
    unit_name: str | None = None
    system_id: int | None = None
    system_name: str | None = None
    category: str | None = None
    incidents: int
    response_targets: int
    response_met: int
    response_breached: int
    response_pending: int
    response_met_pct: float | None = Field(None, description="按时 ÷（按时 + 超时）× 100；无已判定时为空")
    response_breach_seconds: int
    repair_targets: int
    repair_met: int
    repair_breached: int
    repair_pending: int
    repair_met_pct: float | None = None
    repair_breach_seconds: int
    breaches: int = Field(..., description="超时的计时项数（响应、修复各计一次）")
    breach_seconds_total: int
    breach_seconds_max: int
    calendar_unknown: int
    no_target: int = Field(0, description="招标未设定数值时限的故障数")


class ComplianceOut(Schema):
    month: str
    group_by: str
    now: datetime
    results: list[ComplianceRowOut]
    total: ComplianceRowOut


class BreachOut(Schema):
    id: int
    number: str
    system_id: int
    system_name: str = Field(..., alias="system.name")
    unit_id: int = Field(..., alias="system.unit_id")
    unit_name: str = Field(..., alias="system.unit.name")
    title: str
    severity: str
    state: str
    reported_at: datetime
    response_due: datetime | None
    acknowledged_at: datetime | None
    response_breach_seconds: int | None
    repair_due: datetime | None
    resolved_at: datetime | None
    repair_breach_seconds: int | None

    @staticmethod
    def resolve_response_breach_seconds(obj) -> int | None:
        return _seconds(obj.response_breach)

    @staticmethod
    def resolve_repair_breach_seconds(obj) -> int | None:
        return _seconds(obj.repair_breach)


def _seconds(value) -> int | None:
    from .compliance import seconds_of

    return seconds_of(value)


# ---------------------------------------------------------------- calendar, major events, business hours


class CalendarDayIn(InputSchema):
    date: SaneDate
    type: Literal["off", "work"] = Field(..., description="off = 休（放假）, work = 班（调休上班）")
    name: str = ""


class CalendarYearIn(InputSchema):
    source: str = ""
    days: list[CalendarDayIn]


class CalendarDayOut(Schema):
    date: date_type
    is_working: bool
    name: str
    is_correction: bool


class CalendarYearOut(Schema):
    year: int
    source: str
    days: list[CalendarDayOut]


class CorrectionIn(InputSchema):
    is_working: bool
    name: str = ""


class WorkingDayOut(Schema):
    date: date_type
    is_working: bool | None
    name: str
    known: bool


class MajorEventIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    start: SaneDatetime
    end: SaneDatetime
    response_value: Decimal | None = Decimal(1)
    response_unit: TimeUnit | None = TimeUnit.HOUR
    repair_value: Decimal | None = Decimal(2)
    repair_unit: TimeUnit | None = TimeUnit.HOUR
    all_systems: bool = True
    system_ids: list[Id] = []
    note: str = ""


class MajorEventOut(Schema):
    id: int
    name: str
    start: datetime
    end: datetime
    response_value: Decimal | None
    response_unit: str
    repair_value: Decimal | None
    repair_unit: str
    all_systems: bool
    system_ids: list[int]
    note: str

    @staticmethod
    def resolve_system_ids(period) -> list[int]:
        return [s.pk for s in period.systems.all()]


class BusinessHoursIn(InputSchema):
    start: time_type
    end: time_type


# ---------------------------------------------------------------- notifications


class NotificationFilters(FilterSchema):
    unread: bool | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    incident_id: int
    incident_number: str = Field(..., alias="incident.number")
    incident_title: str = Field(..., alias="incident.title")
    created_at: datetime
    read_at: datetime | None
    closed_by: str | None = None  # for kind "closed": who closed the ticket

    @staticmethod
    def resolve_kind_label(notification) -> str:
        return str(notification.get_kind_display())

    @staticmethod
    def resolve_closed_by(notification) -> str | None:
        if notification.kind != "closed":
            return None
        return notification.closed_by_name or notification.closed_by_login


class NotificationReadIn(InputSchema):
    """Mark read: the listed ids (at most 500, the user's own), or all of them."""

    ids: list[Id] = Field(default_factory=list, max_length=500)
    all: bool = False


class NotificationReadOut(Schema):
    marked: int
    unread: int
