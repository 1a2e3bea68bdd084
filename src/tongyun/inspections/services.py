"""Writes of the inspection domain: plans from the catalog, task generation kept in step with the plans,
plan editing (PM) and approval (user unit), results recorded by the engineer, failed items opened as
incidents, completion, iCalendar feed tokens, and the monthly inspection reports (generation, edit,
submit, confirm / return).

Dates come from tongyun.domain.schedules (pure) with the working calendar of tongyun.incidents.clocks
(chinesecalendar + the bureau's declarations and corrections). Generation is bulk: per plan one query
reads its tasks, one bulk_create / bulk_update / delete writes the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.choices import Frequency, InspectionMode
from tongyun.catalog.models import Assignment, Device, InspectionCadence, System
from tongyun.core.feeds import new_secret, secret_hash
from tongyun.core.scoping import scoped
from tongyun.domain import schedules
from tongyun.domain.working_calendar import WorkingCalendar
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentSource
from tongyun.parties.choices import Role

from . import checklist_data
from .choices import ItemKind, PlanStatus, ReportState, TaskState
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    FeedToken,
    InspectionPlan,
    InspectionResult,
    InspectionTask,
    MonthlyInspectionReport,
)

SERVICE_YEAR = 2026  # the tender's service year (服务期 2026-01-01 … 2026-12-31)
FIELD_ROLES = frozenset({Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN})
PLAN_EDITORS = frozenset({Role.PROJECT_MANAGER})
PLAN_APPROVERS = frozenset({Role.UNIT_ADMIN})
SCHEDULE_FIELDS = ("frequency", "rrule")


def _calendar() -> WorkingCalendar:
    from tongyun.incidents.clocks import working_calendar

    return working_calendar()


# ---------------------------------------------------------------- checklists


def _item_rows(template: ChecklistTemplate, items: list[checklist_data.Item]) -> list[ChecklistItem]:
    rows = []
    for position, (section, label, kind, help_text, extra) in enumerate(items, start=1):
        rows.append(ChecklistItem(
            template=template, position=position, section=section, label=label, kind=kind, help_text=help_text,
            unit=extra.get("unit", ""), required=extra.get("required", True),
            min_value=extra.get("min_value"), max_value=extra.get("max_value"),
        ))
    return rows


@transaction.atomic
def seed_checklists() -> tuple[int, int]:
    """Category checklists, and a system's own where its tender words ask for other items.
    Idempotent: existing templates (and the PM's edits to them) are left alone. → (templates, items)."""
    templates = items = 0
    existing_categories = set(ChecklistTemplate.objects.filter(system__isnull=True).values_list("category", flat=True))
    rows: list[ChecklistItem] = []
    for category, group in checklist_data.CATEGORY_ITEMS.items():
        if category in existing_categories:
            continue
        template = ChecklistTemplate.objects.create(name=_("%(c)s 巡检单") % {"c": category}, category=category,
                                                    source="招标文件第五章：项目巡检工作（软件巡检、硬件巡检）")
        rows += _item_rows(template, group)
        templates += 1
    with_template = set(ChecklistTemplate.objects.filter(system__isnull=False).values_list("system_id", flat=True))
    for system in System.objects.only("id", "name", "category", "inspection_text", "work_content"):
        if system.pk in with_template:
            continue
        wanted = checklist_data.items_for_text(system.category, system.inspection_text, system.work_content)
        default = checklist_data.CATEGORY_ITEMS.get(system.category)
        if default is not None and [i[1] for i in wanted] == [i[1] for i in default]:
            continue
        template = ChecklistTemplate.objects.create(
            name=_("%(s)s 巡检单") % {"s": system.name}, category=system.category, system=system,
            source=checklist_data.inspection_section(system.work_content)[:2000] or system.inspection_text)
        rows += _item_rows(template, wanted)
        templates += 1
    ChecklistItem.objects.bulk_create(rows, batch_size=1000)
    items = len(rows)
    return templates, items


def checklist_for(plan: InspectionPlan) -> ChecklistTemplate | None:
    """The plan's own checklist, else its system's, else its category's."""
    if plan.checklist_id:
        return plan.checklist
    return (ChecklistTemplate.objects.filter(system_id=plan.system_id).first()
            or ChecklistTemplate.objects.filter(system__isnull=True, category=plan.system.category).first())


def checklist_items(task: InspectionTask) -> list[ChecklistItem]:
    template = checklist_for(task.plan)
    return list(template.items.all()) if template else []


# ---------------------------------------------------------------- plans from the catalog


def _plan_name(frequency: str, mode: str) -> str:
    label = str(Frequency(frequency).label)
    if mode != InspectionMode.UNSPECIFIED:
        label += str(InspectionMode(mode).label)
    return _("%(f)s巡检") % {"f": label}


@transaction.atomic
def create_plans_from_catalog(*, generate: bool = True, today: dt.date | None = None,
                              since: dt.date | None = None) -> dict:
    """One plan per catalog InspectionCadence (several per system where the tender sets several); a
    system whose row states no cadence gets one on-demand plan (no dates until the PM sets a
    frequency). Idempotent. Also seeds the checklists and generates the new plans' tasks (from ``since``,
    default today — see generate_tasks)."""
    templates, items = seed_checklists()
    planned = set(InspectionPlan.objects.filter(source_cadence__isnull=False).values_list("source_cadence_id",
                                                                                          flat=True))
    with_plans = set(InspectionPlan.objects.values_list("system_id", flat=True).distinct())
    first_staff: dict[int, int] = {}
    for system_id, user_id in Assignment.objects.order_by("id").values_list("system_id", "user_id"):
        first_staff.setdefault(system_id, user_id)
    new: list[InspectionPlan] = []
    for cadence in InspectionCadence.objects.select_related("system").order_by("system__row_no", "id"):
        if cadence.pk in planned:
            continue
        new.append(InspectionPlan(
            system=cadence.system, source_cadence=cadence, name=_plan_name(cadence.frequency, cadence.mode),
            frequency=cadence.frequency, mode=cadence.mode,
            rrule=cadence.rrule or (schedules.default_rrule(cadence.frequency)
                                    if cadence.frequency not in schedules.NO_OCCURRENCES else ""),
            tender_text=cadence.text, assignee_id=first_staff.get(cadence.system_id)))
        with_plans.add(cadence.system_id)
    for system in System.objects.exclude(pk__in=with_plans).order_by("row_no"):
        new.append(InspectionPlan(
            system=system, name=_("按需巡检（招标未规定频次）"), frequency=Frequency.ON_DEMAND,
            tender_text=system.inspection_text, assignee_id=first_staff.get(system.pk)))
    InspectionPlan.objects.bulk_create(new)
    result = {"plans_created": len(new), "checklists_created": templates, "checklist_items_created": items,
              "tasks_created": 0}
    if generate:
        calendar = _calendar()
        for plan in InspectionPlan.objects.filter(generated_at__isnull=True).select_related("system"):
            result["tasks_created"] += generate_tasks(plan, today=today, since=since, calendar=calendar).created
    return result


# ---------------------------------------------------------------- generation


@dataclass
class Generation:
    created: int = 0
    deleted: int = 0
    updated: int = 0
    kept: int = 0
    calendar_unknown_year: int | None = None

    @property
    def touched(self) -> int:
        return self.created + self.deleted + self.updated


def service_window(system: System) -> tuple[dt.date, dt.date] | None:
    """The dates the system is in service this service year; None while its start date is unknown."""
    if system.service_start is None:
        return None
    year_start, year_end = dt.date(SERVICE_YEAR, 1, 1), dt.date(SERVICE_YEAR, 12, 31)
    start = max(system.service_start, year_start)
    end = min(system.service_end or year_end, year_end)
    return (start, end) if start <= end else None


def planned_occurrences(plan: InspectionPlan, calendar: WorkingCalendar, *, from_day: dt.date | None = None
                        ) -> tuple[list[schedules.Occurrence], int | None]:
    """The plan's inspections in the service window; with ``from_day``, only the periods still running on
    that day — the period ``from_day`` falls in is scheduled from that day on, due at the period's end."""
    window = service_window(plan.system)
    if window is None or plan.frequency in schedules.NO_OCCURRENCES and not plan.rrule:
        return [], None
    start, end = window
    if from_day is not None:
        start = max(start, from_day)
        if start > end:
            return [], None
    return schedules.occurrences_until_unknown(plan.frequency, start, end, calendar, rrule_text=plan.rrule or None)


def generate_tasks(plan: InspectionPlan, *, today: dt.date | None = None, since: dt.date | None = None,
                   calendar: WorkingCalendar | None = None) -> Generation:
    """Bring the plan's tasks in step with its schedule for the service year.

    First generation: every occurrence from ``since`` (default ``today``: a platform that goes live
    mid-year does not invent missed inspections for the months before it; pass the service start to
    backfill); the period already running on that day is included — scheduled from that day on (next
    working day), due at the period's end. Later (after a plan change): only dates from ``today`` on
    move — future not-started tasks that no longer match are deleted, matching ones are kept (due date
    and assignee refreshed), missing ones are created. Started and done tasks, and the past, are never
    touched. Dates in a year the calendar does not know are left alone and the
    plan records that year.
    """
    today = today or timezone.localdate()
    calendar = calendar or _calendar()
    first = plan.generated_at is None
    create_from = (since or today) if first else today
    wanted, unknown_year = planned_occurrences(plan, calendar)
    wanted_by_day = {o.day: o.due for o in wanted}
    existing = list(InspectionTask.objects.filter(plan=plan).only(
        "id", "scheduled_for", "due_date", "state", "assignee_id", "started_at"))
    # going live inside a period: that period's inspection is still owed, from create_from on and due
    # at the period's end (issue 8: row 23's Q4 inspection when starting in Q4) — unless the plan already
    # had a task in that period before create_from (a plan changed mid-period)
    first_day_of = {o.due: o.day for o in wanted}
    live, _ = planned_occurrences(plan, calendar, from_day=create_from)
    for o in live:
        if o.day in wanted_by_day:
            continue
        period_first = first_day_of.get(o.due, o.day)
        if not any(period_first <= t.scheduled_for < create_from for t in existing):
            wanted_by_day[o.day] = o.due
    outcome = Generation(calendar_unknown_year=unknown_year)
    limit = dt.date(unknown_year, 1, 1) if unknown_year else dt.date.max
    have = {t.scheduled_for for t in existing}
    stale, refresh = [], []
    for task in existing:
        movable = task.state == TaskState.PENDING and task.started_at is None and today <= task.scheduled_for < limit
        if not movable:
            outcome.kept += 1
            continue
        due = wanted_by_day.get(task.scheduled_for)
        if due is None:
            stale.append(task.pk)
        elif task.due_date != due or task.assignee_id != plan.assignee_id:
            task.due_date, task.assignee_id = due, plan.assignee_id
            refresh.append(task)
        else:
            outcome.kept += 1
    stale_ids = set(stale)
    covered = {t.due_date for t in existing if t.pk not in stale_ids} | {t.due_date for t in refresh}
    # one inspection per period: a period that already has a task (kept, started or done) gets no second
    new = [InspectionTask(plan=plan, system_id=plan.system_id, scheduled_for=day, due_date=due,
                          assignee_id=plan.assignee_id)
           for day, due in wanted_by_day.items() if day not in have and due not in covered and day >= create_from]
    with transaction.atomic():
        if stale:
            outcome.deleted = InspectionTask.objects.filter(pk__in=stale, state=TaskState.PENDING,
                                                            started_at__isnull=True).delete()[0]
        if refresh:
            InspectionTask.objects.bulk_update(refresh, ["due_date", "assignee"], batch_size=1000)
            outcome.updated = len(refresh)
        if new:
            InspectionTask.objects.bulk_create(new, batch_size=1000)
            outcome.created = len(new)
        InspectionPlan.objects.filter(pk=plan.pk).update(generated_at=timezone.now(),
                                                         calendar_unknown_year=unknown_year)
    plan.generated_at, plan.calendar_unknown_year = timezone.now(), unknown_year
    return outcome


def regenerate_system(system: System) -> Generation:
    """After a system's service start or end moved (hooks: system_service_period_changed)."""
    total = Generation()
    calendar = _calendar()
    for plan in InspectionPlan.objects.filter(system=system).select_related("system"):
        one = generate_tasks(plan, calendar=calendar)
        total.created, total.deleted = total.created + one.created, total.deleted + one.deleted
    return total


def regenerate_after_calendar_change() -> Generation:
    """After the bureau declared a year or corrected a day (hooks: working_calendar_changed)."""
    return generate_all()


def generate_all(*, today: dt.date | None = None) -> Generation:
    """Regenerate every plan (e.g. after the bureau declares next year's calendar)."""
    total = Generation()
    calendar = _calendar()
    for plan in InspectionPlan.objects.select_related("system"):
        one = generate_tasks(plan, today=today, calendar=calendar)
        total.created += one.created
        total.deleted += one.deleted
        total.updated += one.updated
        total.kept += one.kept
    return total


# ---------------------------------------------------------------- plan edit and approval


def _role(user) -> str:
    return Role.BUREAU_ADMIN if user.is_superuser and not user.role else user.role


def may_edit_plan(user, plan: InspectionPlan) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in PLAN_EDITORS))


