"""Writes of the incident domain: report, move through the lifecycle, reclassify, notify, sweep clocks.

Every write checks role and state (tongyun.domain.incident_lifecycle), keeps the clocks right
(clocks.recompute_deadlines) and leaves a timeline event. Invalid input raises ValidationError naming
the field and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Assignment, Device, SlaTerm, System
from tongyun.core import hooks
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped
from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.parties.choices import Role
from tongyun.parties.models import User

from . import clocks
from .choices import EventKind, IncidentSource, IncidentState, NotificationKind
from .models import (
    BusinessHours,
    CalendarDay,
    CalendarYear,
    Incident,
    IncidentEvent,
    IncidentPause,
    MajorEventPeriod,
    Notification,
)

MAY_BACKDATE = {Role.DISPATCHER, Role.PROJECT_MANAGER}
MAY_RECLASSIFY = {Role.DISPATCHER, Role.PROJECT_MANAGER, Role.BUREAU_ADMIN}
FIELD_ROLES = {Role.ENGINEER, Role.ONSITE_STAFF, Role.ELECTRICIAN}
MAY_REPORT = set(Role) - {Role.SUPERVISOR}
FUTURE_SLACK = dt.timedelta(minutes=2)
# Moves another domain may start on its own decision (take_action's `decided_by`).
DOMAIN_DECIDED_ACTIONS = frozenset({"wait_parts", "resume"})


def _role(user) -> str:
    return Role.BUREAU_ADMIN if user.is_superuser and not user.role else user.role


def _event(incident, actor, kind, at, **fields) -> IncidentEvent:
    return IncidentEvent.objects.create(incident=incident, actor=actor, kind=kind, at=at, **fields)


def _check_target(system: System, device: Device | None, tier_key: str) -> None:
    if device is not None and device.system_id != system.pk:
        raise ValidationError({"device": _("设备不属于所选系统")})
    if tier_key and not SlaTerm.objects.filter(system=system, tier_key=tier_key).exists():
        raise ValidationError({"tier_key": _("该系统没有此时限条款")})


@transaction.atomic
def report_incident(user, *, system: System, title: str, severity: str, description: str = "",
                    device: Device | None = None, tier_key: str = "", source: str = IncidentSource.WEB,
                    reported_at: dt.datetime | None = None, reporter_name: str = "", reporter_phone: str = "",
                    location: str = "", attachments=(), now: dt.datetime | None = None) -> Incident:
    """Open a ticket. A dispatcher or PM may log a phone report with the moment it was received.
    The contact defaults to the reporter's account (name, phone), then to the unit's contact."""
    now = now or timezone.now()
    attachments = list(attachments)
    from . import attachments as attachment_store  # its model import would cycle at module level

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


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


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


# ---------------------------------------------------------------- notifications


def management_users():
    return User.objects.filter(role__in=[Role.DISPATCHER, Role.PROJECT_MANAGER], is_active=True)


def bureau_admins():
    return User.objects.filter(role=Role.BUREAU_ADMIN, is_active=True)


def unit_users(incident: Incident):
    return User.objects.filter(organisation_id=incident.system.unit_id, role__in=[Role.UNIT_ADMIN, Role.UNIT_STAFF],
                               is_active=True)


def notify(incident: Incident, kind: str, recipients, *, deliver: bool = True) -> int:
    """Record the notification for each recipient and channel — at most once each (unique constraint) —
    and have the worker deliver them after the transaction commits (a caller notifying many tickets at
    once passes deliver=False and enqueues one delivery itself)."""
    from .channels import active_channels

    rows = [Notification(incident=incident, kind=kind, recipient=r, channel=c)
            for r in {r.pk: r for r in recipients if r is not None}.values() for c in active_channels()]
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if deliver:
        transaction.on_commit(_enqueue_delivery)
    return len(created)


def _enqueue_delivery() -> None:
    from .tasks import deliver_notifications

    deliver_notifications.enqueue()


SWEEPS = (
    # (kind, due field, risk field, done field, pausable)
    (NotificationKind.RESPONSE_AT_RISK, "response_due", "response_risk_at", "acknowledged_at", False),
    (NotificationKind.RESPONSE_BREACHED, "response_due", None, "acknowledged_at", False),
    (NotificationKind.REPAIR_AT_RISK, "repair_due", "repair_risk_at", "resolved_at", True),
    (NotificationKind.REPAIR_BREACHED, "repair_due", None, "resolved_at", True),
)


def sweep_clocks(now: dt.datetime | None = None) -> int:
    """Create the at-risk and breach notifications that are due at `now`. Safe to run late (a worker
    that was down catches up: a clock already breached gets the breach notice, not a stale warning)
    and twice (the unique constraint drops repeats). Returns how many notifications were created."""
    now = now or timezone.now()
    open_states = list(lifecycle.OPEN_STATES)
    created = 0
    managers = list(management_users())
    units: dict[int, list[User]] = {}  # unit id → its users, read once per sweep
    for kind, due_field, risk_field, done_field, pausable in SWEEPS:
        condition = Q(state__in=open_states, **{f"{done_field}__isnull": True})
        if risk_field:
            condition &= Q(**{f"{risk_field}__lte": now, f"{due_field}__gte": now})
        else:
            condition &= Q(**{f"{due_field}__lt": now})
        if pausable:
            condition &= Q(paused_since__isnull=True)
        already = Notification.objects.filter(kind=kind).values("incident_id")
        due = (Incident.objects.filter(condition).exclude(pk__in=already)
               .select_related("assignee", "system").order_by("pk"))
        for incident in due.iterator(chunk_size=500):
            recipients = [incident.assignee, *managers]
            if not risk_field:
                unit_id = incident.system.unit_id
                if unit_id not in units:
                    units[unit_id] = list(unit_users(incident))
                recipients += units[unit_id]
            with transaction.atomic():
                created += notify(incident, kind, recipients, deliver=False)
    if created:
        transaction.on_commit(_enqueue_delivery)
    return created


# The models delivered by deliver_pending: (model, select_related, message(row) -> (subject, body)).
DELIVERABLES: list[tuple] = []


def register_deliverable(model, related: tuple[str, ...], render) -> None:
    """Another domain's notifications (a models.Deliverable subclass with a `recipient`) go through the same
    delivery, and their in-app ones are listed in the same inbox (selectors.inbox: the line is the rendered
    subject, the link the row's get_absolute_url() when it has one)."""
    if all(entry[0] is not model for entry in DELIVERABLES):
        DELIVERABLES.append((model, related, render))


def deliverables() -> list[tuple]:
    """(model, select_related, render) of every kind of notification: the incidents' first."""
    return [(Notification, ("incident__system", "recipient"), message), *DELIVERABLES]


def deliver_pending(now: dt.datetime | None = None, limit: int = 500, max_attempts: int | None = None,
                    models=None) -> int:
    """Send unsent notifications (the incidents' and every registered Deliverable, or only those of `models`,
    e.g. a domain's sweep delivering what it just recorded); returns how many were sent.

    Each is claimed first by one conditional UPDATE that also counts the attempt (attempts + 1 in the
    database, below the maximum), so of several workers exactly one wins each claim and the attempts never
    exceed the maximum, however the workers interleave. A claim older than
    TONGYUN_NOTIFY_CLAIM_TIMEOUT_SECONDS (5 minutes: its worker was killed mid-send) is taken over by the
    next run, so nothing is lost. A permanent channel error gives the notification up at once; a transient
    one frees the claim for the next run, until the last attempt."""
    max_attempts = max_attempts or settings.TONGYUN_NOTIFY_MAX_ATTEMPTS
    now = now or timezone.now()
    sent = 0
    for model, related, render in deliverables():
        if models is None or model in models:
            sent += _deliver(model, related, render, now, limit, max_attempts)
    return sent


def _deliver(model, related, render, now: dt.datetime, limit: int, max_attempts: int) -> int:
    from .channels import CHANNELS, ChannelError, PermanentChannelError

    stale = now - dt.timedelta(seconds=settings.TONGYUN_NOTIFY_CLAIM_TIMEOUT_SECONDS)
    claimable = (Q(sent_at__isnull=True, given_up_at__isnull=True, attempts__lt=max_attempts)
                 & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)))
    pending = model.objects.filter(claimable).order_by("pk").values_list("pk", flat=True)[:limit]
    sent = 0
    for pk in list(pending):
        won = model.objects.filter(claimable, pk=pk).update(claimed_at=now, attempts=F("attempts") + 1)
        if not won:
            continue
        notification = model.objects.select_related(*related).get(pk=pk)
        subject, body = render(notification)
        try:
            channel = CHANNELS.get(notification.channel)
            if channel is None:
                raise PermanentChannelError(f"unknown channel {notification.channel!r}")
            channel.send(notification.recipient, subject, body)
        except ChannelError as error:
            row = model.objects.filter(pk=pk)
            row.update(last_error=str(error)[:2000], claimed_at=None)
            # decided on the database's count: another worker may have made an attempt meanwhile
            (row if isinstance(error, PermanentChannelError) else row.filter(attempts__gte=max_attempts)).update(
                given_up_at=timezone.now())
            continue
        model.objects.filter(pk=pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def message(notification: Notification) -> tuple[str, str]:
    incident = notification.incident
    subject = f"【统运】{notification.get_kind_display()}：{incident.number} {incident.title}"
    lines = [f"系统：{incident.system.name}（{incident.system.unit}）", f"等级：{incident.get_severity_display()}"]
    if notification.kind == NotificationKind.CLOSED:
        closer = closed_by(incident)
        lines.append(f"关闭人：{closer or '—'}")
        if incident.closed_at:
            lines.append(f"关闭时间：{timezone.localtime(incident.closed_at):%Y-%m-%d %H:%M}")
        return subject, "\n".join(lines)
    for label, due in (("响应时限", incident.response_due), ("修复时限", incident.repair_due)):
        if due:
            lines.append(f"{label}：{timezone.localtime(due):%Y-%m-%d %H:%M}")
    return subject, "\n".join(lines)


def mark_read(user, notification_ids: list[int]) -> int:
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now())


