"""Ticket writes: report, move through the lifecycle, reclassify, comment.

Every write checks role and state (tongyun.domain.incident_lifecycle), keeps the clocks right
(clocks.recompute_deadlines) and leaves a timeline event. Invalid input raises ValidationError naming
the field and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Assignment, Device, System
from tongyun.core.scoping import scoped
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.parties.choices import Role
from tongyun.parties.models import User

from .. import clocks
from ..choices import EventKind, IncidentSource, IncidentState, NotificationKind
from ..models import Incident, IncidentEvent, IncidentPause
from .common import (
    DOMAIN_DECIDED_ACTIONS,
    FIELD_ROLES,
    FUTURE_SLACK,
    MAY_BACKDATE,
    MAY_RECLASSIFY,
    MAY_REPORT,
    _check_target,
    _event,
    _iso,
    _role,
)
from .notifications import bureau_admins, management_users, notify, unit_users


@transaction.atomic
def report_incident(user, *, system: System, title: str, severity: str, description: str = "",
                    device: Device | None = None, tier_key: str = "", source: str = IncidentSource.WEB,
                    reported_at: dt.datetime | None = None, reporter_name: str = "", reporter_phone: str = "",
                    location: str = "", attachments=(), now: dt.datetime | None = None) -> Incident:
    """Open a ticket. A dispatcher or PM may log a phone report with the moment it was received.
    The contact defaults to the reporter's account (name, phone), then to the unit's contact."""
    now = now or timezone.now()
    attachments = list(attachments)
    from .. import attachments as attachment_store  # its model import would cycle at module level

    attachment_store.check_files(attachments)
    if _role(user) not in MAY_REPORT:
        raise PermissionDenied
    if not scoped(System.objects.filter(pk=system.pk), user).exists():
        raise ValidationError({"system": _("无权为此系统报障")})
    _check_target(system, device, tier_key)
    if reported_at is None:
        reported_at = now
    elif _role(user) not in MAY_BACKDATE and abs(reported_at - now) > FUTURE_SLACK:
        raise ValidationError({"reported_at": _("只有调度或项目经理可以补录报障时间")})
    if reported_at > now + FUTURE_SLACK:
        raise ValidationError({"reported_at": _("报障时间不能晚于当前时间")})
    incident = Incident(system=system, device=device, title=title.strip(), description=description, severity=severity,
                        tier_key=tier_key, source=source, reported_at=reported_at, reported_by=user,
                        reporter_name=reporter_name or (user.full_name or user.username),
                        reporter_phone=reporter_phone or _default_phone(user, system), location=location.strip())
    incident.full_clean(exclude=["policy", "reported_by", "assignee", "confirmed_by"])
    clocks.recompute_deadlines(incident, now)
    with set_actor(user):
        incident.save()
    _event(incident, user, EventKind.TRANSITION, now, action="report", to_state=IncidentState.REPORTED,
           data={"reported_at": reported_at.isoformat(), "source": source})
    if attachments:
        attachment_store.add_attachments(user, incident, attachments)
    notify(incident, NotificationKind.REPORTED, management_users())
    if incident.calendar_unknown_year:
        notify(incident, NotificationKind.CALENDAR_UNKNOWN, bureau_admins())
    return incident


def _default_phone(user, system: System) -> str:
    if user.phone:
        return user.phone
    # a unit's own people fall back to the unit's contact number; the contractor's do not
    return system.unit.contact_phone if user.organisation_id == system.unit_id else ""


def contact_defaults(user) -> dict:
    """What the report form pre-fills: the account's name and phone, else the unit's contact."""
    unit = user.organisation
    return {"reporter_name": user.full_name or (unit.contact_name if unit else "") or user.username,
            "reporter_phone": user.phone or (unit.contact_phone if unit else "")}


@transaction.atomic
def take_action(user, incident: Incident, action: str, *, note: str = "", assignee: User | None = None,
                cause: str = "", action_taken: str = "", parts_used: str = "",
                satisfaction: int | None = None, satisfaction_comment: str = "",
                now: dt.datetime | None = None, decided_by: str = "") -> Incident:
    """Move a ticket through its lifecycle; a refused move raises ValidationError({"action": …}).

    `decided_by` names another domain that already decided the move may happen (spares: the spare-part
    approval starts and ends the waiting state, whoever confirmed — the supervisor is not on the ticket);
    the role check is then skipped, the state check is not, and the timeline records the domain.
    """
    now = now or timezone.now()
    if not scoped(Incident.objects.filter(pk=incident.pk), user).exists():
        raise PermissionDenied
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    try:
        # a move decided by another domain is taken with the dispatcher's standing
        role = Role.DISPATCHER if decided_by and action in DOMAIN_DECIDED_ACTIONS else _role(user)
        step = lifecycle.check(action, incident.state, role, is_assignee=incident.assignee_id == user.pk)
    except lifecycle.TransitionRefused as refused:
        if refused.code == "role":
            raise PermissionDenied(str(refused)) from refused
        raise ValidationError({"action": _("当前状态“%(state)s”下不能执行“%(action)s”") % {
            "state": incident.get_state_display(), "action": action}}) from refused
    from_state = incident.state
    data: dict = {"decided_by": decided_by} if decided_by else {}
    recompute = False
    if action == "dispatch":
        if assignee is None or assignee.role not in FIELD_ROLES or not assignee.is_active:
            raise ValidationError({"assignee": _("请选择运维工程师、驻场人员或电工")})
        data["assignee"] = assignee.username
        incident.assignee = assignee
        # Field staff see the systems they are assigned to: dispatching makes them so.
        Assignment.objects.get_or_create(system_id=incident.system_id, user=assignee)
    elif action == "acknowledge":
        incident.acknowledged_at = incident.acknowledged_at or now
    elif action == "arrive":
        if incident.arrived_at is not None:  # the pages no longer offer it: the arrival is already on record
            raise ValidationError({"action": _("已记录到场时间（%(t)s），无需再次到场") % {
                "t": timezone.localtime(incident.arrived_at).strftime("%Y-%m-%d %H:%M")}})
        incident.arrived_at = now
        recompute = True
    elif step.target in lifecycle.WAITING_STATES:
        IncidentPause.objects.create(incident=incident, state=step.target, start=now)
        incident.paused_since = now
    elif action == "resume":
        _end_pause(incident, now)
        recompute = True
    elif action == "resolve":
        problems = {f: _("请填写") for f, v in (("cause", cause), ("action_taken", action_taken)) if not v.strip()}
        if problems:
            raise ValidationError(problems)
        incident.cause, incident.action_taken, incident.parts_used = cause, action_taken, parts_used
        incident.resolved_at = now
    elif action == "confirm":
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            raise ValidationError({"satisfaction": _("满意度为 1 到 5 分")})
        incident.confirmed_at, incident.confirmed_by = now, user
        incident.satisfaction, incident.satisfaction_comment = satisfaction, satisfaction_comment.strip()
        if satisfaction is not None:
            data["satisfaction"] = satisfaction
    elif action in ("reopen", "cancel"):
        if not note.strip():
            raise ValidationError({"note": _("请说明原因")})
        if action == "reopen":
            incident.resolved_at = incident.confirmed_at = incident.closed_at = None
            incident.confirmed_by = None
            incident.satisfaction, incident.satisfaction_comment = None, ""
    elif action == "close":
        incident.closed_at = now
    if incident.acknowledged_at is None and action in ("arrive", "start", "resolve"):
        incident.acknowledged_at = now
    incident.state = step.target
    if recompute:
        changes = clocks.recompute_deadlines(incident, now)
        if changes:
            data["deadlines"] = {k: [_iso(a), _iso(b)] for k, (a, b) in changes.items()}
    with set_actor(user):
        incident.save()
    _event(incident, user, EventKind.TRANSITION, now, action=action, from_state=from_state, to_state=step.target,
           note=note, data=data)
    if action == "dispatch":
        notify(incident, NotificationKind.ASSIGNED, [assignee])
    elif action == "resolve":
        notify(incident, NotificationKind.RESOLVED, unit_users(incident))
    elif action == "close":
        # the unit confirmed the repair: it is told the ticket is closed, and by whom (message())
        notify(incident, NotificationKind.CLOSED, unit_users(incident))
    return incident


def _end_pause(incident: Incident, now: dt.datetime) -> None:
    IncidentPause.objects.filter(incident=incident, end__isnull=True).update(end=now)
    incident.paused_since = None



@transaction.atomic
def reclassify(user, incident: Incident, *, note: str, severity: str | None = None, system: System | None = None,
               device: Device | None | bool = False, tier_key: str | None = None,
               now: dt.datetime | None = None) -> Incident:
    """Change severity, system, device or tier; the deadlines are recomputed from the report moment and
    the timeline keeps the old and new values."""
    now = now or timezone.now()
    if _role(user) not in MAY_RECLASSIFY:
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("请说明原因")})
    if not scoped(Incident.objects.filter(pk=incident.pk), user).exists():
        raise PermissionDenied
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.state in (IncidentState.CLOSED, IncidentState.CANCELLED):
        raise ValidationError({"state": _("已关闭或已取消的工单不能重新分级")})
    old = {"severity": incident.severity, "system": incident.system_id, "device": incident.device_id,
           "tier_key": incident.tier_key}
    if system is not None and system.pk != incident.system_id:
        if not scoped(System.objects.filter(pk=system.pk), user).exists():
            raise ValidationError({"system": _("系统不存在")})
        incident.system = system
        if device is False:
            device = None
    if severity is not None:
        incident.severity = severity
    if device is not False:
        incident.device = device
    if tier_key is not None:
        incident.tier_key = tier_key
    _check_target(incident.system, incident.device, incident.tier_key)
    incident.full_clean(exclude=["policy", "reported_by", "assignee", "confirmed_by"])
    changes = clocks.recompute_deadlines(incident, now)
    with set_actor(user):
        incident.save()
    new = {"severity": incident.severity, "system": incident.system_id, "device": incident.device_id,
           "tier_key": incident.tier_key}
    _event(incident, user, EventKind.RECLASSIFIED, now, note=note, data={
        "before": old, "after": new, "deadlines": {k: [_iso(a), _iso(b)] for k, (a, b) in changes.items()}})
    return incident


def comment(user, incident: Incident, note: str, now: dt.datetime | None = None) -> IncidentEvent:
    if not note.strip():
        raise ValidationError({"note": _("请填写备注")})
    return _event(incident, user, EventKind.COMMENT, now or timezone.now(), note=note)