def may_approve_plan(user, plan: InspectionPlan) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in PLAN_APPROVERS and user.organisation_id == plan.system.unit_id


@transaction.atomic
def update_plan(user, plan: InspectionPlan, *, today: dt.date | None = None, **changes) -> Generation:
    """The PM edits a plan (name, frequency, mode, rrule, assignee, checklist). A schedule change sends
    the plan back for the unit's approval and regenerates its future tasks."""
    if not may_edit_plan(user, plan):
        raise PermissionDenied
    allowed = {"name", "frequency", "mode", "rrule", "assignee", "checklist"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: _("不可修改") for field in unknown})
    plan = InspectionPlan.objects.select_for_update().select_related("system").get(pk=plan.pk)
    before = {f: getattr(plan, f) for f in SCHEDULE_FIELDS + ("assignee_id",)}
    if "frequency" in changes and changes["frequency"] not in Frequency.values:
        raise ValidationError({"frequency": _("无效的频次")})
    if "frequency" in changes and "rrule" not in changes:
        changes["rrule"] = "" if changes["frequency"] in schedules.NO_OCCURRENCES else \
            schedules.default_rrule(changes["frequency"])
    if changes.get("rrule"):
        try:
            changes["rrule"] = schedules.validate_rrule(changes["rrule"])
        except schedules.ScheduleError as problem:
            raise ValidationError({"rrule": str(problem)}) from problem
    assignee = changes.get("assignee")
    if assignee is not None and (assignee.role not in FIELD_ROLES or not assignee.is_active):
        raise ValidationError({"assignee": _("请选择运维工程师、驻场人员或电工")})
    checklist = changes.get("checklist")
    if checklist is not None and checklist.system_id not in (None, plan.system_id):
        raise ValidationError({"checklist": _("巡检单不属于此系统")})
    for field, value in changes.items():
        setattr(plan, field, value)
    if not plan.rrule and plan.frequency not in schedules.NO_OCCURRENCES:
        plan.rrule = schedules.default_rrule(plan.frequency)
    if not plan.name.strip():
        raise ValidationError({"name": _("请填写")})
    schedule_changed = any(getattr(plan, f) != before[f] for f in SCHEDULE_FIELDS)
    if schedule_changed and plan.status == PlanStatus.APPROVED:
        plan.status, plan.approved_by, plan.approved_at = PlanStatus.DRAFT, None, None
    with set_actor(user):
        plan.save()
    if schedule_changed or plan.assignee_id != before["assignee_id"]:
        return generate_tasks(plan, today=today)
    return Generation()


