"""Report sections of the inspection domain (tongyun.core.report_sections).

- inspections.summary: the inspection tasks scheduled in the period — planned, done, done on time (by the
  due date), missed (past due, not done: the rule of filters.overdue_q) — and the abnormal check results
  (findings, 异常项) recorded on them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core import report_sections as rs

from .choices import TaskState
from .filters import overdue_q
from .models import InspectionResult, InspectionTask

ROW_LIMIT = 200


def summary(system_ids: list[int], start: dt.date, end: dt.date) -> rs.SectionData:
    today = timezone.localdate()
    tasks = InspectionTask.objects.filter(system_id__in=system_ids, scheduled_for__gte=start, scheduled_for__lte=end)
    totals = tasks.aggregate(
        planned=Count("id"), done=Count("id", filter=Q(state=TaskState.DONE)),
        on_time=Count("id", filter=Q(state=TaskState.DONE, completed_at__date__lte=F("due_date"))),
        missed=Count("id", filter=overdue_q(today)))
    decided = totals["done"] + totals["missed"]
    findings = (InspectionResult.objects.filter(task__in=tasks, passed=False)
                .select_related("task__system", "item").order_by("task__scheduled_for", "id"))
    return rs.SectionData(
        figures=[
            rs.Figure(_("计划巡检"), totals["planned"], _("次")),
            rs.Figure(_("已完成"), totals["done"], _("次")),
            rs.Figure(_("按时完成"), totals["on_time"], _("次")),
            rs.Figure(_("逾期未巡检"), totals["missed"], _("次")),
            rs.Figure(_("巡检按时完成率"), round(100 * totals["on_time"] / decided, 1) if decided else None, "%"),
            rs.Figure(_("发现异常项"), findings.count(), _("项")),
        ],
        tables=[rs.Table(_("巡检发现的异常"), [_("日期"), _("系统"), _("检查项"), _("记录")],
                         [[f"{r.task.scheduled_for:%Y-%m-%d}", r.task.system.name, str(r.item), r.text or r.note]
                          for r in findings[:ROW_LIMIT]])],
        chart=rs.Chart(_("巡检完成情况"), [_("计划"), _("已完成"), _("按时"), _("逾期")],
                       [totals["planned"], totals["done"], totals["on_time"], totals["missed"]], _("次")),
    )


SECTIONS = [rs.Section("inspections.summary", gettext_lazy("巡检工作"), summary)]


def register() -> None:
    for section in SECTIONS:
        rs.register(section)
