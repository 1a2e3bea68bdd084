"""Reports on a person's home page: the drafter's reports due or late, and those returned to them (the
signers' turn is already on it through the sign-off work list)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.core.scoping import scoped
from tongyun.core.worklist import WorkItem

from .choices import EDITABLE_STATES, ReportState
from .models import Report
from .services import DRAFTERS


def report_items(user) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False) or user.role not in DRAFTERS:
        return []
    now = timezone.now()
    open_reports = scoped(Report.objects.filter(state__in=EDITABLE_STATES), user).order_by("due_at", "id")
    items = [WorkItem(group=_("待编制报告"), title=report.title, url=reverse("reports:detail", args=[report.pk]),
                      due=report.due_at, level="danger" if report.is_late(now) else "warning")
             # a returned report is the drafter's to resubmit, with or without a deadline (it is decided on its
             # own page, not in the sign-off work list)
             for report in open_reports.filter(Q(due_at__isnull=False) | Q(state=ReportState.RETURNED))[:20]]
    return items
