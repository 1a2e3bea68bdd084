"""Report sections of the inspection domain (tongyun.core.report_sections).

- inspections.summary: the inspection tasks scheduled in the period — planned, done, done on time (by the
  due date), missed (past due, not done: the rule of filters.overdue_q) — and the abnormal check results
  (findings, 异常项) recorded on them; batched (`summaries`) for the worker's reports of every system.

The monthly inspection report (月度巡检报告, report type `inspections.monthly` of tongyun.reports, RD-10/12/14)
is made of the sections below plus `incidents.summary` (the system's incidents with their SLA outcome):
- inspections.month_tasks: every task of the period with its outcome (done / missed / not yet due), on time,
  who did it, how many items were answered and failed;
- inspections.month_findings: the failed items (异常项) with their value, note, device and incident;
- inspections.month_incidents: the incidents opened from those findings, with their state.
They share one read of the period (core.facts.shared, inside the engine's facts.reading()).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.catalog.choices import InspectionMode
from tongyun.core import facts
from tongyun.core import report_sections as rs

from .choices import TaskState
from .filters import overdue_q
from .models import InspectionResult, InspectionTask

ROW_LIMIT = 200


def _totals() -> dict:
    """Planned, done, done on time and missed tasks (filters.overdue_q), as Count aggregates of `tasks`."""
    return {"planned": Count("id"), "done": Count("id", filter=Q(state=TaskState.DONE)),
            "on_time": Count("id", filter=Q(state=TaskState.DONE, completed_at__date__lte=F("due_date"))),
            "missed": Count("id", filter=overdue_q(timezone.localdate()))}


def _tasks_of(system_ids: list[int], start: dt.date, end: dt.date):
    return InspectionTask.objects.filter(system_id__in=system_ids, scheduled_for__gte=start, scheduled_for__lte=end)


def _findings_of(tasks):
    return (InspectionResult.objects.filter(task__in=tasks, passed=False)
            .select_related("task__system", "item").order_by("task__scheduled_for", "id"))


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    tasks = _tasks_of(system_ids, start, end)
    findings = _findings_of(tasks)
    return _summary_data(tasks.aggregate(**_totals()), findings.count(), findings[:ROW_LIMIT])


def summaries(groups: list[list[int]], start: dt.date, end: dt.date) -> list[rs.SectionData]:
    """`summary` for several scopes at once: the tasks counted per system in one query, and the findings
    (at most ROW_LIMIT per system — all a group's first rows can need) read once; each group sums its own
    systems and merges their findings in the single path's order (date, then id)."""
    every_id = list({pk for system_ids in groups for pk in system_ids})
    tasks = _tasks_of(every_id, start, end)
    per_system = {row.pop("system_id"): row
                  for row in tasks.order_by().values("system_id").annotate(**_totals())}
    found = {row["task__system_id"]: row["n"] for row in InspectionResult.objects.filter(task__in=tasks, passed=False)
             .order_by().values("task__system_id").annotate(n=Count("id"))}
    first_rows: dict[int, list[InspectionResult]] = {}
    ranked = _findings_of(tasks).annotate(rank=Window(RowNumber(), partition_by=F("task__system_id"),
                                                      order_by=[F("task__scheduled_for"), F("id")]))
    for finding in ranked.filter(rank__lte=ROW_LIMIT):
        first_rows.setdefault(finding.task.system_id, []).append(finding)
    empty = {"planned": 0, "done": 0, "on_time": 0, "missed": 0}
    result = []
    for system_ids in groups:
        systems = list(dict.fromkeys(system_ids))
        counts = [per_system.get(pk, empty) for pk in systems]
        totals = {key: sum(c[key] for c in counts) for key in empty}
        findings = sorted((r for pk in systems for r in first_rows.get(pk, [])),
                          key=lambda r: (r.task.scheduled_for, r.id))[:ROW_LIMIT]
        result.append(_summary_data(totals, sum(found.get(pk, 0) for pk in systems), findings))
    return result


def _summary_data(totals: dict, finding_count: int, findings) -> rs.SectionData:
    decided = totals["done"] + totals["missed"]
    return rs.SectionData(
        figures=[
            rs.Figure(_("计划巡检"), totals["planned"], _("次")),
            rs.Figure(_("已完成"), totals["done"], _("次")),
            rs.Figure(_("按时完成"), totals["on_time"], _("次")),
            rs.Figure(_("逾期未巡检"), totals["missed"], _("次")),
            rs.Figure(_("巡检按时完成率"), round(100 * totals["on_time"] / decided, 1) if decided else None, "%"),
            rs.Figure(_("发现异常项"), finding_count, _("项")),
        ],
        tables=[rs.Table(_("巡检发现的异常"), [_("日期"), _("系统"), _("检查项"), _("记录")],
                         [[f"{r.task.scheduled_for:%Y-%m-%d}", r.task.system.name, str(r.item), r.text or r.note]
                          for r in findings])],
        chart=rs.Chart(_("巡检完成情况"), [_("计划"), _("已完成"), _("按时"), _("逾期")],
                       [totals["planned"], totals["done"], totals["on_time"], totals["missed"]], _("次")),
    )


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _value_of(result: InspectionResult) -> str:
    if result.number is not None:
        return f"{result.number.normalize():f}{result.item.unit}"
    return result.text


def _outcome(task: InspectionTask, today: dt.date) -> str:
    if task.state == TaskState.DONE:
        return _("已完成")
    return _("已逾期") if task.due_date < today else _("未到期")


def _read_month(system_ids: list[int], start: dt.date, end: dt.date) -> dict:
    """The period's tasks, failed results and the incidents opened from them — a handful of queries."""
    today = timezone.localdate()
    tasks = list(InspectionTask.objects.filter(system_id__in=system_ids, scheduled_for__gte=start,
                                               scheduled_for__lte=end)
                 .select_related("plan", "system", "assignee", "completed_by")
                 .order_by("scheduled_for", "plan_id", "id"))
    ids = [t.pk for t in tasks]
    answers = {row["task_id"]: row for row in InspectionResult.objects.filter(task__in=ids).order_by()
               .values("task_id").annotate(answered=Count("id"), failed=Count("id", filter=Q(passed=False)))}
    failed = list(InspectionResult.objects.filter(task__in=ids, passed=False)
                  .select_related("item", "device", "incident", "task__plan", "task__system")
                  .order_by("task__scheduled_for", "task_id", "item__position", "item_id"))
    return {"today": today, "tasks": tasks, "answers": answers, "failed": failed, "many": len(system_ids) > 1}


def _month(system_ids: list[int], start: dt.date, end: dt.date) -> dict:
    return facts.shared(("inspections.month", tuple(system_ids), start, end),
                        lambda: _read_month(system_ids, start, end))


def _with_system(many: bool, system_name: str, row: list) -> list:
    return [system_name, *row] if many else row


def month_tasks(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    month = _month(system_ids, start, end)
    today, tasks, many = month["today"], month["tasks"], month["many"]
    done = [t for t in tasks if t.state == TaskState.DONE]
    on_time = [t for t in done if t.completed_at and timezone.localtime(t.completed_at).date() <= t.due_date]
    missed = [t for t in tasks if t.state != TaskState.DONE and t.due_date < today]
    rows = []
    for task in tasks[:ROW_LIMIT]:
        counts = month["answers"].get(task.pk, {})
        rows.append(_with_system(many, task.system.name, [
            f"{task.scheduled_for:%Y-%m-%d}", task.plan.name, task.plan.get_frequency_display(),
            task.plan.get_mode_display(), f"{task.due_date:%Y-%m-%d}", _outcome(task, today),
            _("是") if task in on_time else ("" if task.state != TaskState.DONE else _("否")),
            _local(task.completed_at), _person(task.completed_by), counts.get("answered", 0),
            counts.get("failed", 0), task.note]))
    headers = [_("计划日期"), _("巡检计划"), _("频次"), _("方式"), _("截止日期"), _("结果"), _("按时"), _("完成时间"),
               _("完成人"), _("已检项"), _("异常项"), _("巡检小结")]
    return rs.SectionData(
        figures=[
            rs.Figure(_("巡检任务"), len(tasks), _("次")),
            rs.Figure(_("现场巡检"), sum(1 for t in tasks if t.plan.mode == InspectionMode.ONSITE), _("次")),
            rs.Figure(_("远程巡检"), sum(1 for t in tasks if t.plan.mode == InspectionMode.REMOTE), _("次")),
            rs.Figure(_("已完成"), len(done), _("次")),
            rs.Figure(_("按时完成"), len(on_time), _("次")),
            rs.Figure(_("逾期未巡检"), len(missed), _("次")),
            rs.Figure(_("未到期"), len(tasks) - len(done) - len(missed), _("次")),
        ],
        tables=[rs.Table(_("巡检任务"), _with_system(many, _("系统"), headers), rows,
                         note=_("仅列出前 %(n)s 条") % {"n": ROW_LIMIT} if len(tasks) > ROW_LIMIT else "")],
    )


def month_findings(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    month = _month(system_ids, start, end)
    failed, many = month["failed"], month["many"]
    headers = [_("日期"), _("巡检计划"), _("分类"), _("检查项"), _("记录"), _("说明"), _("设备"), _("故障工单")]
    rows = [_with_system(many, r.task.system.name, [
        f"{r.task.scheduled_for:%Y-%m-%d}", r.task.plan.name, r.item.get_section_display(), r.item.label,
        _value_of(r), r.note, str(r.device) if r.device_id else "", r.incident.number if r.incident_id else ""])
        for r in failed[:ROW_LIMIT]]
    return rs.SectionData(
        figures=[rs.Figure(_("异常项"), len(failed), _("项")),
                 rs.Figure(_("已报障"), sum(1 for r in failed if r.incident_id), _("项"))],
        tables=[rs.Table(_("巡检发现的异常项"), _with_system(many, _("系统"), headers), rows,
                         note=_("仅列出前 %(n)s 条") % {"n": ROW_LIMIT} if len(failed) > ROW_LIMIT else "")],
    )


def month_incidents(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    month = _month(system_ids, start, end)
    incidents = list({r.incident_id: (r, r.incident) for r in month["failed"] if r.incident_id}.values())
    headers = [_("工单号"), _("故障摘要"), _("等级"), _("报障时间"), _("修复时间"), _("状态"), _("来源检查项")]
    rows = [_with_system(month["many"], result.task.system.name, [
        incident.number, incident.title, incident.get_severity_display(), _local(incident.reported_at),
        _local(incident.resolved_at), incident.get_state_display(), result.item.label])
        for result, incident in incidents]
    return rs.SectionData(
        figures=[rs.Figure(_("巡检发现的故障"), len(incidents), _("次")),
                 rs.Figure(_("已修复"), sum(1 for _r, i in incidents if i.resolved_at), _("次"))],
        tables=[rs.Table(_("巡检发现的故障工单"), _with_system(month["many"], _("系统"), headers), rows)],
    )


SECTIONS = [
    rs.Section("inspections.summary", gettext_lazy("巡检工作"), summary, batch=summaries),
    rs.Section("inspections.month_tasks", gettext_lazy("本月巡检任务"), month_tasks),
    rs.Section("inspections.month_findings", gettext_lazy("巡检发现的异常项"), month_findings),
    rs.Section("inspections.month_incidents", gettext_lazy("巡检发现的故障"), month_incidents),
]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
