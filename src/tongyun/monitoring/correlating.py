"""Correlation of firing alerts into groups (tongyun.domain.correlation) and the incident each group
reports, retitles and escalates — by the service account `monitoring`."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device
from tongyun.core.demo import CONTRACTOR_NAME
from tongyun.domain import correlation
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentSource, IncidentState
from tongyun.incidents.models import Incident
from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import User
from tongyun.parties.services import organisation_get_or_create, user_create

from .choices import DeviceStatus, EventStatus
from .models import CorrelationGroup, DeviceState, Event, Outage

if TYPE_CHECKING:
    from .ingestion import IngestResult

SERVICE_USERNAME = "monitoring"
CLOSED_INCIDENT_STATES = (IncidentState.CLOSED, IncidentState.CANCELLED)
# an incident whose alerts merge into another group's is cancelled while nobody has acted on it yet
MERGE_CANCELS = (IncidentState.REPORTED, IncidentState.TRIAGED)
FIRED_AGAIN = "告警再次触发（抖动），已并入本工单"
DESCRIPTION_DEVICES = 50
FULL_RECOMPUTE_LIMIT = 300  # groups larger than this keep a likely cause that still explains new devices


def monitoring_user() -> User:
    """The service account that reports the incidents of correlated alerts (a dispatcher of the
    contractor, without a usable password)."""
    user = User.objects.filter(username=SERVICE_USERNAME).first()
    if user is None:
        organisation = organisation_get_or_create(OrganisationKind.CONTRACTOR, CONTRACTOR_NAME)
        user = user_create(username=SERVICE_USERNAME, role=Role.DISPATCHER, organisation=organisation,
                           password=secrets.token_urlsafe(24), full_name="监控告警（自动）")
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def upstream_map(device_ids: set[int]) -> dict[int, int | None]:
    """device → upstream for the devices and all their upstream devices (one query per level)."""
    known: dict[int, int | None] = {}
    todo = {d for d in device_ids if d is not None}
    while todo:
        rows = dict(Device.objects.filter(pk__in=todo).values_list("pk", "upstream_id"))
        known.update(rows)
        for missing in todo - set(rows):
            known[missing] = None
        todo = {u for u in rows.values() if u is not None and u not in known}
        if len(known) > 100_000:
            break
    return known


def _joinable_groups(system_ids: set[int], earliest: dt.datetime, window: dt.timedelta
                     ) -> dict[int, correlation.GroupView]:
    """The groups of these systems an alert may still join: open, or closed less than the window before
    the earliest alert — and whose incident is not closed or cancelled."""
    rows = CorrelationGroup.objects.filter(system_id__in=system_ids).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=earliest - window)).values_list(
        "pk", "key", "closed_at", "incident__state")
    return {pk: correlation.GroupView(id=pk, key=key, closed_at=closed_at,
                                      joinable=state not in CLOSED_INCIDENT_STATES)
            for pk, key, closed_at, state in rows if state not in CLOSED_INCIDENT_STATES}


def _group_tokens(group_ids, mapping: dict, upstream: dict) -> dict[int, correlation.Tokens]:
    """The union of the tokens of each group's firing alerts (what the group relates to)."""
    members = list(Event.objects.filter(group_id__in=group_ids, status=EventStatus.FIRING).values_list(
        "group_id", "system_id", "device_id", "labels").distinct())
    upstream.update(upstream_map({d for _g, _s, d, _l in members if d} - set(upstream)))
    result = {pk: correlation.EMPTY for pk in group_ids}
    for group_id, system_id, device_id, labels in members:
        key = correlation.label_key(labels or {}, mapping["group_labels"])
        result[group_id] = result[group_id] | correlation.tokens(system_id, device_id, upstream, key)
    return result


def _merge_groups(survivor: CorrelationGroup, absorbed: CorrelationGroup, user: User, now: dt.datetime) -> None:
    """Move the alerts of `absorbed` into `survivor` (a later alert showed they belong together) and
    retire it: its incident is cancelled (or, when work on it has begun, annotated) pointing at the
    survivor's."""
    Event.objects.filter(group=absorbed).update(group=survivor)
    incident = absorbed.incident
    absorbed.incident = None
    absorbed.save(update_fields=["incident"])
    absorbed.delete()
    if incident is None:
        return
    if survivor.incident_id:
        Outage.objects.filter(incident=incident).update(incident_id=survivor.incident_id)
    note = _("关联告警已合并至工单 #%(id)s") % {"id": survivor.incident_id} if survivor.incident_id \
        else _("关联告警已合并至关联组 #%(id)s") % {"id": survivor.pk}
    if incident.state in MERGE_CANCELS:
        incident_services.take_action(user, incident, "cancel", note=note, now=now)
    elif incident.state not in CLOSED_INCIDENT_STATES:
        incident_services.comment(user, incident, note, now=now)


