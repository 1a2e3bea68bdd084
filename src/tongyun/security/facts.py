"""What security tells the rest of the platform: monthly facts per system (tongyun.core.facts) and the
work-list items of the home page (tongyun.core.worklist)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongyun.core.facts import Fact
from tongyun.core.permissions import can
from tongyun.core.scoping import scoped
from tongyun.core.worklist import WorkItem

from .choices import FindingStatus, OccurrenceStatus, ReminderKind
from .models import DutyOccurrence, Finding, Patch, Reminder


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """[start, cutoff) of the month in Shanghai time, cut at now; None for a month not begun."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time(), tz)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    now = timezone.now()
    if start > now:
        return None
    return start, min(dt.datetime.combine(following, dt.time(), tz), now)


def _counts(queryset, system_ids: list[int]) -> dict[int, int]:
    found = dict(queryset.filter(system_id__in=system_ids).values_list("system_id").annotate(n=Count("id"))
                 .values_list("system_id", "n"))
    return {system_id: found.get(system_id, 0) for system_id in system_ids}


def open_findings(system_ids: list[int], month: dt.date) -> dict:
    """Findings open at the end of the month (or now, in the current month): not yet verified closed."""
    bounds = _bounds(month)
    if bounds is None:
        return {}
    _start, cutoff = bounds
    return _counts(Finding.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff),
                                          found_at__lt=cutoff), system_ids)


def overdue_findings(system_ids: list[int], month: dt.date) -> dict:
    """Findings whose deadline fell in the month and that were not fixed by it."""
    bounds = _bounds(month)
    if bounds is None:
        return {}
    start, cutoff = bounds
    return _counts(Finding.objects.filter(Q(fixed_at__isnull=True) | Q(fixed_at__gt=F("due_at")),
                                          due_at__gte=start, due_at__lt=cutoff), system_ids)


def duties_on_time_pct(system_ids: list[int], month: dt.date) -> dict:
    """Recurring tasks and duties due in the month done by their due day, in %; None when none was due."""
    bounds = _bounds(month)
    if bounds is None:
        return {}
    start, cutoff = bounds
    rows = (DutyOccurrence.objects.filter(duty__system_id__in=system_ids, due_on__gte=start.date(),
                                          due_on__lt=timezone.localtime(cutoff).date())
            .values("duty__system_id")
            .annotate(total=Count("id"), on_time=Count("id", filter=Q(status=OccurrenceStatus.DONE,
                                                                      done_on__lte=F("due_on")))))
    return {row["duty__system_id"]: round(100 * row["on_time"] / row["total"], 1) for row in rows}


def patches_applied(system_ids: list[int], month: dt.date) -> dict:
    bounds = _bounds(month)
    if bounds is None:
        return {}
    start, cutoff = bounds
    return _counts(Patch.objects.filter(applied_at__gte=start, applied_at__lt=cutoff), system_ids)


FACTS = [
    Fact("security.open_findings", gettext_lazy("未关闭安全问题"), "个", open_findings,
         description=gettext_lazy("月末（当月为当前）尚未验证关闭的安全问题数"), higher_is_better=False),
    Fact("security.overdue_findings", gettext_lazy("超期未整改安全问题"), "个", overdue_findings,
         description=gettext_lazy("整改期限在当月且未按期整改的安全问题数"), higher_is_better=False),
    Fact("security.duties_on_time_pct", gettext_lazy("周期安全任务及合同事项按期完成率"), "%", duties_on_time_pct,
         higher_is_better=True),
    Fact("security.patches_applied", gettext_lazy("安装补丁数"), "个", patches_applied),
]


def work_items(user) -> list[WorkItem]:
    if not can(user, "security.view"):
        return []
    items: list[WorkItem] = []
    findings = scoped(Finding.objects.all(), user)
    group = _("安全合规")
    if can(user, "security.verify_findings"):
        waiting = findings.filter(status=FindingStatus.FIXED).count()
        if waiting:
            items.append(WorkItem(group, _("%(n)s 个安全问题待验证整改") % {"n": waiting},
                                  reverse("security:finding_list") + "?status=fixed", level="warning", count=waiting))
    for finding in findings.filter(owner=user, status=FindingStatus.OPEN).order_by("due_at")[:5]:
        items.append(WorkItem(group, _("整改：%(title)s") % {"title": finding.title},
                              reverse("security:finding_detail", args=[finding.pk]), due=finding.due_at,
                              level="danger" if finding.is_overdue(timezone.now()) else "warning"))
    overdue = findings.filter(status=FindingStatus.OPEN, due_at__lte=timezone.now()).count()
    if overdue:
        items.append(WorkItem(group, _("%(n)s 个安全问题超期未整改") % {"n": overdue},
                              reverse("security:finding_list") + "?overdue=1", level="danger", count=overdue))
    reminders = scoped(Reminder.objects.filter(done=False, item__isnull=False, item__retired=False), user)
    expiring = reminders.values("kind").annotate(n=Count("id"))
    labels = dict(ReminderKind.choices)
    for row in expiring:
        items.append(WorkItem(group, _("到期事项：%(kind)s %(n)s 项") % {"kind": labels[row["kind"]], "n": row["n"]},
                              reverse("security:item_list") + "?reminded=1",
                              level="danger" if row["kind"] == ReminderKind.EXPIRED else "warning", count=row["n"]))
    if can(user, "security.obligations"):
        soon = timezone.localdate() + dt.timedelta(days=7)
        duties = scoped(DutyOccurrence.objects.filter(status=OccurrenceStatus.PLANNED, scheduled_for__lte=soon),
                        user).count()
        if duties:
            items.append(WorkItem(group, _("%(n)s 项周期安全任务/合同事项待完成") % {"n": duties},
                                  reverse("security:duty_list") + "?pending=1", count=duties))
    return items