def mark_all_read(user) -> int:
    """Every unread in-app notification of the user (what the badge counts)."""
    return Notification.objects.filter(recipient=user, channel="in_app", read_at__isnull=True).update(
        read_at=timezone.now())


def mark_inbox_read(user, keys: list[str] | None = None) -> int:
    """Mark the user's in-app notifications read: those of these inbox keys (selectors.inbox_key), or all
    of every kind (None). Someone else's, or an unknown key, is ignored."""
    marked = 0
    for model, _related, _render in deliverables():
        rows = model.objects.filter(recipient=user, channel="in_app", read_at__isnull=True)
        if keys is not None:
            prefix = f"{model._meta.label_lower}:"
            wanted = [int(k) if model is Notification else int(k.removeprefix(prefix)) for k in keys
                      if (k.isdigit() if model is Notification else
                          k.startswith(prefix) and k.removeprefix(prefix).isdigit())]
            if not wanted:
                continue
            rows = rows.filter(pk__in=wanted)
        marked += rows.update(read_at=timezone.now())
    return marked


def mark_read_for_incident(user, incident: Incident) -> int:
    """Opening a ticket reads what the user was told about it: the badge goes out with it."""
    return Notification.objects.filter(recipient=user, incident=incident, read_at__isnull=True).update(
        read_at=timezone.now())