@transaction.atomic
def approve_plan(user, plan: InspectionPlan, now: dt.datetime | None = None) -> InspectionPlan:
    """The user unit's administrator approves the plan of one of its systems."""
    if not scoped(InspectionPlan.objects.filter(pk=plan.pk), user).exists():
        raise PermissionDenied
    if not may_approve_plan(user, plan):
        raise PermissionDenied
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError({"status": _("计划已审批")})
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, user, now or timezone.now()
    with set_actor(user):
        plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return plan


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


# ---------------------------------------------------------------- iCalendar feeds


@transaction.atomic
def create_feed(user, system: System | None = None) -> FeedToken:
    """A secret feed URL: the user's own tasks, or (anyone who sees it) one system's tasks."""
    if not user.is_authenticated:
        raise PermissionDenied
    if system is not None and not scoped(System.objects.filter(pk=system.pk), user).exists():
        raise PermissionDenied
    token, digest = new_secret()
    with set_actor(user):
        feed = FeedToken.objects.create(token_hash=digest, token_prefix=token[:6], owner=user,
                                        system=system)
    feed.token = token  # the secret itself, for this once: it is not stored
    return feed


def feed_token_hash(token: str) -> str:
    return secret_hash(token)


@transaction.atomic
def revoke_feed(user, feed: FeedToken, now: dt.datetime | None = None) -> None:
    if feed.owner_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = now or timezone.now()
        with set_actor(user):
            feed.save(update_fields=["revoked_at"])


