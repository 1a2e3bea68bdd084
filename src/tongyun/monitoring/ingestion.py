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
import functools
import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Q
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.core.bulk import column_preparers, insert_rows, select_in, update_rows
from tongyun.core.db_values import column_readers

from . import receivers
from .choices import EventStatus
from .correlating import correlate_firing, finish_groups, join_groups
from .models import AlertSource, Event
from .outages import apply_resolved, match_resolved, open_outages


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
    unique: dict[tuple, receivers.Alert] = {}
    for alert in alerts:
        unique.setdefault(alert.key, alert)
    # what needs no lock is done before the source's: the events are built from the catalog while another
    # request of the source holds it (re-deliveries, known already, are not built)
    known, _resolved = _known(source, unique.values())
    if all(key in known for key in unique):
        # re-deliveries only (Alertmanager's repeat_interval, retries): nothing to store, no lock to take
        result.duplicates = len(alerts)
        return result
    mapping = receivers.effective_mapping(source.kind, source.mapping)
    built = _build_events(source, mapping, [a for a in unique.values() if a.key not in known])
    prepare_events(built)
    with transaction.atomic():
        locked = AlertSource.objects.select_for_update().get(pk=source.pk)
        if (locked.kind, locked.mapping, locked.default_system_id) != (source.kind, source.mapping,
                                                                      source.default_system_id):
            # the bureau changed the mapping meanwhile: build again with the one now in force
            mapping = receivers.effective_mapping(locked.kind, locked.mapping)
            built = _build_events(locked, mapping, [a for a in unique.values() if a.key not in known])
            prepare_events(built)
        source = locked
        known, resolved_starts = _known(source, unique.values())
        events = [e for e in built if (e.fingerprint, e.starts_at, e.status) not in known]
        result.duplicates = len(alerts) - len(events)
        if not events:
            return result
        for event in events:
            event.source = source  # the same row: prepared_row has its id
            if event.status == EventStatus.RESOLVED:
                resolved_starts[event.fingerprint].append(event.starts_at)
        firing = []
        for event in events:
            if event.status != EventStatus.FIRING:
                continue
            if any(s >= event.starts_at for s in resolved_starts.get(event.fingerprint, ())):
                event.ends_at = now  # its resolve came first: the interval is over (recorded by the resolve)
            else:
                firing.append(event)
        # the firing events join their groups before they are stored: the group is part of their INSERT
        mapped_firing = [e for e in firing if e.system_id is not None]
        joined = join_groups(mapped_firing, mapping, now)
        # and the resolves take their firing events' groups
        resolution = match_resolved(source, [e for e in events if e.status == EventStatus.RESOLVED], now)
        store_events(events)
        result.created = len(events)
        result.unmapped = sum(1 for e in events if e.unmapped)
        incidents = finish_groups(joined, result)
        open_outages([e for e in mapped_firing if e.device_id], now, incidents)
        apply_resolved(resolution, now, result, outages=True)
    return result


def _known(source: AlertSource, alerts) -> tuple[set[tuple], dict[str, list[dt.datetime]]]:
    """The (fingerprint, starts_at, status) of these alerts' fingerprints stored already, and the starts of
    their stored resolves — of those that start no earlier than the earliest of these alerts: nothing
    earlier is either one of them or a resolve that came before one of them (`ingest` compares the starts).
    A fingerprint's older intervals (a camera that goes down every night holds hundreds after a year) are
    left unread: a seek on the unique (source, fingerprint, starts_at, status) index per fingerprint."""
    known = set()
    resolved_starts: dict[str, list[dt.datetime]] = defaultdict(list)
    alerts = list(alerts)
    if not alerts:
        return known, resolved_starts
    adapt_start, read_start = _start_codec(connection.vendor)
    # raw: run twice per storm request (before the lock and in it), the ORM's query cost more than the read
    rows = select_in(f"SELECT fingerprint, starts_at, status FROM {EVENTS} WHERE fingerprint {{in_values}} "
                     "AND source_id = %s AND starts_at >= %s", {a.fingerprint for a in alerts},
                     [source.pk, adapt_start(min(a.starts_at for a in alerts))])
    for fp, starts_at, status in rows:
        if read_start is not None:
            starts_at = read_start(starts_at)
        known.add((fp, starts_at, status))
        if status == EventStatus.RESOLVED:
            resolved_starts[fp].append(starts_at)
    return known, resolved_starts