def closed_by(incident: Incident):
    """Who closed the ticket (the actor of its last close), for the unit's notification."""
    event = incident.events.filter(action="close").select_related("actor").order_by("-at", "-id").first()
    return event.actor if event is not None else None


# ---------------------------------------------------------------- calendar, business hours, major events


def _recompute_open(now: dt.datetime, calendar_changed: bool = False) -> int:
    """Calendar or period changes move deadlines: recompute every open ticket (the open ones are few)."""
    if calendar_changed:
        hooks.fire("working_calendar_changed")
    changed = 0
    for incident in Incident.objects.filter(state__in=lifecycle.OPEN_STATES).select_related("system"):
        changes = clocks.recompute_deadlines(incident, now)
        incident.save()
        if changes:
            changed += 1
            _event(incident, None, EventKind.DEADLINES, now, data={
                "deadlines": {k: [_iso(a), _iso(b)] for k, (a, b) in changes.items()}})
    return changed


@transaction.atomic
def declare_calendar_year(user, year: int, days: list[tuple[dt.date, bool, str]], source: str = "") -> CalendarYear:
    """Enter (or replace) a year's official arrangement: its days off and make-up working days.
    Days outside the year or listed twice with different types are refused, naming the day."""
    require(user, "incidents.calendar")
    problems = {}
    seen: dict[dt.date, bool] = {}
    for day, is_working, _name in days:
        if day.year != year:
            problems[str(day)] = _("不在 %(year)s 年内") % {"year": year}
        elif day in seen and seen[day] != is_working:
            problems[str(day)] = _("同一天既是休息日又是调休工作日")
        seen[day] = is_working
    if problems:
        raise ValidationError(problems)
    with set_actor(user):
        calendar_year, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        CalendarDay.objects.filter(date__year=year, is_correction=False).delete()
        corrections = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
        CalendarDay.objects.bulk_create([CalendarDay(date=d, is_working=w, name=n) for d, w, n in
                                         {d: (d, w, n) for d, w, n in days}.values() if d not in corrections])
    _recompute_open(timezone.now(), calendar_changed=True)
    return calendar_year