def active_feeds_q() -> Q:
    return Q(revoked_at__isnull=True, owner__is_active=True)


# ---------------------------------------------------------------- monthly inspection reports (月度巡检报告)

REPORT_EDITORS = frozenset({Role.PROJECT_MANAGER}) | FIELD_ROLES
REPORT_SUBMITTERS = frozenset({Role.PROJECT_MANAGER})
REPORT_SIGNERS = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})
REPORT_DUE_DAY = 7  # "the first week of the next month": due at the end of the 7th, Asia/Shanghai
EDITABLE_REPORT_STATES = frozenset({ReportState.DRAFT, ReportState.RETURNED})


def _shanghai():
    from tongyun.incidents.compliance import SHANGHAI

    return SHANGHAI


def report_month(value) -> dt.date:
    """The first day of the month given as a date, "2026-10" or "2026-10-01" (ValidationError otherwise)."""
    from tongyun.incidents.compliance import parse_month

    return parse_month(value)


def following_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def report_due(month: dt.date) -> dt.datetime:
    """The submission deadline of a month's report: the 7th of the next month, 23:59:59 Asia/Shanghai."""
    following = following_month(month)
    return dt.datetime(following.year, following.month, REPORT_DUE_DAY, 23, 59, 59, tzinfo=_shanghai())


