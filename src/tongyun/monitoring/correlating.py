"""Correlation of firing alerts into groups (tongyun.domain.correlation); the incident each group reports,
retitles and escalates is kept by tongyun.monitoring.group_incidents (by the service account `monitoring`).

One request's alerts are joined to their groups before they are stored (`join_groups`: their group is part
of their INSERT), then the touched groups are finished together (`finish_groups`): a fixed number of queries
per request, not per touched group — a storm interleaves all its switches in every request."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from tongyun.catalog.models import Device, System
from tongyun.core.bulk import marks, select_in, update_rows
from tongyun.core.demo import CONTRACTOR_NAME
from tongyun.domain import correlation
from tongyun.incidents import services as incident_services
from tongyun.incidents.choices import IncidentState
from tongyun.parties.choices import OrganisationKind, Role
from tongyun.parties.models import User
from tongyun.parties.services import organisation_get_or_create, user_create

from . import group_incidents
from .choices import DeviceStatus, EventStatus
from .group_incidents import CLOSED_INCIDENT_STATES
from .models import CorrelationGroup, DeviceState, Event, Outage

if TYPE_CHECKING:
    from .ingestion import IngestResult

SERVICE_USERNAME = "monitoring"
# what the alert path reads of a group's incident and system (the services that change an incident read it
# again themselves): a storm's request loads twenty of each, and whole rows cost more than the rest of it
GROUP_FIELDS = ("key", "system_id", "likely_cause_id", "opened_at", "last_event_at", "closed_at", "incident_id",
                "firing_count", "device_count", "sibling_tokens", "system__name", "incident__state",
                "incident__severity", "incident__title", "incident__description")
# an incident whose alerts merge into another group's is cancelled while nobody has acted on it yet
MERGE_CANCELS = (IncidentState.REPORTED, IncidentState.TRIAGED)
FULL_RECOMPUTE_LIMIT = 300  # groups larger than this keep a likely cause that still explains new devices


def monitoring_user() -> User:
    """The service account that reports the incidents of correlated alerts (a dispatcher of the
    contractor, without a usable password)."""
    user = User.objects.filter(username=SERVICE_USERNAME).first()
    if user is None:
        organisation = organisation_get_or_create(OrganisationKind.CONTRACTOR, CONTRACTOR_NAME)
        # unusable from the start: hashing a random password to discard it cost 0.3 s (PBKDF2) inside the
        # first alert request's lock
        user = user_create(username=SERVICE_USERNAME, role=Role.DISPATCHER, organisation=organisation,
                           password_hash=make_password(None), full_name="监控告警（自动）")
    return user


def upstream_map(device_ids: set[int]) -> dict[int, int | None]:
    """device → upstream for the devices and all their upstream devices (one query per level)."""
    known: dict[int, int | None] = {}
    todo = {d for d in device_ids if d is not None}
    while todo:
        rows = dict(_devices_where("id", todo))
        known.update(rows)
        for missing in todo - set(rows):
            known[missing] = None
        todo = {u for u in rows.values() if u is not None and u not in known}
        if len(known) > WALK_LIMIT:
            break
    return known


def _descendants(device_ids: set[int], upstream: dict) -> set[int]:
    """The devices below these (one query per level); their upstream goes into `upstream`."""
    found: set[int] = set()
    frontier = set(device_ids)
    for _level in range(correlation.MAX_DEPTH):
        if not frontier:
            break
        rows = dict(_devices_where("upstream_id", frontier))
        upstream.update(rows)
        frontier = set(rows) - found - device_ids
        found |= frontier
    return found


DEVICES = Device._meta.db_table
EVENTS = Event._meta.db_table
WALK_LIMIT = 100_000  # a runaway topology must not load the whole catalog


def _devices_where(column: str, values: set[int]) -> list[tuple[int, int | None]]:
    """(id, upstream_id) of the devices whose `column` is one of `values` (a walk through the topology)."""
    return select_in(f"SELECT id, upstream_id FROM {DEVICES} WHERE {column} {{in_values}}", values)


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


def _group_tokens(groups: dict[int, CorrelationGroup], events: list[Event], mapping: dict, upstream: dict
                  ) -> dict[int, correlation.Tokens]:
    """What each group relates to, as far as these alerts can see: the union of the tokens of the group's
    firing alerts that are related to at least one of them, and the sibling tokens the group keeps (every
    camera behind a switch is related to every other one: the group's one token stands for all of them,
    and a storm's request does not read the storm). Groups are joined by token intersection, so leaving
    out the alerts related to none of these changes no match."""
    result = {pk: correlation.EMPTY for pk in groups}
    if not result:
        return result
    firing = Event.objects.filter(group_id__in=list(groups), status=EventStatus.FIRING).order_by()
    devices = {e.device_id for e in events if e.device_id}
    near = {a for d in devices for a in correlation.chain(d, upstream)} | _descendants(devices, upstream)
    # members on an alert's chain or below an alert's device (device tokens), and members without
    # topology (label or system tokens): their exact tokens
    members = _members_on(list(groups), near) if near else []
    if any(e.device_id is None or upstream.get(e.device_id) in (None, e.device_id) for e in events):
        # only an alert without topology has label or system tokens for these to meet
        members += firing.filter(Q(device__isnull=True) | Q(device__upstream__isnull=True)
                                 | Q(device__upstream=F("device"))).values_list(
            "group_id", "system_id", "device_id", "labels").distinct()
    upstream.update(upstream_map({d for _g, _s, d, _l in members if d} - set(upstream)))
    for group_id, system_id, device_id, labels in members:
        key = correlation.label_key(labels or {}, mapping["group_labels"])
        result[group_id] = result[group_id] | correlation.tokens(system_id, device_id, upstream, key)
    for pk, group in groups.items():
        if group.sibling_tokens:
            kept = frozenset(group.sibling_tokens)
            result[pk] = result[pk] | correlation.Tokens(kept, kept)
    return result


# Both lookups below write the group as `group_id + 0`: an expression no index serves, so that the database
# seeks the request's devices in monitoring_event_device_group and reads only the index (group and status are
# in it). Given `group_id IN (…)`, PostgreSQL's planner took monitoring_event_group_open instead — it estimates
# a group at a row or two, and a storm's groups are the exception, thousands of events each: every request
# read every event of the storm so far (7–10 ms per lookup at the storm's middle, 0.3–0.7 ms so).
IN_GROUPS = "group_id + 0 IN ({groups})"


def _members_on(group_ids: list[int], device_ids: set[int]) -> list[tuple[int, int, int, dict]]:
    """(group, system, device, labels) of the groups' firing events of these devices: which (group, device)
    pairs have one, from the index alone; their rows only then (in a storm, none: its cameras are new to
    their groups)."""
    pairs = select_in(f"SELECT DISTINCT group_id, device_id FROM {EVENTS} WHERE device_id {{in_values}} "
                      f"AND {IN_GROUPS.format(groups=marks(group_ids))} AND status = %s", device_ids,
                      [*group_ids, EventStatus.FIRING])
    if not pairs:
        return []
    groups, devices = sorted({g for g, _d in pairs}), {d for _g, d in pairs}
    rows = select_in(f"SELECT DISTINCT group_id, system_id, device_id, labels FROM {EVENTS} WHERE device_id "
                     f"{{in_values}} AND {IN_GROUPS.format(groups=marks(groups))} AND status = %s", devices,
                     [*groups, EventStatus.FIRING])
    return [(g, s, d, json.loads(labels) if isinstance(labels, str) else labels) for g, s, d, labels in rows]


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


@dataclass
class Joined:
    """Firing events put into their groups (in memory: `event.group_id`), before their INSERT; what
    `finish_groups` needs once they are stored."""

    events: list[Event]
    upstream: dict
    now: dt.datetime
    groups: dict[int, CorrelationGroup] = field(default_factory=dict)
    members: dict[int, list[Event]] = field(default_factory=lambda: defaultdict(list))
    created: set[int] = field(default_factory=set)
    reopened: set[int] = field(default_factory=set)
    merged: set[int] = field(default_factory=set)
    # the severities of the incidents merged into each group: the survivor's incident follows them upwards
    absorbed: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # (device_count, firing_count, likely_cause_id) of the groups as they were read, before these events
    before: dict[int, tuple[int, int, int | None]] = field(default_factory=dict)
    user: User | None = None

    def service_user(self) -> User:
        """The service account, read once and only when a change is written in its name."""
        self.user = self.user or monitoring_user()
        return self.user


def join_groups(events: list[Event], mapping: dict, now: dt.datetime) -> Joined:
    """Put each firing event into its group — joining every group it relates to and merging them, so the
    groups do not depend on the order alerts arrive in (tongyun.domain.correlation); new groups are
    created, merged ones retired. The events need not be stored yet: their group is set in memory, and
    the caller stores them (or, stored already, has their group updated by `correlate_firing`)."""
    window = dt.timedelta(minutes=mapping["window_minutes"])
    upstream = upstream_map({e.device_id for e in events if e.device_id})
    joined = Joined(events=events, upstream=upstream, now=now)
    if not events:
        return joined
    tokens_of, new_key_of = [], []
    for event in events:
        labels_key = correlation.label_key(event.labels, mapping["group_labels"])
        tokens_of.append(correlation.tokens(event.system_id, event.device_id, upstream, labels_key))
        new_key_of.append(correlation.new_group_key(event.system_id, event.device_id, upstream, labels_key))
    system_ids = {e.system_id for e in events}
    views = _joinable_groups(system_ids, min(e.starts_at for e in events), window)
    groups = joined.groups
    groups.update({g.pk: g for g in CorrelationGroup.objects.filter(pk__in=views).select_related(
        "incident", "system").only(*GROUP_FIELDS)})
    joined.before = {pk: (g.device_count, g.firing_count, g.likely_cause_id) for pk, g in groups.items()}
    group_tokens = _group_tokens(groups, events, mapping, upstream)
    systems = System.objects.in_bulk(system_ids - {g.system_id for g in groups.values()})
    systems.update({g.system_id: g.system for g in groups.values()})
    members, created, reopened, merged = joined.members, joined.created, joined.reopened, joined.merged
    # in the order they started (then as received: the order of their ids once stored)
    for index in sorted(range(len(events)), key=lambda i: (events[i].starts_at, i)):
        event = events[index]
        at = event.starts_at
        candidates = {pk: t for pk, t in group_tokens.items()
                      if views[pk].joinable and (views[pk].closed_at is None or views[pk].closed_at >= at - window)}
        found = correlation.matching_groups(tokens_of[index], candidates)
        if not found:
            group = CorrelationGroup.objects.create(key=new_key_of[index], system=systems[event.system_id],
                                                    opened_at=at, last_event_at=at)
            groups[group.pk] = group
            created.add(group.pk)
            group_tokens[group.pk] = correlation.EMPTY
        else:
            # the survivor: a group that already has its incident, the earliest opened, the oldest
            found.sort(key=lambda pk: (pk in created, groups[pk].opened_at, pk))
            group = groups[found[0]]
            for other_pk in found[1:]:
                joined.user = joined.user or monitoring_user()
                other = groups.pop(other_pk)
                joined.absorbed[group.pk] += joined.absorbed.pop(other_pk, [])
                if other.incident is not None:
                    joined.absorbed[group.pk].append(other.incident.severity)
                _merge_groups(group, other, joined.user, now)
                group_tokens[group.pk] = group_tokens[group.pk] | group_tokens.pop(other_pk)
                views.pop(other_pk, None)
                for moved in members.pop(other_pk, []):
                    moved.group_id = group.pk
                    members[group.pk].append(moved)
                group.sibling_tokens = sorted(set(group.sibling_tokens) | set(other.sibling_tokens))
                group.opened_at = min(group.opened_at, other.opened_at)
                group.last_event_at = max(group.last_event_at, other.last_event_at)
                created.discard(other_pk)
                reopened.discard(other_pk)
                merged.add(group.pk)
            if group.closed_at is not None:
                group.closed_at = None
                reopened.add(group.pk)
        views[group.pk] = correlation.GroupView(id=group.pk, key=group.key, closed_at=None)
        group_tokens[group.pk] = group_tokens[group.pk] | tokens_of[index]
        offered = correlation.sibling_tokens(tokens_of[index])
        if not offered <= set(group.sibling_tokens):
            group.sibling_tokens = sorted(set(group.sibling_tokens) | offered)
        group.opened_at = min(group.opened_at, at)
        group.last_event_at = max(group.last_event_at, at)
        event.group_id = group.pk
        members[group.pk].append(event)
    return joined


def finish_groups(joined: Joined, result: IngestResult) -> dict[int, int | None]:
    """Once the events are stored: the touched groups' counts and likely causes, their incidents
    (reported, retitled, escalated — a handful of queries for all of them), one UPDATE of the groups.
    Returns group → incident (for the outages of the same events)."""
    members, groups = joined.members, joined.groups
    if not members:
        return {}
    touched = [groups[pk] for pk in members]
    _count(joined, touched)
    recompute = []
    for group in touched:
        new_devices = {e.device_id for e in members[group.pk] if e.device_id}
        cause = group.likely_cause_id
        explained = cause is not None and all(cause in correlation.chain(d, joined.upstream) for d in new_devices)
        if group.pk in joined.merged or (not explained and (group.pk in joined.created
                                                            or group.device_count <= FULL_RECOMPUTE_LIMIT)):
            recompute.append(group)
    causes = _likely_causes([g.pk for g in recompute], joined.upstream)
    for group in recompute:
        group.likely_cause_id = causes.get(group.pk)
    # a group whose alerts were only added to, under the same likely cause, keeps its incident's device list
    settled = {g.pk for g in touched if g.pk in joined.before and g.pk not in joined.merged
               and g.likely_cause_id == joined.before[g.pk][2]}
    group_incidents.refresh(touched, members, {g.pk: g.device_count for g in touched}, joined.service_user,
                            created=joined.created, reopened=joined.reopened, absorbed=joined.absorbed,
                            settled=settled, now=joined.now)
    update_rows(CorrelationGroup, ["likely_cause", "firing_count", "device_count", "sibling_tokens", "opened_at",
                                   "last_event_at", "closed_at", "incident"], touched)
    for group in touched:
        result.groups.add(group.pk)
        if group.incident_id:
            result.incidents.add(group.incident_id)
    return {g.pk: g.incident_id for g in touched}


def _count(joined: Joined, touched: list[CorrelationGroup]) -> None:
    """Each touched group's distinct devices and firing alerts: counted for a group merged by these
    events; for the others, what these events add to the counts the group kept (one query for the devices
    already in the groups — not a read of every event of the storm)."""
    members = joined.members
    merged = [g.pk for g in touched if g.pk in joined.merged]
    if merged:
        for row in Event.objects.filter(group_id__in=merged).values("group_id").annotate(
                devices=Count("device_id", distinct=True),
                firing=Count("pk", filter=Q(status=EventStatus.FIRING, ends_at__isnull=True))).order_by():
            group = joined.groups[row["group_id"]]
            group.device_count, group.firing_count = row["devices"], row["firing"]
    added = [g for g in touched if g.pk not in joined.merged]
    devices = {e.device_id for g in added for e in members[g.pk] if e.device_id}
    known: set[tuple[int, int]] = set()
    old = [g.pk for g in added if g.pk not in joined.created]
    if devices and old:
        known = _devices_in_groups(old, [e for g in added for e in members[g.pk]])
    for group in added:
        fresh = {e.device_id for e in members[group.pk] if e.device_id and (group.pk, e.device_id) not in known}
        base_devices, base_firing = (0, 0) if group.pk in joined.created else joined.before[group.pk][:2]
        group.device_count = base_devices + len(fresh)
        group.firing_count = base_firing + sum(1 for e in members[group.pk] if e.ends_at is None)


def _devices_in_groups(group_ids: list[int], events: list[Event]) -> set[tuple[int, int]]:
    """The (group, device) pairs of these groups and of the devices of `events` (this request's, stored) that
    have events besides these: counted per pair from monitoring_event_device_group alone (IN_GROUPS)."""
    own: dict[tuple[int, int], int] = defaultdict(int)
    for event in events:
        if event.device_id:
            own[(event.group_id, event.device_id)] += 1
    rows = select_in(f"SELECT group_id, device_id, COUNT(*) FROM {EVENTS} WHERE device_id {{in_values}} "
                     f"AND {IN_GROUPS.format(groups=marks(group_ids))} GROUP BY group_id, device_id",
                     {d for _g, d in own}, sorted(group_ids))
    return {(g, d) for g, d, count in rows if count > own.get((g, d), 0)}


def correlate_firing(events: list[Event], mapping: dict, now: dt.datetime, result: IngestResult) -> None:
    """Correlate firing events that are stored already (the built-in checks' path)."""
    if not events:
        return
    joined = join_groups(sorted(events, key=lambda e: e.pk), mapping, now)
    for group_id, group_events in joined.members.items():
        Event.objects.filter(pk__in=[e.pk for e in group_events]).update(group_id=group_id)
    finish_groups(joined, result)


def _likely_causes(group_ids: list[int], upstream: dict) -> dict[int, int | None]:
    """The likely cause of each group (tongyun.domain.correlation.likely_cause): two queries for all."""
    if not group_ids:
        return {}
    affected: dict[int, list[int]] = defaultdict(list)
    for group_id, device_id in Event.objects.filter(group_id__in=group_ids, device__isnull=False).values_list(
            "group_id", "device_id").distinct().order_by():
        affected[group_id].append(device_id)
    devices = {d for ds in affected.values() for d in ds}
    upstream.update(upstream_map(devices - set(upstream)))
    chains = {a for d in devices for a in correlation.chain(d, upstream)}
    down = set(DeviceState.objects.filter(device_id__in=chains, status=DeviceStatus.DOWN)
               .values_list("device_id", flat=True)) if chains else set()
    return {pk: correlation.likely_cause(affected[pk], upstream, down) if affected.get(pk) else None
            for pk in group_ids}
