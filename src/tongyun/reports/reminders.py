"""Reminders of the report engine: before the deadline to the drafter, after submission to the signer
whose turn it is. They go out through the platform's notification channels (incidents.channels: e-mail,
SMS, group robots); in the platform itself the same reports are on the person's home page (the work list
of reports and of sign-offs). Each reminder is sent once (`Report.reminded` keeps which were sent).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.signoffs import flows
from tongyun.signoffs.choices import SignOffState
from tongyun.signoffs.models import SignOff

from . import services, types
from .choices import EDITABLE_STATES, ReportState
from .models import Report

REMIND_BEFORE = dt.timedelta(days=3)
log = logging.getLogger(__name__)


def _send(recipients, subject: str, body: str) -> int:
    from tongyun.incidents.channels import CHANNELS, ChannelError, active_channels

    sent = 0
    for recipient in recipients:
        for name in active_channels():
            try:
                CHANNELS[name].send(recipient, subject, body)
            except ChannelError as error:  # a missing address or gateway: logged, the others still go out
                log.warning("report reminder to %s by %s not delivered: %s", recipient, name, error)
            else:
                sent += 1
    return sent


def signers_of(signoff: SignOff):
    step = flows.get(signoff.flow).steps[signoff.current_position]
    users = get_user_model().objects.filter(is_active=True, role__in=step.deciding_roles)
    if step.deciding_roles & flows.UNIT_BOUND_ROLES:
        users = users.exclude(role__in=flows.UNIT_BOUND_ROLES) | users.filter(organisation_id=signoff.unit_id)
    return [user for user in users if services.signoffs.decides_for(user, signoff, step)]


def remind(now: dt.datetime | None = None) -> dict:
    """→ {"due": reports reminded to their drafters, "sign": reports reminded to their signers}."""
    now = now or timezone.now()
    outcome = {"due": 0, "sign": 0}
    drafters = list(get_user_model().objects.filter(is_active=True, role__in=services.DRAFTERS))
    soon = Report.objects.filter(state__in=EDITABLE_STATES, due_at__isnull=False, due_at__lte=now + REMIND_BEFORE)
    for report in soon.order_by("due_at", "id").iterator():
        if "due" in report.reminded:  # (a JSON "contains" lookup is not available on SQLite)
            continue
        _send(drafters, _("报告即将到期：%(title)s") % {"title": report.title},
              _("请于 %(due)s 前提交。") % {"due": f"{timezone.localtime(report.due_at):%Y-%m-%d %H:%M}"})
        Report.objects.filter(pk=report.pk).update(reminded=[*report.reminded, "due"])
        outcome["due"] += 1
    flow_keys = [t.flow_key for t in types.registered()]
    for signoff in SignOff.objects.filter(flow__in=flow_keys, state=SignOffState.PENDING, current_position__gte=1):
        report = Report.objects.filter(pk=signoff.subject_id, state=ReportState.SUBMITTED).first()
        key = f"sign:{signoff.pk}:{signoff.current_position}"
        if report is None or key in report.reminded:
            continue
        _send(signers_of(signoff), _("报告待您签署：%(title)s") % {"title": report.title}, report.title)
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(reminded=[*report.reminded, key])
        outcome["sign"] += 1
    return outcome