def systems_in_service(month: dt.date):
    """Systems in service on at least one day of the month (a known start on or before its last day,
    no end or an end on or after its first day)."""
    last = following_month(month) - dt.timedelta(days=1)
    return (System.objects.filter(service_start__isnull=False, service_start__lte=last)
            .filter(Q(service_end__isnull=True) | Q(service_end__gte=month)).select_related("unit"))


def sla_outcome(incident, due_field: str, done_field: str, now: dt.datetime, pausable: bool = False) -> str:
    """met / breached / pending / none (no target) — the rule of tongyun.incidents.compliance, per ticket."""
    due, done = getattr(incident, due_field), getattr(incident, done_field)
    if due is None:
        return "none"
    if done is not None:
        return "met" if done <= due else "breached"
    paused_in_time = pausable and incident.paused_since is not None and incident.paused_since < due
    return "breached" if due < now and not paused_in_time else "pending"


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment, _shanghai()).isoformat(timespec="minutes") if moment else None


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _incident_row(incident, now: dt.datetime) -> dict:
    return {
        "id": incident.pk, "number": incident.number, "title": incident.title, "severity": incident.severity,
        "source": incident.source, "state": incident.state, "reported_at": _iso(incident.reported_at),
        "acknowledged_at": _iso(incident.acknowledged_at), "resolved_at": _iso(incident.resolved_at),
        "response_due": _iso(incident.response_due), "repair_due": _iso(incident.repair_due),
        "response": sla_outcome(incident, "response_due", "acknowledged_at", now),
        "repair": sla_outcome(incident, "repair_due", "resolved_at", now, pausable=True),
    }


