"""Writes of monitoring: alert sources and their tokens, and the ingestion of alerts.

`ingest(source, alerts)` handles one receiver request in one transaction, in bulk:

1. drop re-deliveries (unique (source, fingerprint, starts_at, status)); store the rest as events with
   their raw payload, mapped to system / device / severity by the source's mapping (unmapped ones are
   kept and listed for the bureau);
2. firing events join correlation groups (tongyun.domain.correlation); a new group reports ONE incident
   (source "alert", by the service account `monitoring`); a more severe later alert escalates it;
3. firing events open the device's outage (cause monitoring) and set its DeviceState down;
4. resolved events end their firing events; a device with nothing firing any more gets its outage
   closed and goes up; a group with nothing firing closes and its incident gets the timeline comment
   "告警已全部恢复" (the incident itself stays open: the contractor resolves it);
5. out of order: a resolved alert whose firing never came records the closed down interval; a firing
   alert arriving after its own resolve changes nothing but is stored.

Requests of one source are serialised (the source row is locked; SQLite serialises writers anyway), so
a storm split over many requests and workers still ends as one group per key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device, System
from tongyun.core.demo import CONTRACTOR_NAME
from tongyun.domain import correlation
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentSource, IncidentState
from tongyun.incidents.models import Incident
from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import User
from tongyun.parties.services import organisation_get_or_create, user_create

from . import receivers
from .choices import DeviceStatus, EventStatus, FaultKind, OutageCause, SourceKind
from .models import AlertSource, CorrelationGroup, DeviceState, Event, Outage

SERVICE_USERNAME = "monitoring"
MAY_MANAGE_SOURCES = frozenset({Role.BUREAU_ADMIN})
CLOSED_INCIDENT_STATES = (IncidentState.CLOSED, IncidentState.CANCELLED)
# an incident whose alerts merge into another group's is cancelled while nobody has acted on it yet
MERGE_CANCELS = (IncidentState.REPORTED, IncidentState.TRIAGED)
ALL_RECOVERED = "告警已全部恢复"
FIRED_AGAIN = "告警再次触发（抖动），已并入本工单"
DESCRIPTION_DEVICES = 50
FULL_RECOMPUTE_LIMIT = 300  # groups larger than this keep a likely cause that still explains new devices


def may_manage_sources(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in MAY_MANAGE_SOURCES))


def _require_manager(user) -> None:
    if not may_manage_sources(user):
        raise PermissionDenied("monitoring.sources")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


# ---------------------------------------------------------------- sources


def _new_token() -> tuple[str, str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), token[:8]


def _default_system(user, system_id: int | None) -> System | None:
    if system_id is None:
        return None
    system = System.objects.filter(pk=system_id).first()
    if system is None:
        raise ValidationError({"default_system_id": _("系统不存在")})
    return system


@transaction.atomic
def source_create(user, *, name: str, kind: str, mapping: dict | None = None, default_system_id: int | None = None,
                  enabled: bool = True) -> tuple[AlertSource, str]:
    """A new alert source; returns it with its token (shown once, only its hash is kept)."""
    _require_manager(user)
    if kind == SourceKind.BUILTIN:
        raise ValidationError({"kind": _("平台内置检测的来源由平台自动创建")})
    mapping = receivers.validate_mapping(mapping or {})
    if AlertSource.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("已有同名来源")})
    token, token_hash, prefix = _new_token()
    source = AlertSource(name=name.strip(), kind=kind, mapping=mapping, enabled=enabled, token_hash=token_hash,
                         token_prefix=prefix, default_system=_default_system(user, default_system_id))
    source.full_clean()
    with set_actor(user):
        source.save()
    return source, token


_UNSET = object()


@transaction.atomic
def source_update(user, source: AlertSource, *, name: str | None = None, enabled: bool | None = None,
                  default_system_id=_UNSET, mapping: dict | None = None) -> AlertSource:
    _require_manager(user)
    source = AlertSource.objects.select_for_update().get(pk=source.pk)
    if name is not None:
        if AlertSource.objects.filter(name=name.strip()).exclude(pk=source.pk).exists():
            raise ValidationError({"name": _("已有同名来源")})
        source.name = name.strip()
    if enabled is not None:
        source.enabled = enabled
    if default_system_id is not _UNSET:
        source.default_system = _default_system(user, default_system_id)
    if mapping is not None:
        source.mapping = receivers.validate_mapping(mapping)
    source.full_clean()
    with set_actor(user):
        source.save()
    return source


@transaction.atomic
def source_regenerate_token(user, source: AlertSource) -> tuple[AlertSource, str]:
    """A new token; the old one stops working at once."""
    _require_manager(user)
    token, token_hash, prefix = _new_token()
    source.token_hash, source.token_prefix = token_hash, prefix
    with set_actor(user):
        source.save(update_fields=["token_hash", "token_prefix"])
    return source, token


def source_authenticate(token: str) -> AlertSource | None:
    """The enabled source whose token this is."""
    if not token:
        return None
    return AlertSource.objects.filter(token_hash=hash_token(token), enabled=True).first()


# ---------------------------------------------------------------- ingestion


@dataclass
class IngestResult:
    received: int = 0
    created: int = 0
    duplicates: int = 0
    unmapped: int = 0
    ignored: int = 0
    groups: set[int] = field(default_factory=set)
    incidents: set[int] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"received": self.received, "created": self.created, "duplicates": self.duplicates,
                "unmapped": self.unmapped, "ignored": self.ignored, "groups": sorted(self.groups),
                "incidents": sorted(self.incidents)}


def ingest(source: AlertSource, alerts: list[receivers.Alert], *, now: dt.datetime | None = None,
           ignored: int = 0) -> IngestResult:
    """Store and apply one request's alerts (see the module docstring)."""
    now = now or timezone.now()
    result = IngestResult(received=len(alerts) + ignored, ignored=ignored)
    with transaction.atomic():
        source = AlertSource.objects.select_for_update().get(pk=source.pk)
        mapping = receivers.effective_mapping(source.kind, source.mapping)
        unique: dict[tuple, receivers.Alert] = {}
        for alert in alerts:
            unique.setdefault(alert.key, alert)
        fingerprints = {a.fingerprint for a in unique.values()}
        known = set()
        resolved_starts: dict[str, list[dt.datetime]] = defaultdict(list)
        for fp, starts_at, status in Event.objects.filter(source=source, fingerprint__in=fingerprints).values_list(
                "fingerprint", "starts_at", "status"):
            known.add((fp, starts_at, status))
            if status == EventStatus.RESOLVED:
                resolved_starts[fp].append(starts_at)
        fresh = [a for a in unique.values() if a.key not in known]
        result.duplicates = len(alerts) - len(fresh)
        if not fresh:
            return result
        events = _build_events(source, mapping, fresh)
        Event.objects.bulk_create(events, batch_size=500)
        result.created = len(events)
        result.unmapped = sum(1 for e in events if e.unmapped)
        for event in events:
            if event.status == EventStatus.RESOLVED:
                resolved_starts[event.fingerprint].append(event.starts_at)
        firing, stale = [], []
        for event in events:
            if event.status != EventStatus.FIRING:
                continue
            later = [s for s in resolved_starts.get(event.fingerprint, ()) if s >= event.starts_at]
            (stale if later else firing).append(event)
        if stale:  # their resolve came first: the interval is over (recorded by the resolve)
            for event in stale:
                event.ends_at = now
            Event.objects.filter(pk__in=[e.pk for e in stale]).update(ends_at=now)
        mapped_firing = [e for e in firing if e.system_id is not None]
        _correlate_firing(mapped_firing, mapping, now, result)
        _open_outages([e for e in mapped_firing if e.device_id], now)
        _apply_resolved(source, [e for e in events if e.status == EventStatus.RESOLVED], now, result, outages=True)
    return result