@transaction.atomic
def correct_calendar_day(user, day: dt.date, is_working: bool, name: str = "") -> CalendarDay:
    """A single-day correction (e.g. a district-wide day off), stronger than any declaration."""
    require(user, "incidents.calendar")
    with set_actor(user):
        correction, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_working": is_working, "name": name, "is_correction": True})
    _recompute_open(timezone.now(), calendar_changed=True)
    return correction


@transaction.atomic
def remove_calendar_correction(user, day: dt.date) -> None:
    require(user, "incidents.calendar")
    with set_actor(user):
        for correction in CalendarDay.objects.filter(date=day, is_correction=True):
            correction.delete()
    _recompute_open(timezone.now(), calendar_changed=True)


@transaction.atomic
def set_business_hours(user, system: System, start: dt.time | None, end: dt.time | None) -> None:
    """Business hours of one system; None restores the default 09:00–17:30."""
    require(user, "incidents.calendar")
    with set_actor(user):
        if start is None or end is None:
            BusinessHours.objects.filter(system=system).delete()
        else:
            if not start < end:
                raise ValidationError({"end": _("结束时间须晚于开始时间")})
            BusinessHours.objects.update_or_create(system=system, defaults={"start": start, "end": end})
    _recompute_open(timezone.now())


@transaction.atomic
def save_major_event_period(user, period: MajorEventPeriod, systems: list[System] | None = None) -> MajorEventPeriod:
    """Plan or change a 重保期. Tickets already open keep the targets of their report moment unless the
    period covers it — all open tickets are recomputed."""
    require(user, "incidents.major_events")
    if period.start and period.end and not period.start < period.end:
        raise ValidationError({"end": _("结束时间须晚于开始时间")})
    period.full_clean()
    with set_actor(user):
        period.save()
        if systems is not None:
            period.systems.set(systems)
    _recompute_open(timezone.now())
    return period


@transaction.atomic
def delete_major_event_period(user, period: MajorEventPeriod) -> None:
    require(user, "incidents.major_events")
    with set_actor(user):
        period.delete()
    _recompute_open(timezone.now())