def _value_of(result: InspectionResult) -> str:
    if result.number is not None:
        return f"{result.number.normalize():f}{result.item.unit}"
    return result.text


def build_snapshots(systems, month: dt.date, now: dt.datetime) -> dict[int, dict]:
    """The month's data of each system, as JSON: tasks with their outcome, findings (failed items with
    notes), incidents opened from inspections, every incident with its SLA outcome, and counts.
    A handful of queries for any number of systems."""
    from tongyun.incidents.choices import IncidentState
    from tongyun.incidents.compliance import month_bounds
    from tongyun.incidents.models import Incident

    systems = list(systems)
    ids = [s.pk for s in systems]
    last = following_month(month) - dt.timedelta(days=1)
    today = timezone.localtime(now, _shanghai()).date()
    tasks = list(InspectionTask.objects.filter(system_id__in=ids, scheduled_for__gte=month, scheduled_for__lte=last)
                 .select_related("plan", "assignee", "completed_by").order_by("scheduled_for", "plan_id", "id"))
    answers = {row["task_id"]: row for row in InspectionResult.objects.filter(task__in=[t.pk for t in tasks])
               .values("task_id").annotate(answered=Count("id"), failed=Count("id", filter=Q(passed=False)))}
    failed = (InspectionResult.objects.filter(task__in=[t.pk for t in tasks], passed=False)
              .select_related("item", "device", "incident", "task__plan")
              .order_by("task__scheduled_for", "task_id", "item__position", "item_id"))
    start, end = month_bounds(month)
    incidents = (Incident.objects.filter(system_id__in=ids, reported_at__gte=start, reported_at__lt=end)
                 .exclude(state=IncidentState.CANCELLED).order_by("reported_at", "id"))
    data = {s.pk: {"version": 1, "month": f"{month:%Y-%m}", "generated_at": _iso(now),
                   "system": {"id": s.pk, "row_no": s.row_no, "name": s.name, "unit": s.unit.name,
                              "category": s.category},
                   "tasks": [], "findings": [], "inspection_incidents": [], "incidents": []} for s in systems}
    for task in tasks:
        if task.state == TaskState.DONE:
            outcome = "done"
        elif task.due_date < today:
            outcome = "missed"
        else:
            outcome = "open"
        done_day = timezone.localtime(task.completed_at, _shanghai()).date() if task.completed_at else None
        counts = answers.get(task.pk, {})
        data[task.system_id]["tasks"].append({
            "id": task.pk, "plan": task.plan.name, "frequency": task.plan.frequency, "mode": task.plan.mode,
            "scheduled_for": task.scheduled_for.isoformat(), "due_date": task.due_date.isoformat(),
            "outcome": outcome, "on_time": bool(done_day and done_day <= task.due_date),
            "completed_at": _iso(task.completed_at), "completed_by": _person(task.completed_by),
            "assignee": _person(task.assignee), "answered": counts.get("answered", 0),
            "failed": counts.get("failed", 0), "note": task.note,
        })
    for result in failed:
        data[result.task.system_id]["findings"].append({
            "task_id": result.task_id, "scheduled_for": result.task.scheduled_for.isoformat(),
            "plan": result.task.plan.name, "section": result.item.section, "item": result.item.label,
            "value": _value_of(result), "note": result.note,
            "device": str(result.device) if result.device_id else "",
            "incident_id": result.incident_id, "incident_number": result.incident.number if result.incident else "",
        })
    for incident in incidents:
        row = _incident_row(incident, now)
        data[incident.system_id]["incidents"].append(row)
        if incident.source == IncidentSource.INSPECTION:
            data[incident.system_id]["inspection_incidents"].append(row)
    for snapshot in data.values():
        rows, incidents_of = snapshot["tasks"], snapshot["incidents"]
        snapshot["counts"] = {
            "tasks": len(rows),
            "remote": sum(1 for t in rows if t["mode"] == InspectionMode.REMOTE),
            "onsite": sum(1 for t in rows if t["mode"] == InspectionMode.ONSITE),
            "done": sum(1 for t in rows if t["outcome"] == "done"),
            "done_on_time": sum(1 for t in rows if t["outcome"] == "done" and t["on_time"]),
            "missed": sum(1 for t in rows if t["outcome"] == "missed"),
            "open": sum(1 for t in rows if t["outcome"] == "open"),
            "findings": len(snapshot["findings"]),
            "inspection_incidents": len(snapshot["inspection_incidents"]),
            "incidents": len(incidents_of),
            **{f"{clock}_{outcome}": sum(1 for i in incidents_of if i[clock] == outcome)
               for clock in ("response", "repair") for outcome in ("met", "breached", "pending")},
        }
    return data