def _build_events(source: AlertSource, mapping: dict, alerts: list[receivers.Alert]) -> list[Event]:
    systems = _resolve_systems(source, mapping, alerts)
    devices = _resolve_devices(mapping, alerts, systems)
    events = []
    for index, alert in enumerate(alerts):
        system_id = systems[index]
        device = devices[index]
        if device is not None and system_id is None:
            system_id = device[1]
        events.append(Event(
            source=source, fingerprint=alert.fingerprint, status=alert.status, starts_at=alert.starts_at,
            ends_at=alert.ends_at, system_id=system_id, device_id=device[0] if device else None,
            severity=receivers.severity_of(alert, mapping), summary=alert.summary[:500], labels=alert.labels,
            raw=alert.raw, unmapped=system_id is None))
    return events


def _resolve_systems(source: AlertSource, mapping: dict, alerts: list[receivers.Alert]) -> list[int | None]:
    references = [receivers.system_reference(a, mapping) for a in alerts]
    ids = {int(r) for r in references if isinstance(r, int) or (isinstance(r, str) and r.strip().isdigit())}
    names = {r.strip() for r in references if isinstance(r, str) and r.strip() and not r.strip().isdigit()}
    by_id, by_name = {}, defaultdict(list)
    if ids or names:
        for pk, name in System.objects.filter(Q(pk__in=ids) | Q(name__in=names)).values_list("pk", "name"):
            by_id[pk] = pk
            by_name[name].append(pk)
    resolved = []
    for reference in references:
        if reference in (None, ""):
            resolved.append(source.default_system_id)
        elif isinstance(reference, int) or reference.strip().isdigit():
            resolved.append(by_id.get(int(reference)))
        else:
            found = by_name.get(reference.strip(), [])
            resolved.append(found[0] if len(found) == 1 else None)  # a name two units use is ambiguous
    return resolved


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _resolve_devices(mapping: dict, alerts: list[receivers.Alert], systems: list[int | None]
                     ) -> list[tuple[int, int] | None]:
    """(device id, system id) of each alert, found by the device reference in the mapping's order of
    fields; restricted to the alert's system when it is known; ambiguous → none."""
    references = [receivers.device_reference(a, mapping) for a in alerts]
    values = {r.strip() for r in references if r and r.strip()}
    ips = {ip for ip in (_valid_ip(receivers.strip_port(v)) for v in values) if ip}
    fields = mapping["device_match"]
    condition = Q()
    if "ip_address" in fields and ips:
        condition |= Q(ip_address__in=ips)
    for name in ("code", "name", "gb28181_id", "serial_number"):
        if name in fields and values:
            condition |= Q(**{f"{name}__in": values})
    index: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    if condition:
        text_fields = [f for f in ("code", "name", "gb28181_id", "serial_number") if f in fields]
        for pk, system_id, ip, *texts in Device.objects.filter(condition).values_list(
                "pk", "system_id", "ip_address", *text_fields).order_by("pk"):
            if ip:
                index[("ip_address", ip)].append((pk, system_id))
            for name, value in zip(text_fields, texts, strict=True):
                if value:
                    index[(name, value)].append((pk, system_id))
    resolved = []
    for reference, system_id in zip(references, systems, strict=True):
        found = None
        if reference and reference.strip():
            value = reference.strip()
            for name in fields:
                key = value if name != "ip_address" else _valid_ip(receivers.strip_port(value))
                matches = index.get((name, key), []) if key else []
                if system_id is not None:
                    matches = [m for m in matches if m[1] == system_id]
                if len(matches) == 1 or (matches and system_id is not None):
                    found = matches[0]
                    break
        resolved.append(found)
    return resolved


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


