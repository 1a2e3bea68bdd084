"""Reads of the inspection domain. Every one goes through tongyun.core.scoping.scoped()."""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tongyun.core.feeds import secret_hash
from tongyun.core.filtering import filtered
from tongyun.core.scoping import scoped

from .choices import MISSED, TaskState
from .filters import PlanFilterSet, TaskFilterSet, overdue_q, parse_month
from .models import FeedToken, InspectionPlan, InspectionResult, InspectionTask


def plan_list(user, params=None) -> QuerySet[InspectionPlan]:
    plans = scoped(InspectionPlan.objects.select_related("system", "system__unit", "assignee", "approved_by"), user)
    return filtered(PlanFilterSet, plans, params).annotate(task_count=Count("tasks"))


def plan_get(user, pk: int) -> InspectionPlan:
    plans = scoped(InspectionPlan.objects.select_related("system", "system__unit", "assignee", "approved_by",
                                                         "source_cadence", "checklist"), user)
    return get_object_or_404(plans, pk=pk)


def task_list(user, params=None) -> QuerySet[InspectionTask]:
    tasks = scoped(InspectionTask.objects.select_related("system", "system__unit", "plan", "assignee"), user)
    return filtered(TaskFilterSet, tasks, params)


def task_get(user, pk: int) -> InspectionTask:
    tasks = scoped(InspectionTask.objects.select_related("system", "system__unit", "plan", "assignee",
                                                         "completed_by"), user)
    return get_object_or_404(tasks, pk=pk)


def task_state(task: InspectionTask, today: dt.date | None = None) -> str:
    """The state to show: stored state, or 'missed' when the due date has passed and it is not done."""
    today = today or timezone.localdate()
    if task.state != TaskState.DONE and task.due_date < today:
        return MISSED
    return task.state


def results_of(task: InspectionTask) -> dict[int, InspectionResult]:
    return {r.item_id: r for r in InspectionResult.objects.filter(task=task).select_related("incident", "device")}


def my_tasks(user) -> QuerySet[InspectionTask]:
    """An engineer's tasks: assigned to them, or unassigned on a system they are assigned to."""
    tasks = scoped(InspectionTask.objects.select_related("system", "plan"), user)
    return tasks.filter(Q(assignee=user) | Q(assignee__isnull=True, system__assignments__user=user)).distinct()


def feed_tasks(feed: FeedToken, today: dt.date | None = None, days_back: int = 31) -> QuerySet[InspectionTask]:
    """What a feed shows: what its owner may see now — their own tasks, or the system's — from a month back."""
    today = today or timezone.localdate()
    owner = feed.owner
    tasks = my_tasks(owner) if feed.system_id is None else \
        scoped(InspectionTask.objects.select_related("system", "plan"), owner).filter(system_id=feed.system_id)
    return tasks.filter(scheduled_for__gte=today - dt.timedelta(days=days_back)).order_by("scheduled_for", "id")


def feed_by_token(token: str) -> FeedToken | None:
    digest = secret_hash(token)
    return (FeedToken.objects.select_related("owner", "system")
            .filter(token_hash=digest, revoked_at__isnull=True, owner__is_active=True).first())


def feeds_of(user) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(owner=user).select_related("system")


def feed_get(user, pk: int) -> FeedToken:
    return get_object_or_404(feeds_of(user), pk=pk)


def inspectors() -> QuerySet:
    """Who may be assigned an inspection: active field staff (engineer, on-site staff, electrician)."""
    from tongyun.parties.models import User

    from .services import FIELD_ROLES

    return User.objects.filter(role__in=FIELD_ROLES, is_active=True).order_by("role", "full_name", "username")