@dataclass
class ReportGeneration:
    created: int = 0
    refreshed: int = 0
    kept: int = 0


@transaction.atomic
def generate_monthly_reports(month, *, now: dt.datetime | None = None, systems=None) -> ReportGeneration:
    """Create the month's draft report of every system in service that month, and refresh the snapshot of
    those still with the contractor (draft, returned). Submitted and confirmed reports are never touched.
    Idempotent: run it as often as you like."""
    month = report_month(month)
    now = now or timezone.now()
    candidates = systems_in_service(month) if systems is None else systems
    existing = {r.system_id: r for r in MonthlyInspectionReport.objects.select_for_update().filter(month=month)}
    outcome = ReportGeneration()
    todo = []
    for system in candidates:
        report = existing.get(system.pk)
        if report is not None and report.state not in EDITABLE_REPORT_STATES:
            outcome.kept += 1
        else:
            todo.append(system)
    snapshots = build_snapshots(todo, month, now)
    new, refresh = [], []
    for system in todo:
        report = existing.get(system.pk)
        if report is None:
            new.append(MonthlyInspectionReport(system=system, month=month, due_at=report_due(month),
                                               snapshot=snapshots[system.pk], generated_at=now))
        else:
            report.snapshot, report.generated_at = snapshots[system.pk], now
            refresh.append(report)
    MonthlyInspectionReport.objects.bulk_create(new, batch_size=500)
    MonthlyInspectionReport.objects.bulk_update(refresh, ["snapshot", "generated_at"], batch_size=500)
    outcome.created, outcome.refreshed = len(new), len(refresh)
    return outcome


def _sees_report(user, report: MonthlyInspectionReport) -> MonthlyInspectionReport:
    reports = scoped(MonthlyInspectionReport.objects.select_related("system"), user)
    found = reports.select_for_update(of=("self",)).filter(pk=report.pk).first()
    if found is None:
        raise PermissionDenied
    return found


def may_edit_report(user, report: MonthlyInspectionReport) -> bool:
    """The contractor's PM, or field staff of the system (scoping limits them to their systems)."""
    return bool(user.is_authenticated and report.state in EDITABLE_REPORT_STATES
                and (user.is_superuser or user.role in REPORT_EDITORS))


def may_submit_report(user, report: MonthlyInspectionReport) -> bool:
    return bool(user.is_authenticated and report.state in EDITABLE_REPORT_STATES
                and (user.is_superuser or user.role in REPORT_SUBMITTERS))