def correlate_firing(events: list[Event], mapping: dict, now: dt.datetime, result: IngestResult) -> None:
    """Put each firing event into its group — joining every group it relates to and merging them, so the
    groups do not depend on the order alerts arrive in (tongyun.domain.correlation); report incidents for
    new groups; update the others."""
    if not events:
        return
    window = dt.timedelta(minutes=mapping["window_minutes"])
    upstream = upstream_map({e.device_id for e in events if e.device_id})
    tokens_of, new_key_of = {}, {}
    for event in events:
        labels_key = correlation.label_key(event.labels, mapping["group_labels"])
        tokens_of[event.pk] = correlation.tokens(event.system_id, event.device_id, upstream, labels_key)
        new_key_of[event.pk] = correlation.new_group_key(event.system_id, event.device_id, upstream, labels_key)
    views = _joinable_groups({e.system_id for e in events}, min(e.starts_at for e in events), window)
    group_tokens = _group_tokens(list(views), mapping, upstream)
    groups = {g.pk: g for g in CorrelationGroup.objects.filter(pk__in=views).select_related("incident", "system")}
    members: dict[int, list[Event]] = defaultdict(list)
    created: set[int] = set()
    reopened: set[int] = set()
    merged: set[int] = set()
    user = None
    for event in sorted(events, key=lambda e: (e.starts_at, e.pk)):
        at = event.starts_at
        candidates = {pk: t for pk, t in group_tokens.items()
                      if views[pk].joinable and (views[pk].closed_at is None or views[pk].closed_at >= at - window)}
        found = correlation.matching_groups(tokens_of[event.pk], candidates)
        if not found:
            group = CorrelationGroup.objects.create(key=new_key_of[event.pk], system_id=event.system_id,
                                                    opened_at=at, last_event_at=at)
            groups[group.pk] = group
            created.add(group.pk)
            group_tokens[group.pk] = correlation.EMPTY
        else:
            # the survivor: a group that already has its incident, the earliest opened, the oldest
            found.sort(key=lambda pk: (pk in created, groups[pk].opened_at, pk))
            group = groups[found[0]]
            for other_pk in found[1:]:
                user = user or monitoring_user()
                other = groups.pop(other_pk)
                _merge_groups(group, other, user, now)
                group_tokens[group.pk] = group_tokens[group.pk] | group_tokens.pop(other_pk)
                views.pop(other_pk, None)
                for moved in members.pop(other_pk, []):
                    moved.group_id = group.pk
                    members[group.pk].append(moved)
                group.opened_at = min(group.opened_at, other.opened_at)
                group.last_event_at = max(group.last_event_at, other.last_event_at)
                created.discard(other_pk)
                reopened.discard(other_pk)
                merged.add(group.pk)
            if group.closed_at is not None:
                group.closed_at = None
                reopened.add(group.pk)
        views[group.pk] = correlation.GroupView(id=group.pk, key=group.key, closed_at=None)
        group_tokens[group.pk] = group_tokens[group.pk] | tokens_of[event.pk]
        group.opened_at = min(group.opened_at, at)
        group.last_event_at = max(group.last_event_at, at)
        event.group_id = group.pk
        members[group.pk].append(event)
    for group_id, group_events in members.items():
        Event.objects.filter(pk__in=[e.pk for e in group_events]).update(group_id=group_id)
    touched = [groups[pk] for pk in members]
    stats = {row["group_id"]: row for row in Event.objects.filter(group_id__in=members).values("group_id").annotate(
        devices=Count("device_id", distinct=True),
        firing=Count("pk", filter=Q(status=EventStatus.FIRING, ends_at__isnull=True)))}
    for group in touched:
        new_devices = {e.device_id for e in members[group.pk] if e.device_id}
        cause = group.likely_cause_id
        explained = cause is not None and all(cause in correlation.chain(d, upstream) for d in new_devices)
        if group.pk in merged or (not explained and (group.pk in created
                                                     or stats[group.pk]["devices"] <= FULL_RECOMPUTE_LIMIT)):
            group.likely_cause_id = _likely_cause(group, upstream)
        group.firing_count = stats[group.pk]["firing"]
    CorrelationGroup.objects.bulk_update(touched, ["likely_cause", "firing_count", "opened_at", "last_event_at",
                                                   "closed_at"])
    user = user or monitoring_user()
    for group in touched:
        _refresh_incident(group, members[group.pk], stats[group.pk]["devices"], user, new=group.pk in created,
                          reopened=group.pk in reopened, now=now)
        result.groups.add(group.pk)
        if group.incident_id:
            result.incidents.add(group.incident_id)