def month_grid(user, first: dt.date, params=None) -> list[list[dict]]:
    """Weeks (Mon–Sun) of the month, each day with its task counts per shown state (scoped, filtered).

    One grouped query: a district day holds over a hundred tasks, so the cell shows counts that link to
    the day's list instead of the tasks themselves."""
    last = first.replace(day=_stdlib_calendar.monthrange(first.year, first.month)[1])
    today = timezone.localdate()
    tasks = task_list(user, {**(params or {}), "month": ""}).filter(scheduled_for__gte=first,
                                                                     scheduled_for__lte=last)
    missed = overdue_q(today)
    rows = (tasks.order_by().values("scheduled_for")
            .annotate(total=Count("id"), done=Count("id", filter=Q(state=TaskState.DONE)),
                      missed=Count("id", filter=missed),
                      in_progress=Count("id", filter=Q(state=TaskState.IN_PROGRESS) & ~missed)))
    by_day = {row.pop("scheduled_for"): row for row in rows}
    weeks = []
    for week in _stdlib_calendar.Calendar().monthdatescalendar(first.year, first.month):
        days = []
        for d in week:
            counts = by_day.get(d) or {"total": 0, "done": 0, "missed": 0, "in_progress": 0}
            counts["pending"] = counts["total"] - counts["done"] - counts["missed"] - counts["in_progress"]
            days.append({"date": d, "in_month": d.month == first.month, "today": d == today, "counts": counts})
        weeks.append(days)
    return weeks


GROUPS = {
    "system": ("system_id", "system__name", "system__unit_id", "system__unit__name"),
    "unit": ("system__unit_id", "system__unit__name"),
}


def completion_stats(user, params=None, group_by: str = "system", today: dt.date | None = None) -> list[dict]:
    """Completion per system or unit and month (by scheduled date).

    total: tasks; done; on_time: done by the due date; overdue: due date passed, not done; open: not yet
    due and not done; rate: done / (done + overdue) — the share of the tasks already decided — or None.
    """
    today = today or timezone.localdate()
    if group_by not in GROUPS:
        raise ValueError("group_by: system 或 unit")
    tasks = task_list(user, params).order_by()
    overdue = overdue_q(today)
    rows = (tasks.annotate(month=TruncMonth("scheduled_for")).values(*GROUPS[group_by], "month")
            .annotate(total=Count("id"),
                      done=Count("id", filter=Q(state=TaskState.DONE)),
                      on_time=Count("id", filter=Q(state=TaskState.DONE, completed_at__date__lte=F("due_date"))),
                      overdue=Count("id", filter=overdue))
            .order_by("month", *GROUPS[group_by][:1]))
    result = []
    for row in rows:
        month = row["month"]
        decided = row["done"] + row["overdue"]
        result.append({
            "system_id": row.get("system_id"), "system": row.get("system__name", ""),
            "unit_id": row["system__unit_id"], "unit": row["system__unit__name"],
            "month": f"{month:%Y-%m}" if month else "",
            "total": row["total"], "done": row["done"], "on_time": row["on_time"], "overdue": row["overdue"],
            "open": row["total"] - decided,
            "rate": round(row["done"] / decided, 4) if decided else None,
        })
    return result


# ---------------------------------------------------------------- monthly inspection reports (API adapter)
# The reports are the engine's (tongyun.reports, type inspections.monthly); GET /api/v1/inspections/reports…
# keeps its response shape over them, read through the engine's and the sign-off's selectors.

LEGACY_STATES = {"signed": "confirmed", "superseded": "confirmed"}  # the others keep their names


def moved_report_list(user, params: dict | None = None, now: dt.datetime | None = None):
    """The monthly inspection reports the user may see (current versions), filtered as the old list was:
    month (YYYY-MM), system, unit, state (draft / submitted / confirmed / returned), late, overdue."""
    from tongyun.reports import selectors as reports

    from .facts import MONTHLY_REPORT

    params, now = params or {}, now or timezone.now()
    queryset = (reports.report_list(user, {"type_key": MONTHLY_REPORT}).exclude(state="superseded")
                .select_related("system__unit"))
    if params.get("month"):
        try:
            first, _last = parse_month(params["month"])
        except ValueError:
            raise ValidationError({"month": "月份格式应为 YYYY-MM"}) from None
        queryset = queryset.filter(period_start=first)
    if params.get("system"):
        queryset = queryset.filter(system_id=params["system"])
    if params.get("unit"):
        queryset = queryset.filter(unit_id=params["unit"])
    if params.get("state"):
        queryset = queryset.filter(state={"confirmed": "signed"}.get(params["state"], params["state"]))
    for name, q in (("late", reports.late_q(now)), ("overdue", Q(first_submitted_at__isnull=True, due_at__lt=now))):
        if params.get(name) is not None:
            queryset = queryset.filter(q) if params[name] else queryset.exclude(q)
    return queryset.select_related("system__unit")