def may_sign_report(user, report: MonthlyInspectionReport) -> bool:
    """Confirm or return: the unit admin or staff of the system's own unit, while the report is submitted."""
    return bool(user.is_authenticated and report.state == ReportState.SUBMITTED
                and user.role in REPORT_SIGNERS and user.organisation_id == report.system.unit_id)


def may_refresh_report(user, report: MonthlyInspectionReport) -> bool:
    return may_submit_report(user, report)


def _log(report: MonthlyInspectionReport, action: str, user, now: dt.datetime, comment: str = "") -> None:
    report.history = [*report.history, {"action": action, "at": _iso(now), "by": _person(user),
                                        "by_id": user.pk, "comment": comment}]


REPORT_TEXT_FIELDS = ("summary", "open_risks", "improvements")


@transaction.atomic
def update_report(user, report: MonthlyInspectionReport, **changes) -> MonthlyInspectionReport:
    """The contractor edits the text of a draft or returned report."""
    unknown = set(changes) - set(REPORT_TEXT_FIELDS)
    if unknown:
        raise ValidationError({field: _("不可修改") for field in unknown})
    report = _sees_report(user, report)
    if report.state not in EDITABLE_REPORT_STATES:
        raise ValidationError({"state": _("报告已提交，不能修改")})
    if not may_edit_report(user, report):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(report, field, (value or "").strip())
    with set_actor(user):
        report.save(update_fields=[*changes, "updated_at"])
    return report


@transaction.atomic
def refresh_report(user, report: MonthlyInspectionReport, now: dt.datetime | None = None) -> MonthlyInspectionReport:
    """The PM regenerates the snapshot of a draft or returned report (e.g. after results recorded late)."""
    report = _sees_report(user, report)
    if not may_refresh_report(user, report):
        raise PermissionDenied
    generate_monthly_reports(report.month, now=now, systems=[report.system])
    report.refresh_from_db()
    return report


@transaction.atomic
def submit_report(user, report: MonthlyInspectionReport, now: dt.datetime | None = None) -> MonthlyInspectionReport:
    """The PM submits (or, after a return, resubmits) the report to the unit. The first submission decides
    lateness; the summary is required."""
    now = now or timezone.now()
    report = _sees_report(user, report)
    if report.state not in EDITABLE_REPORT_STATES:
        raise ValidationError({"state": _("报告已提交")})
    if not may_submit_report(user, report):
        raise PermissionDenied
    if not report.summary.strip():
        raise ValidationError({"summary": _("请填写巡检总结后再提交")})
    action = "resubmit" if report.state == ReportState.RETURNED else "submit"
    report.state, report.submitted_at, report.submitted_by = ReportState.SUBMITTED, now, user
    report.first_submitted_at = report.first_submitted_at or now
    _log(report, action, user, now)
    with set_actor(user):
        report.save()
    return report


@transaction.atomic
def confirm_report(user, report: MonthlyInspectionReport, *, comment: str = "",
                   now: dt.datetime | None = None) -> MonthlyInspectionReport:
    """The unit confirms the submitted report: its signature (who and when)."""
    now = now or timezone.now()
    report = _sees_report(user, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError({"state": _("只能确认已提交的报告")})
    if not may_sign_report(user, report):
        raise PermissionDenied
    report.state, report.confirmed_at, report.confirmed_by = ReportState.CONFIRMED, now, user
    _log(report, "confirm", user, now, comment.strip())
    with set_actor(user):
        report.save()
    return report


@transaction.atomic
def return_report(user, report: MonthlyInspectionReport, *, comment: str,
                  now: dt.datetime | None = None) -> MonthlyInspectionReport:
    """The unit returns the submitted report to the contractor with its comments."""
    now = now or timezone.now()
    report = _sees_report(user, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError({"state": _("只能退回已提交的报告")})
    if not may_sign_report(user, report):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("请填写退回意见")})
    report.state, report.returned_at, report.returned_by, report.return_comment = \
        ReportState.RETURNED, now, user, comment
    _log(report, "return", user, now, comment)
    with set_actor(user):
        report.save()
    return report