def _likely_cause(group: CorrelationGroup, upstream: dict) -> int | None:
    device_ids = list(Event.objects.filter(group=group, device__isnull=False).values_list("device_id", flat=True)
                      .distinct())
    if not device_ids:
        return None
    upstream.update(upstream_map(set(device_ids) - set(upstream)))
    chains = {a for d in device_ids for a in correlation.chain(d, upstream)}
    down = set(DeviceState.objects.filter(device_id__in=chains, status=DeviceStatus.DOWN)
               .values_list("device_id", flat=True))
    return correlation.likely_cause(device_ids, upstream, down)


def _refresh_incident(group: CorrelationGroup, new_events: list[Event], device_count: int, user: User, *, new: bool,
                      reopened: bool, now: dt.datetime) -> None:
    """Report the incident of a new group; retitle, escalate and annotate that of an existing one."""
    severity = correlation.highest(e.severity for e in new_events) or "general"
    incident = group.incident if not new else None
    if incident is not None and incident.state in CLOSED_INCIDENT_STATES:
        return
    title, description, device = _incident_text(group, device_count, new_events[0].summary if new else None)
    if new:
        incident = incident_services.report_incident(
            user, system=group.system, title=title, severity=severity, description=description, device=device,
            source=IncidentSource.ALERT, now=now)
        group.incident = incident
        group.save(update_fields=["incident"])
        Outage.objects.filter(event__group=group, incident__isnull=True).update(incident=incident)
        return
    if incident is None:
        return
    if (incident.title, incident.description) != (title, description):
        Incident.objects.filter(pk=incident.pk).update(title=title, description=description)
        incident.title, incident.description = title, description
    if correlation.more_severe(severity, incident.severity):
        incident_services.reclassify(user, incident, note=_("关联告警等级升高"), severity=severity, now=now)
    if reopened:
        incident_services.comment(user, incident, FIRED_AGAIN, now=now)


def _incident_text(group: CorrelationGroup, count: int, summary: str | None) -> tuple[str, str, Device | None]:
    """Title naming the group and the number of affected devices; description listing the first 50
    devices (in the order they alerted) and how many more; the incident's device."""
    cause = Device.objects.filter(pk=group.likely_cause_id).first() if group.likely_cause_id else None
    first_ids = []
    for device_id in Event.objects.filter(group=group, device__isnull=False).order_by("pk").values_list(
            "device_id", flat=True)[:DESCRIPTION_DEVICES * 4]:
        if device_id not in first_ids:
            first_ids.append(device_id)
        if len(first_ids) == DESCRIPTION_DEVICES:
            break
    devices = Device.objects.in_bulk(first_ids)
    shown = [devices[d] for d in first_ids if d in devices]
    if summary is None and count <= 1:
        first = Event.objects.filter(group=group).order_by("pk").first()
        summary = first.summary if first else ""
    summary = summary or ""
    if cause is not None and count > 1:
        title = f"{_device_label(cause)} 下游 {count} 台设备告警"
    elif count > 1:
        kind = group.key.split(":", 2)[2] if ":lbl:" in group.key else group.system.name
        title = f"告警组 {kind}：{count} 台设备告警"
    elif count == 1 and shown:
        title = f"{_device_label(shown[0])}：{summary}"
    else:
        title = f"{group.system.name}：{summary or group.key}"
    lines = [f"监控告警自动生成（关联组 #{group.pk}，键 {group.key}）。", f"受影响设备：{count} 台"]
    if cause is not None:
        lines.append(f"可能的共同原因：{_device_label(cause)}（{cause.kind}）")
    lines += [f"- {_device_label(d)}（{d.kind}）" for d in shown]
    if count - len(shown) > 0:
        lines.append(f"……另有 {count - len(shown)} 台")
    device = None
    if count == 1 and shown:
        device = shown[0] if shown[0].system_id == group.system_id else None
    elif cause is not None and cause.system_id == group.system_id:
        device = cause
    return title[:200], "\n".join(lines), device


def _device_label(device: Device) -> str:
    parts = [device.name or device.kind]
    if device.ip_address:
        parts.append(device.ip_address)
    if device.location:
        parts.append(device.location)
    return " · ".join(parts)
