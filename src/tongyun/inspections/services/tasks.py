"""Tasks: results recorded by the engineer, failed items opened as incidents, completion, assignment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Assignment, Device
from tongyun.core.scoping import scoped
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentSource
from tongyun.parties.choices import Role

from ..choices import ItemKind, TaskState
from ..models import (
    ChecklistItem,
    InspectionResult,
    InspectionTask,
)
from .common import FIELD_ROLES, _role
from .plans import checklist_items

# ---------------------------------------------------------------- recording


def may_record(user, task: InspectionTask) -> bool:
    """The engineer the task is assigned to; for an unassigned task, field staff assigned to the system."""
    if not user.is_authenticated or task.state == TaskState.DONE:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return _role(user) in FIELD_ROLES and Assignment.objects.filter(system_id=task.system_id, user=user).exists()


def _check_recorder(user, task: InspectionTask) -> InspectionTask:
    if not scoped(InspectionTask.objects.filter(pk=task.pk), user).exists():
        raise PermissionDenied
    task = InspectionTask.objects.select_for_update().select_related("plan", "system").get(pk=task.pk)
    if task.state == TaskState.DONE:
        raise ValidationError({"state": _("巡检已完成，不能再修改")})
    if not may_record(user, task):
        raise PermissionDenied
    return task


def _start(task: InspectionTask, user, now: dt.datetime) -> None:
    if task.state == TaskState.PENDING:
        task.state, task.started_at = TaskState.IN_PROGRESS, now
        if task.assignee_id is None:
            task.assignee = user
        task.save(update_fields=["state", "started_at", "assignee"])


@transaction.atomic
def start_task(user, task: InspectionTask, now: dt.datetime | None = None) -> InspectionTask:
    task = _check_recorder(user, task)
    _start(task, user, now or timezone.now())
    return task


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"number": _("请输入数字")}) from None


@transaction.atomic
def record_result(user, task: InspectionTask, item: ChecklistItem, *, passed: bool | None = None, number=None,
                  text: str = "", photo=None, note: str = "", device: Device | None = None,
                  now: dt.datetime | None = None) -> InspectionResult:
    """Record (or correct) the answer to one checklist item; starts the task. A number outside the
    item's range is recorded as not passed."""
    now = now or timezone.now()
    task = _check_recorder(user, task)
    if item.pk not in {i.pk for i in checklist_items(task)}:
        raise ValidationError({"item": _("检查项不属于此巡检单")})
    if device is not None and device.system_id != task.system_id:
        raise ValidationError({"device": _("设备不属于所选系统")})
    number = _decimal(number)
    existing = InspectionResult.objects.filter(task=task, item=item).first()
    if item.kind == ItemKind.PASS_FAIL and passed is None:
        raise ValidationError({"passed": _("请选择正常或异常")})
    if item.kind == ItemKind.NUMBER:
        if number is None:
            raise ValidationError({"number": _("请输入数值")})
        in_range = (item.min_value is None or number >= item.min_value) and \
            (item.max_value is None or number <= item.max_value)
        passed = in_range if passed is None else (passed and in_range)
    if item.kind == ItemKind.TEXT and not text.strip() and passed is None:
        raise ValidationError({"text": _("请填写")})
    if item.kind == ItemKind.PHOTO and not photo and not (existing and existing.photo):
        raise ValidationError({"photo": _("请上传照片")})
    _start(task, user, now)
    result = existing or InspectionResult(task=task, item=item)
    result.passed, result.number, result.text, result.note = passed, number, text, note
    result.device = device if device is not None else result.device
    result.recorded_by, result.recorded_at = user, now
    if photo:
        result.photo = photo
    result.save()
    return result


@transaction.atomic
def fail_item(user, task: InspectionTask, item: ChecklistItem, *, note: str = "", device: Device | None = None,
              severity: str = "general", number=None, text: str = "", photo=None,
              now: dt.datetime | None = None) -> InspectionResult:
    """Record an item as failed and open an incident for it in one step (source 巡检发现), linked on the result."""
    now = now or timezone.now()
    result = record_result(user, task, item, passed=False, number=number, text=text, photo=photo, note=note,
                           device=device, now=now)
    if result.incident_id:
        return result
    task = result.task
    description = _("巡检任务 %(date)s（%(plan)s）检查项“%(item)s”异常。") % {
        "date": f"{task.scheduled_for:%Y-%m-%d}", "plan": task.plan.name, "item": item.label}
    if note:
        description += "\n" + note
    incident = incident_services.report_incident(
        user, system=task.system, title=_("巡检异常：%(item)s") % {"item": item.label}, severity=severity,
        description=description, device=device, source=IncidentSource.INSPECTION, now=now)
    result.incident = incident
    result.save(update_fields=["incident"])
    return result


def missing_required(task: InspectionTask) -> list[ChecklistItem]:
    answered = set(task.results.values_list("item_id", flat=True))
    return [i for i in checklist_items(task) if i.required and i.pk not in answered]


@transaction.atomic
def complete_task(user, task: InspectionTask, *, note: str = "", now: dt.datetime | None = None) -> InspectionTask:
    """Mark the inspection done; every required item must be answered."""
    now = now or timezone.now()
    task = _check_recorder(user, task)
    missing = missing_required(task)
    if missing:
        raise ValidationError({"results": _("以下必填检查项未填写：%(items)s") % {
            "items": "、".join(i.label for i in missing)}})
    _start(task, user, now)
    task.state, task.completed_at, task.completed_by, task.note = TaskState.DONE, now, user, note
    task.save(update_fields=["state", "completed_at", "completed_by", "note"])
    return task


# ---------------------------------------------------------------- assignment

ASSIGNERS = frozenset({Role.PROJECT_MANAGER, Role.DISPATCHER, Role.BUREAU_ADMIN})
MAX_BULK = 1000


@transaction.atomic
def assign_tasks(user, task_ids, inspector) -> int:
    """Give many not-yet-done tasks one inspector (PM, dispatcher, bureau admin). Every id must be a task the
    user may see and not done, or nothing changes; the inspector becomes assigned to the tasks' systems
    (field staff see the systems they are assigned to)."""
    if _role(user) not in ASSIGNERS:
        raise PermissionDenied
    ids = sorted({int(i) for i in task_ids})
    if not ids:
        raise ValidationError({"tasks": _("请至少选择一个任务")})
    if len(ids) > MAX_BULK:
        raise ValidationError({"tasks": _("一次最多分配 %(n)s 个任务") % {"n": MAX_BULK}})
    if inspector is None or inspector.role not in FIELD_ROLES or not inspector.is_active:
        raise ValidationError({"inspector": _("请选择运维工程师、驻场人员或电工")})
    tasks = scoped(InspectionTask.objects.all(), user).filter(pk__in=ids)
    found = dict(tasks.values_list("pk", "state"))
    missing = [i for i in ids if i not in found]
    if missing:
        listed = ", ".join(map(str, missing[:10]))
        raise ValidationError({"tasks": _("任务不存在或无权分配：%(ids)s") % {"ids": listed}})
    done = [i for i in ids if found[i] == TaskState.DONE]
    if done:
        raise ValidationError({"tasks": _("已完成的任务不能改派：%(ids)s") % {"ids": ", ".join(map(str, done[:10]))}})
    for system_id in set(tasks.values_list("system_id", flat=True)):
        Assignment.objects.get_or_create(system_id=system_id, user=inspector)
    return tasks.update(assignee=inspector)