def _correlate_firing(events: list[Event], mapping: dict, now: dt.datetime, result: IngestResult) -> None:
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


def _open_outages(events: list[Event], now: dt.datetime) -> None:
    """An outage (cause monitoring) for each device that has none open; its DeviceState goes down."""
    first: dict[int, Event] = {}
    for event in sorted(events, key=lambda e: e.starts_at):
        first.setdefault(event.device_id, event)
    if not first:
        return
    already = set(Outage.objects.filter(device_id__in=first, end__isnull=True, cause=OutageCause.MONITORING)
                  .values_list("device_id", flat=True))
    incidents = dict(CorrelationGroup.objects.filter(pk__in={e.group_id for e in first.values() if e.group_id})
                     .values_list("pk", "incident_id"))
    Outage.objects.bulk_create([
        Outage(device_id=d, system_id=e.system_id, start=e.starts_at, cause=OutageCause.MONITORING,
               fault=FaultKind.OFFLINE, event=e, incident_id=incidents.get(e.group_id), note=e.summary[:1000])
        for d, e in first.items() if d not in already], batch_size=500)
    set_device_states({d: e.starts_at for d, e in first.items()}, DeviceStatus.DOWN, now,
                      {d: e.summary for d, e in first.items()})


def set_device_states(since: dict[int, dt.datetime], status: str, now: dt.datetime,
                      details: dict[int, str] | None = None) -> None:
    """Set the DeviceState of many devices; `since` moves only for those whose status changes."""
    if not since:
        return
    details = details or {}
    existing = {s.device_id: s for s in DeviceState.objects.filter(device_id__in=since)}
    changed = []
    for device_id, state in existing.items():
        if state.status != status:
            state.status, state.since = status, since[device_id]
            state.checked_at, state.detail = now, details.get(device_id, "")[:300]
            changed.append(state)
    DeviceState.objects.bulk_update(changed, ["status", "since", "checked_at", "detail"], batch_size=100)
    DeviceState.objects.bulk_create(
        [DeviceState(device_id=d, status=status, since=at, checked_at=now, detail=details.get(d, "")[:300])
         for d, at in since.items() if d not in existing], batch_size=500, ignore_conflicts=True)


