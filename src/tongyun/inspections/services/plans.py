"""Plans: checklists, plans from the catalog, task generation kept in step with the plans (bulk: per plan one
query reads its tasks, one bulk_create / bulk_update / delete writes the difference), plan edit (PM) and approval
(user unit). Dates come from tongyun.domain.schedules with the working calendar of tongyun.incidents.clocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.choices import Frequency, InspectionMode
from tongyun.catalog.models import Assignment, InspectionCadence, System
from tongyun.core.scoping import scoped
from tongyun.domain import schedules
from tongyun.domain.working_calendar import WorkingCalendar

from .. import checklist_data
from ..choices import PlanStatus, TaskState
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    InspectionPlan,
    InspectionTask,
)
from .common import FIELD_ROLES, PLAN_APPROVERS, PLAN_EDITORS, SCHEDULE_FIELDS, SERVICE_YEAR, _calendar

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


def default_inspectors(system_ids) -> dict[int, int]:
    """{system_id: user_id} of the first active field staff member assigned to each system (by start, id)."""
    chosen: dict[int, int] = {}
    rows = (Assignment.objects.filter(system_id__in=list(system_ids), user__role__in=FIELD_ROLES,
                                      user__is_active=True).order_by("system_id", "since", "id")
            .values_list("system_id", "user_id"))
    for system_id, user_id in rows:
        chosen.setdefault(system_id, user_id)
    return chosen


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
    # without a plan inspector, the system's assigned field staff member inspects (not nobody)
    default = None if plan.assignee_id else default_inspectors([plan.system_id]).get(plan.system_id)
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
        elif task.due_date != due or task.assignee_id != (plan.assignee_id or task.assignee_id or default):
            # the plan's inspector wins; without one a task keeps whom it was given (bulk assignment)
            task.due_date, task.assignee_id = due, plan.assignee_id or task.assignee_id or default
            refresh.append(task)
        else:
            outcome.kept += 1
    stale_ids = set(stale)
    covered = {t.due_date for t in existing if t.pk not in stale_ids} | {t.due_date for t in refresh}
    # one inspection per period: a period that already has a task (kept, started or done) gets no second
    new = [InspectionTask(plan=plan, system_id=plan.system_id, scheduled_for=day, due_date=due,
                          assignee_id=plan.assignee_id or default)
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
