"""Notifications: who is told, recording them once each, the clock sweeps, delivery through the channels
(the incidents' and every registered Deliverable of other domains), read marks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tongyun.domain import incident_lifecycle as lifecycle
from tongyun.parties.choices import Role
from tongyun.parties.models import User

from ..choices import NotificationKind
from ..models import Incident, Notification


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
    from ..channels import active_channels

    rows = [Notification(incident=incident, kind=kind, recipient=r, channel=c)
            for r in {r.pk: r for r in recipients if r is not None}.values() for c in active_channels()]
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if deliver:
        transaction.on_commit(_enqueue_delivery)
    return len(created)


def _enqueue_delivery() -> None:
    from ..tasks import deliver_notifications

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
    from ..channels import CHANNELS, ChannelError, PermanentChannelError

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
