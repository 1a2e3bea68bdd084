from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Query, Router
from ninja.pagination import paginate

from tongyun.catalog.models import Device
from tongyun.core.pagination import KeysetPagination, paginate_rows
from tongyun.core.schemas import Id
from tongyun.parties.models import User

from . import selectors, services
from .models import InspectionTask
from .schemas import (
    PlanDetailOut,
    PlanFilters,
    PlanOut,
    PlanUpdateIn,
    ReportDetailOut,
    ReportFilters,
    ReportOut,
    ResultsIn,
    StatsFilters,
    StatsOut,
    TaskDetailOut,
    TaskFilters,
    TaskOut,
)

router = Router(tags=["inspections"])
TASK_PAGE = {"ordering": ("scheduled_for", "id"), "page_size": 100, "max_page_size": 500}
PLAN_PAGE = {"ordering": ("id",), "page_size": 100, "max_page_size": 500}


def _item(item) -> dict:
    return {"id": item.pk, "section": item.section, "label": item.label, "kind": item.kind,
            "required": item.required, "unit": item.unit, "min_value": item.min_value, "max_value": item.max_value}


def _plan_detail(plan):
    template = services.checklist_for(plan)
    plan.checklist_items = [_item(i) for i in template.items.all()] if template else []
    plan.task_count = plan.tasks.count()
    return plan


def _task_detail(task):
    results = selectors.results_of(task)
    task.checklist_items = [_item(i) for i in services.checklist_items(task)]
    task.recorded = [{"item_id": r.item_id, "passed": r.passed, "number": r.number, "text": r.text, "note": r.note,
                      "photo": r.photo.url if r.photo else None, "device_id": r.device_id,
                      "incident_id": r.incident_id, "recorded_at": r.recorded_at} for r in results.values()]
    task.missing_required = [i.pk for i in services.missing_required(task)] if task.state != "done" else []
    return task


@router.get("/plans", response=list[PlanOut])
@paginate(KeysetPagination, **PLAN_PAGE)
def list_plans(request, filters: Query[PlanFilters]):
    return selectors.plan_list(request.user, filters.dict(exclude_none=True))


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: Id):
    return _plan_detail(selectors.plan_get(request.user, plan_id))


@router.patch("/plans/{plan_id}", response=PlanDetailOut)
def update_plan(request, plan_id: Id, body: PlanUpdateIn):
    plan = selectors.plan_get(request.user, plan_id)
    changes = body.dict(exclude_unset=True, exclude_none=True)
    if "assignee" in changes:
        changes["assignee"] = User.objects.filter(username=changes["assignee"]).first()
        if changes["assignee"] is None:
            raise ValidationError({"assignee": "用户不存在"})
    services.update_plan(request.user, plan, **changes)
    return _plan_detail(selectors.plan_get(request.user, plan_id))


@router.post("/plans/{plan_id}/approve", response=PlanDetailOut)
def approve_plan(request, plan_id: Id):
    plan = selectors.plan_get(request.user, plan_id)
    services.approve_plan(request.user, plan)
    return _plan_detail(selectors.plan_get(request.user, plan_id))


@router.get("/tasks", response=list[TaskOut])
@paginate_rows(InspectionTask, TaskOut, needs=("state",), **TASK_PAGE)
def list_tasks(request, filters: Query[TaskFilters]):
    return selectors.task_list(request.user, filters.dict(exclude_none=True))


@router.get("/tasks/{task_id}", response=TaskDetailOut)
def get_task(request, task_id: Id):
    return _task_detail(selectors.task_get(request.user, task_id))


@router.post("/tasks/{task_id}/results", response=TaskDetailOut)
def submit_results(request, task_id: Id, body: ResultsIn):
    """Record answers (a failed one may open an incident at once) and optionally complete the task."""
    task = selectors.task_get(request.user, task_id)
    items = {i.pk: i for i in services.checklist_items(task)}
    with transaction.atomic():
        for entry in body.results:
            item = items.get(entry.item_id)
            if item is None:
                raise ValidationError({"item_id": f"检查项 {entry.item_id} 不属于此巡检单"})
            device = None
            if entry.device_id is not None:
                device = Device.objects.filter(pk=entry.device_id, system_id=task.system_id).first()
                if device is None:
                    raise ValidationError({"device_id": "设备不存在或不属于此系统"})
            if entry.report_incident:
                services.fail_item(request.user, task, item, note=entry.note, device=device, severity=entry.severity,
                                   number=entry.number, text=entry.text)
            else:
                services.record_result(request.user, task, item, passed=entry.passed, number=entry.number,
                                       text=entry.text, note=entry.note, device=device)
        if body.complete:
            services.complete_task(request.user, task, note=body.note)
        elif not body.results:
            services.start_task(request.user, task)
    return _task_detail(selectors.task_get(request.user, task_id))


@router.get("/stats", response=list[StatsOut])
def completion_stats(request, filters: Query[StatsFilters]):
    params = filters.dict(exclude_none=True)
    group_by = params.pop("group_by", "system")
    return selectors.completion_stats(request.user, params, group_by=group_by)


# ---------------------------------------------------------------- monthly inspection reports (adapter)
# The reports are the engine's (GET/POST /api/v1/reports…, type inspections.monthly): these two reads keep
# the old response shape over them; the writes (edit, submit, confirm, return) and the files are the engine's.

REPORT_PAGE = {"ordering": ("-period_start", "id"), "page_size": 100, "max_page_size": 500}


class MovedReportPagination(KeysetPagination):
    """Keyset pages of the engine's reports, each row in the old shape."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = selectors.as_moved_reports(list(result[self.items_attribute]))
        return result


@router.get("/reports", response=list[ReportOut])
@paginate(MovedReportPagination, **REPORT_PAGE)
def list_reports(request, filters: Query[ReportFilters]):
    """Monthly inspection reports (月度巡检报告, reports of the engine) the caller may see; is_late / is_overdue
    are derived."""
    return selectors.moved_report_list(request.user, filters.dict(exclude_none=True))


@router.get("/reports/{int:inspection_report_id}", response=ReportDetailOut)
def get_report(request, inspection_report_id: Id):
    """One monthly inspection report in the old shape; the id is the engine's (/api/v1/reports/{id})."""
    return selectors.as_moved_report(selectors.moved_report_get(request.user, inspection_report_id), detail=True)
