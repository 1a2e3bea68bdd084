"""API shapes of inspections."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from tongyun.catalog.choices import Frequency, InspectionMode, Severity
from tongyun.core.rows import RowView
from tongyun.core.schemas import FilterSchema, Id, InputSchema, SaneDate

from .choices import MISSED, PlanStatus, TaskState
from .selectors import task_state  # at import, not per row: a list page resolves 100 states


class PlanFilters(FilterSchema):
    system: Id | None = Field(None, alias="system_id")
    unit: Id | None = Field(None, alias="unit_id")
    status: PlanStatus | None = None
    frequency: Frequency | None = None


class PlanOut(Schema):
    id: int
    system_id: int
    system: str = Field(..., alias="system.name")
    unit_id: int = Field(..., alias="system.unit_id")
    name: str
    frequency: str
    mode: str
    rrule: str
    tender_text: str
    assignee: str | None = Field(None, alias="assignee.username")
    status: str
    approved_by: str | None = Field(None, alias="approved_by.username")
    approved_at: datetime | None
    calendar_unknown_year: int | None


class ChecklistItemOut(Schema):
    id: int
    section: str
    label: str
    kind: str
    required: bool
    unit: str
    min_value: Decimal | None
    max_value: Decimal | None


class PlanDetailOut(PlanOut):
    checklist_items: list[ChecklistItemOut] = []
    task_count: int = 0


class PlanUpdateIn(InputSchema):
    name: str | None = None
    frequency: Frequency | None = None
    mode: InspectionMode | None = None
    rrule: str | None = None
    assignee: str | None = Field(None, description="巡检人用户名")


class TaskFilters(FilterSchema):
    system: Id | None = Field(None, alias="system_id")
    unit: Id | None = Field(None, alias="unit_id")
    plan: Id | None = Field(None, alias="plan_id")
    month: str | None = Field(None, description="YYYY-MM（按计划日期）")
    state: Literal["pending", "in_progress", "done", "missed"] | None = None
    overdue: bool | None = None
    assignee: Id | None = Field(None, alias="assignee_id")
    date_from: SaneDate | None = None
    date_to: SaneDate | None = None


class TaskOut(Schema):
    id: int
    plan_id: int
    plan: str = Field(..., alias="plan.name")
    system_id: int
    system: str = Field(..., alias="system.name")
    unit_id: int = Field(..., alias="system.unit_id")
    scheduled_for: date
    due_date: date
    assignee: str | None = Field(None, alias="assignee.username")
    state: str = Field(..., description=f"{', '.join(TaskState.values)}；{MISSED} = 逾期（派生）")

    @staticmethod
    def resolve_state(task) -> str:
        if isinstance(task, RowView):  # a list page: today's date once for the page, not once per row
            return task_state(task, task.once("today", timezone.localdate))
        return task_state(task)
    started_at: datetime | None
    completed_at: datetime | None


class ResultOut(Schema):
    item_id: int
    passed: bool | None
    number: Decimal | None
    text: str
    note: str
    photo: str | None = None
    device_id: int | None
    incident_id: int | None
    recorded_at: datetime


class TaskDetailOut(TaskOut):
    note: str = ""
    checklist_items: list[ChecklistItemOut] = []
    recorded: list[ResultOut] = Field([], description="已记录的检查结果")
    missing_required: list[int] = []


class ResultIn(InputSchema):
    item_id: Id
    passed: bool | None = None
    number: Decimal | None = None
    text: str = ""
    note: str = ""
    device_id: Id | None = None
    report_incident: bool = Field(False, description="记录为异常并同时报障（来源：巡检发现）")
    severity: Severity = Severity.GENERAL


class ResultsIn(InputSchema):
    results: list[ResultIn] = []
    complete: bool = Field(False, description="记录后完成巡检（必填项须已填写）")
    note: str = ""


class StatsFilters(FilterSchema):
    group_by: Literal["system", "unit"] = "system"
    system: Id | None = Field(None, alias="system_id")
    unit: Id | None = Field(None, alias="unit_id")
    month: str | None = Field(None, description="YYYY-MM")


class StatsOut(Schema):
    system_id: int | None
    system: str
    unit_id: int
    unit: str
    month: str
    total: int
    done: int
    on_time: int
    overdue: int
    open: int
    rate: float | None


# ---------------------------------------------------------------- monthly inspection reports (adapter)
# Reports of the engine (type inspections.monthly) in the shape of the old monthly inspection report.

LegacyReportState = Literal["draft", "submitted", "confirmed", "returned"]


class ReportFilters(FilterSchema):
    month: str | None = Field(None, description="YYYY-MM")
    system: Id | None = Field(None, alias="system_id")
    unit: Id | None = Field(None, alias="unit_id")
    state: LegacyReportState | None = None
    late: bool | None = Field(None, description="迟交：次月 7 日 23:59 后首次提交，或至今未交且已过期限")
    overdue: bool | None = Field(None, description="逾期未交：从未提交且已过期限")


class ReportOut(Schema):
    id: int = Field(..., description="报告引擎中的报告编号（/api/v1/reports/{id}）")
    system_id: int
    system: str
    unit_id: int
    unit: str
    month: date
    state: str
    due_at: datetime
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    submitted_by: str | None = None
    confirmed_at: datetime | None
    confirmed_by: str | None = None
    returned_at: datetime | None
    is_late: bool
    is_overdue: bool


class ReportDetailOut(ReportOut):
    summary: str
    open_risks: str
    improvements: str
    returned_by: str | None = None
    return_comment: str
    generated_at: datetime | None
    history: list[dict]
    snapshot: dict
