"""The inspection domain's district indicators (tongyun.core.indicators)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongyun.core import indicators
from tongyun.core.indicators import Indicator, Reading

from . import selectors
from .choices import TaskState
from .facts import MONTHLY_REPORT
from .filters import overdue_q


def completion(user) -> Reading:
    """This month's completion: done / (done + overdue) of the tasks already decided."""
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    counts = selectors.task_list(user, {"month": month}).order_by().aggregate(
        done=Count("id", filter=Q(state=TaskState.DONE)), overdue=Count("id", filter=overdue_q(today)))
    decided = counts["done"] + counts["overdue"]
    rate = round(100 * counts["done"] / decided, 1) if decided else None
    return Reading(rate, reverse("inspections:stats") + f"?month={month}", unit="%",
                   note=_("本月已完成 %(done)s 项，逾期 %(overdue)s 项") % counts)


def overdue(user) -> Reading:
    count = selectors.task_list(user).filter(overdue_q(timezone.localdate())).count()
    return Reading(count, reverse("inspections:overdue"), unit="项", level="danger" if count else "info")


def _report_counts(user) -> dict:
    """The monthly inspection reports' due / late / awaiting / signed — the report engine's reads."""
    from tongyun.reports import selectors as reports

    return reports.counts(reports.report_list(user, {"type_key": MONTHLY_REPORT}))


def _reports_url(**params) -> str:
    return reverse("reports:list") + "?" + urlencode({"type": MONTHLY_REPORT, **params})


def reports_late(user) -> Reading:
    count = _report_counts(user)["late"]
    return Reading(count, _reports_url(late=1), unit="份", level="danger" if count else "info",
                   note=_("月度巡检报告"))


def reports_unsigned(user) -> Reading:
    count = _report_counts(user)["awaiting"]
    return Reading(count, _reports_url(state="submitted"), unit="份", level="warning" if count else "info",
                   note=_("已提交，待用户单位确认"))


def register() -> None:
    indicators.register(Indicator("inspections.completion_pct", _("本月巡检完成率"), completion,
                                  section=indicators.INSPECTIONS))
    indicators.register(Indicator("inspections.overdue", _("逾期巡检"), overdue, section=indicators.INSPECTIONS))
    indicators.register(Indicator("inspections.reports_late", _("逾期未交的报告"), reports_late,
                                  section=indicators.REPORTS))
    indicators.register(Indicator("inspections.reports_unsigned", _("待确认的报告"), reports_unsigned,
                                  section=indicators.REPORTS))