@functools.cache
def _start_codec(vendor: str):
    """An event's start as the database takes it and as the ORM reads it back (per database kind)."""
    return column_preparers(Event, ["starts_at"])[0], column_readers(Event, ["starts_at"])[0]


EVENTS = Event._meta.db_table
EVENT_COLUMNS = ["source_id", "fingerprint", "status", "starts_at", "ends_at", "received_at", "system_id",
                 "device_id", "severity", "summary", "labels", "raw", "group_id", "unmapped"]
RECEIVED_AT, GROUP_ID, ENDS_AT = (EVENT_COLUMNS.index(name) for name in ("received_at", "group_id", "ends_at"))


def prepare_events(events: list[Event]) -> None:
    """The events' column values as the database takes them (their raw payloads serialised), computed
    before the source's lock is taken; `store_events` adds their group and the moment of reception."""
    prepare = column_preparers(Event, EVENT_COLUMNS)
    for event in events:
        event.prepared_row = [p(getattr(event, name)) for p, name in zip(prepare, EVENT_COLUMNS, strict=True)]


def store_events(events: list[Event]) -> None:
    """INSERT the (unsaved, prepared) events in a few statements; their primary keys are set."""
    received_at = timezone.now()  # as auto_now_add would
    adapt_moment, adapt_group = column_preparers(Event, ["received_at", "group_id"])
    rows = []
    for event in events:
        event.received_at = received_at
        row = list(event.prepared_row)
        row[RECEIVED_AT], row[GROUP_ID] = adapt_moment(received_at), adapt_group(event.group_id)
        row[ENDS_AT] = adapt_moment(event.ends_at)  # set under the lock when the resolve came first
        rows.append(row)
    ids = insert_rows(Event, EVENT_COLUMNS, rows, returning=True, prepared=True)
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding = False
        event._state.db = DEFAULT_DB_ALIAS


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
    fields; restricted to the alert's system when it is known; ambiguous → none.

    One field at a time, for the references the fields before it left unresolved: a reference is settled
    by the first field with a match, so the devices matching a later one cannot change it. An alert
    storm's references are addresses: one seek in the IP index, where one query OR-ing every field's IN
    list had the database scan the catalog for each request (10 ms on PostgreSQL)."""
    references = [r.strip() if r else "" for r in (receivers.device_reference(a, mapping) for a in alerts)]
    resolved: list[tuple[int, int] | None] = [None] * len(alerts)
    pending = [i for i, r in enumerate(references) if r]
    for name in mapping["device_match"]:
        if not pending or name not in DEVICE_MATCH_FIELDS:
            continue
        keys = {i: (_valid_ip(receivers.strip_port(references[i])) if name == "ip_address" else references[i])
                for i in pending}
        values = {k for k in keys.values() if k}
        if not values:
            continue
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pk, system_id, value in Device.objects.filter(**{f"{name}__in": values}).values_list(
                "pk", "system_id", name).order_by("pk"):
            index[value].append((pk, system_id))
        still = []
        for i in pending:
            matches = index.get(keys[i], []) if keys[i] else []
            if systems[i] is not None:
                matches = [m for m in matches if m[1] == systems[i]]
            if len(matches) == 1 or (matches and systems[i] is not None):
                resolved[i] = matches[0]
            else:
                still.append(i)
        pending = still
    return resolved


DEVICE_MATCH_FIELDS = ("ip_address", "code", "name", "gb28181_id", "serial_number")


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
                correlate_firing([event], mapping, now, result)
        else:
            resolution = match_resolved(source, [event], now)
            update_rows(Event, ["group_id"], resolution.regrouped)  # stored already
            apply_resolved(resolution, now, result, outages=False)
    return result