def _apply_resolved(source: AlertSource, resolved: list[Event], now: dt.datetime, result: IngestResult, *,
                    outages: bool) -> None:
    """End the firing events these resolve; close outages, device states and groups that are done."""
    if not resolved:
        return
    open_firing = defaultdict(list)
    for event in Event.objects.filter(source=source, status=EventStatus.FIRING, ends_at__isnull=True,
                                      fingerprint__in={e.fingerprint for e in resolved}):
        open_firing[event.fingerprint].append(event)
    ended: list[Event] = []
    unmatched: list[Event] = []
    regrouped: dict[int, list[int]] = defaultdict(list)
    for event in resolved:
        end = event.ends_at or now
        matches = [f for f in open_firing.get(event.fingerprint, []) if f.starts_at <= event.starts_at
                   and f.ends_at is None]
        for firing in matches:
            firing.ends_at = end
            ended.append(firing)
        if matches and event.group_id is None and matches[0].group_id:
            event.group_id = matches[0].group_id
            regrouped[event.group_id].append(event.pk)
        if not matches:
            unmatched.append(event)
    for group_id, pks in regrouped.items():
        Event.objects.filter(pk__in=pks).update(group_id=group_id)
    by_end: dict[dt.datetime, list[int]] = defaultdict(list)
    for firing in ended:
        by_end[firing.ends_at].append(firing.pk)
    for end, pks in by_end.items():  # one UPDATE per distinct end (a CASE over many rows is slow on SQLite)
        Event.objects.filter(pk__in=pks).update(ends_at=end)
    if outages:
        # a resolve whose firing never came: the device was down from starts_at to ends_at
        Outage.objects.bulk_create([
            Outage(device_id=e.device_id, system_id=e.system_id, start=e.starts_at, end=e.ends_at or now,
                   cause=OutageCause.MONITORING, fault=FaultKind.OFFLINE, event=e, note=e.summary[:1000])
            for e in unmatched if e.device_id and e.system_id and (e.ends_at or now) >= e.starts_at])
        _close_devices(ended, now)
    _close_groups({f.group_id for f in ended if f.group_id}, ended, now, result)


def _close_devices(ended: list[Event], now: dt.datetime) -> None:
    ends: dict[int, dt.datetime] = {}
    for firing in ended:
        if firing.device_id:
            ends[firing.device_id] = max(ends.get(firing.device_id, firing.ends_at), firing.ends_at)
    if not ends:
        return
    still = set(Event.objects.filter(device_id__in=ends, status=EventStatus.FIRING, ends_at__isnull=True)
                .values_list("device_id", flat=True))
    up = {d: at for d, at in ends.items() if d not in still}
    outages = list(Outage.objects.filter(device_id__in=up, end__isnull=True, cause=OutageCause.MONITORING))
    for outage in outages:
        outage.end = max(up[outage.device_id], outage.start)
    Outage.objects.bulk_update(outages, ["end"], batch_size=100)
    set_device_states(up, DeviceStatus.UP, now)


def _close_groups(group_ids: set[int], ended: list[Event], now: dt.datetime, result: IngestResult) -> None:
    if not group_ids:
        return
    still = dict(Event.objects.filter(group_id__in=group_ids, status=EventStatus.FIRING, ends_at__isnull=True)
                 .values("group_id").annotate(n=Count("pk")).values_list("group_id", "n"))
    last_end: dict[int, dt.datetime] = {}
    for firing in ended:
        if firing.group_id:
            last_end[firing.group_id] = max(last_end.get(firing.group_id, firing.ends_at), firing.ends_at)
    user = None
    for group in CorrelationGroup.objects.filter(pk__in=group_ids).select_related("incident"):
        result.groups.add(group.pk)
        group.firing_count = still.get(group.pk, 0)
        if group.firing_count == 0 and group.closed_at is None:
            group.closed_at = last_end.get(group.pk, now)
            incident = group.incident
            if incident is not None and incident.state not in CLOSED_INCIDENT_STATES:
                user = user or monitoring_user()
                incident_services.comment(user, incident, ALL_RECOVERED, now=now)
        if group.incident_id:
            result.incidents.add(group.incident_id)
        group.save(update_fields=["firing_count", "closed_at"])


def correlate_event(event: Event, *, now: dt.datetime | None = None) -> IngestResult:
    """Correlate one event stored elsewhere (the built-in checks keep their own outages and device
    states): a firing event joins or opens its group; a resolved one ends its firing and may close
    the group."""
    now = now or timezone.now()
    result = IngestResult(received=1)
    with transaction.atomic():
        source = AlertSource.objects.select_for_update().get(pk=event.source_id)
        mapping = receivers.effective_mapping(source.kind, source.mapping)
        if event.status == EventStatus.FIRING:
            if event.system_id is not None and event.group_id is None and event.ends_at is None:
                _correlate_firing([event], mapping, now, result)
        else:
            _apply_resolved(source, [event], now, result, outages=False)
    return result
