"""Monthly facts of the inspection domain for the contract evaluation (tongyun.core.facts).

- inspections.on_time_pct: tasks scheduled in the month done by their due date ÷ the tasks already decided
  (done, or past due and not done) — the rule of selectors.completion_stats; None without decided tasks.
- inspections.report_on_time: the month's monthly inspection report (the report engine's type
  `inspections.monthly`, read through tongyun.reports.selectors) first submitted by its deadline (True),
  after it or not yet and past it (False); None when there is no report or it is not yet due.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.core import facts

from .choices import TaskState
from .filters import overdue_q
from .models import InspectionTask

MONTHLY_REPORT = "inspections.monthly"  # the report type of tongyun.reports.tender_types


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def on_time_pct(system_ids: list[int], month: dt.date) -> dict:
    today = timezone.localdate()
    rows = (InspectionTask.objects.filter(system_id__in=system_ids, scheduled_for__gte=month,
                                          scheduled_for__lte=_month_end(month))
            .order_by().values("system_id")
            .annotate(done=Count("id", filter=Q(state=TaskState.DONE)),
                      on_time=Count("id", filter=Q(state=TaskState.DONE, completed_at__date__lte=F("due_date"))),
                      overdue=Count("id", filter=overdue_q(today))))
    result = {}
    for row in rows:
        decided = row["done"] + row["overdue"]
        result[row["system_id"]] = round(100 * row["on_time"] / decided, 1) if decided else None
    return result


def report_on_time(system_ids: list[int], month: dt.date) -> dict:
    from tongyun.reports import selectors as reports  # the engine's reads; never its models

    return reports.first_submission_on_time(MONTHLY_REPORT, system_ids, month)


def register() -> None:
    facts.register(facts.Fact("inspections.on_time_pct", _("巡检按时完成率"), "%", on_time_pct,
                              higher_is_better=True))
    facts.register(facts.Fact("inspections.report_on_time", _("月度巡检报告按时提交"), "", report_on_time,
                              higher_is_better=True))
