"""Reminders of the report engine: before the deadline to the drafter, after submission to the signers
whose turn it is. Each is a ReportNotification per person and channel (the platform's notification
delivery: incidents.models.Deliverable, incidents.services.deliver_pending — e-mail, SMS, group robots, and
the in-app inbox where the person reads every notification of theirs). The unique constraint (report, kind,
person, channel) makes each go out once, however often or late the daily run sweeps.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.signoffs import flows
from tongyun.signoffs.choices import SignOffState
from tongyun.signoffs.models import SignOff

from . import services, types
from .choices import EDITABLE_STATES, ReportState
from .models import Report, ReportNotification

REMIND_BEFORE = dt.timedelta(days=3)
DUE = "due"


def sign_kind(signoff: SignOff, report: Report) -> str:
    """The signers' reminder of one step of one submission: a resubmission after a return reminds again (to the
    microsecond: a return and a resubmission can fall in the same second)."""
    return f"sign:{signoff.pk}:{signoff.current_position}:{report.submitted_at:%Y%m%d%H%M%S%f}"


def _record(report: Report, kind: str, recipients) -> int:
    from tongyun.incidents.channels import active_channels

    rows = [ReportNotification(report=report, kind=kind, recipient=person, channel=channel)
            for person in {p.pk: p for p in recipients}.values() for channel in active_channels()]
    return len(ReportNotification.objects.bulk_create(rows, ignore_conflicts=True))


def signers_of(signoff: SignOff):
    step = flows.get(signoff.flow).steps[signoff.current_position]
    users = get_user_model().objects.filter(is_active=True, role__in=step.deciding_roles)
    if step.deciding_roles & flows.UNIT_BOUND_ROLES:
        users = users.exclude(role__in=flows.UNIT_BOUND_ROLES) | users.filter(organisation_id=signoff.unit_id)
    return [user for user in users if services.signoffs.decides_for(user, signoff, step)]


def remind(now: dt.datetime | None = None) -> dict:
    """Record the reminders due at `now` and deliver them (the daily run is the worker already).
    → {"due": reports reminded to their drafters, "sign": reports reminded to their signers}."""
    from tongyun.incidents.services import deliver_pending

    now = now or timezone.now()
    outcome = {"due": 0, "sign": 0}
    drafters = list(get_user_model().objects.filter(is_active=True, role__in=services.DRAFTERS))
    reminded = ReportNotification.objects.filter(kind=DUE).values("report_id")
    soon = (Report.objects.filter(state__in=EDITABLE_STATES, due_at__isnull=False, due_at__lte=now + REMIND_BEFORE)
            .exclude(pk__in=reminded))
    for report in soon.order_by("due_at", "id").iterator():
        with transaction.atomic():
            if _record(report, DUE, drafters):
                outcome["due"] += 1
    flow_keys = [t.flow_key for t in types.registered()]
    pending = list(SignOff.objects.filter(flow__in=flow_keys, state=SignOffState.PENDING, current_position__gte=1))
    reports = Report.objects.in_bulk([s.subject_id for s in pending])
    for signoff in pending:
        report = reports.get(signoff.subject_id)
        if report is None or report.state != ReportState.SUBMITTED:
            continue
        kind = sign_kind(signoff, report)
        if ReportNotification.objects.filter(report=report, kind=kind).exists():
            continue
        with transaction.atomic():
            if _record(report, kind, signers_of(signoff)):
                outcome["sign"] += 1
    if outcome["due"] or outcome["sign"]:
        deliver_pending(now, models=[ReportNotification])
    return outcome


def message(notification: ReportNotification) -> tuple[str, str]:
    """(subject, body) on every channel; the subject is also the line of the in-app inbox."""
    report = notification.report
    if notification.kind == DUE:
        due = f"{timezone.localtime(report.due_at):%Y-%m-%d %H:%M}" if report.due_at else "—"
        return _("报告即将到期：%(title)s") % {"title": report.title}, _("请于 %(due)s 前提交。") % {"due": due}
    return _("报告待您签署：%(title)s") % {"title": report.title}, report.title


def mark_read(user, report: Report) -> int:
    """Opening a report reads what its reader was told about it (the badge goes out with it)."""
    return ReportNotification.objects.filter(report=report, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