def moved_report_get(user, pk: int):
    """One monthly inspection report of the engine (404 for another unit's or another type's)."""
    return get_object_or_404(moved_report_list(user), pk=pk)


def _username(user) -> str | None:
    return user.username if user is not None else None


def as_moved_report(report, *, detail: bool = False, now: dt.datetime | None = None) -> dict:
    """The engine's report in the old API's shape; who submitted, confirmed or returned it and when come from
    its sign-off (steps and events)."""
    from tongyun.signoffs.selectors import signoff_for

    from .facts import MONTHLY_REPORT

    return _moved_report(report, signoff_for(report, f"reports.{MONTHLY_REPORT}"), detail=detail, now=now)


def as_moved_reports(reports: list, *, now: dt.datetime | None = None) -> list[dict]:
    """`as_moved_report` of a list page: the rows' sign-offs read together, so the queries do not grow with
    the rows (the reports come with their system and unit: moved_report_list)."""
    from tongyun.signoffs.selectors import latest_signoffs

    from .facts import MONTHLY_REPORT

    signoffs = latest_signoffs(reports, f"reports.{MONTHLY_REPORT}")
    return [_moved_report(report, signoffs.get(report.pk), now=now) for report in reports]


def _moved_report(report, signoff, *, detail: bool = False, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    events = list(signoff.events.all()) if signoff else []  # prefetched with their actors, in order
    submitted = [e for e in events if e.action == "approve" and e.position == 0]
    returned = [e for e in events if e.action == "return"]
    confirmed = [e for e in events if e.action == "approve" and e.position == 1] if report.state in (
        "signed", "superseded") else []
    row = {
        "id": report.pk, "system_id": report.system_id, "system": report.system.name,
        "unit_id": report.system.unit_id, "unit": report.system.unit.name, "month": report.period_start,
        "state": LEGACY_STATES.get(report.state, report.state), "due_at": report.due_at,
        "first_submitted_at": report.first_submitted_at, "submitted_at": report.submitted_at,
        "submitted_by": _username(submitted[-1].actor) if submitted else None,
        "confirmed_at": report.signed_at, "confirmed_by": _username(confirmed[-1].actor) if confirmed else None,
        "returned_at": returned[-1].at if returned else None, "is_late": report.is_late(now),
        "is_overdue": report.first_submitted_at is None and report.due_at is not None and now > report.due_at,
    }
    if detail:
        narratives = report.narratives or {}
        actions = {"return": "return"}
        history, seen_submit = [], False
        for event in events:
            if event.action == "approve" and event.position == 0:
                action, seen_submit = ("resubmit" if seen_submit else "submit"), True
            elif event.action == "approve" and event.position == 1:
                action = "confirm"
            elif event.action in actions:
                action = actions[event.action]
            else:
                continue
            history.append({"action": action, "at": timezone.localtime(event.at).isoformat(timespec="minutes"),
                            "by": event.actor.full_name or event.actor.username, "by_id": event.actor_id,
                            "comment": event.comment})
        row.update({
            "summary": narratives.get("巡检总结", ""), "open_risks": narratives.get("遗留风险", ""),
            "improvements": narratives.get("改进建议", ""),
            "returned_by": _username(returned[-1].actor) if returned else None,
            "return_comment": returned[-1].comment if returned and report.state == "returned" else "",
            "generated_at": report.data_at, "history": history, "snapshot": report.data,
        })
    return row
