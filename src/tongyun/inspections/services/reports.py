"""Monthly inspection reports (月度巡检报告): generation, edit, submit, confirm / return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.choices import InspectionMode
from tongyun.catalog.models import System
from tongyun.core.scoping import scoped
from tongyun.incidents.choices import IncidentSource
from tongyun.parties.choices import Role

from ..choices import ReportState, TaskState
from ..models import (
    InspectionResult,
    InspectionTask,
    MonthlyInspectionReport,
)
from .common import FIELD_ROLES

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
