"""What a group keeps so that a storm's request does not re-read the storm — its distinct devices, firing
alerts and sibling tokens, and its incident's list of the first 50 devices — equals what reading every
event of the group gives; the migration fills them in for groups stored before; the topology walk ends
at a loop in the upstream data."""

import datetime as dt
import importlib

from django.apps import apps
from django.db.models import F

from tongyun.catalog.models import Device
from tongyun.monitoring import correlating, group_incidents, receivers, services
from tongyun.monitoring.choices import EventStatus
from tongyun.monitoring.models import CorrelationGroup, Event

from .test_receivers import T0, am_alert, am_payload

backfill = importlib.import_module("tongyun.monitoring.migrations.0002_group_counts_sibling_tokens")


def _storm(system, source, cameras: int = 70, size: int = 9):
    """`cameras` cameras behind two switches alert in requests of `size`, some twice (a re-delivery with a
    new start: a second event of the same device); returns the switches."""
    switches = [Device.objects.create(system=system, kind="接入交换机", name=f"SW-C{n}", ip_address=f"10.66.{n}.1")
                for n in (1, 2)]
    devices = [Device.objects.create(system=system, kind="摄像机", name=f"CAM-C{i}", upstream=switches[i % 2],
                                     ip_address=f"10.66.{i % 2 + 1}.{10 + i}") for i in range(cameras)]
    alerts = [am_alert(d.ip_address, starts=T0 + dt.timedelta(seconds=i), fingerprint=f"c{d.pk}")
              for i, d in enumerate(devices)]
    alerts += [am_alert(d.ip_address, starts=T0 + dt.timedelta(seconds=200 + i), fingerprint=f"again{d.pk}")
               for i, d in enumerate(devices[::7])]
    for start in range(0, len(alerts), size):
        batch = receivers.parse_alertmanager_batch(am_payload(alerts[start:start + size]))
        services.ingest(source, batch.alerts, now=T0 + dt.timedelta(minutes=5))
    return switches


def _counted(group: CorrelationGroup) -> tuple[int, int, list[str]]:
    events = Event.objects.filter(group=group)
    devices = events.filter(device__isnull=False).values("device_id").distinct().count()
    firing = events.filter(status=EventStatus.FIRING, ends_at__isnull=True).count()
    behind = events.filter(status=EventStatus.FIRING, device__upstream__isnull=False).exclude(
        device__upstream=F("device"))
    siblings = sorted({f"{s}:sib:{p}" for s, p in behind.values_list("system_id", "device__upstream_id")})
    return devices, firing, siblings


def test_kept_counts_and_tokens_equal_the_events(system, source):
    _storm(system, source)
    groups = list(CorrelationGroup.objects.filter(system=system).select_related("incident", "system"))
    assert len(groups) == 2
    for group in groups:
        assert (group.device_count, group.firing_count, group.sibling_tokens) == _counted(group)
        assert group.device_count == 35


def test_incident_keeps_its_first_50_devices_and_counts_as_if_read_again(system, source):
    """With 35 devices a group's description is rebuilt; past 50 only its counts change — and the text is
    the one a full reading of the events writes."""
    _storm(system, source, cameras=130, size=11)
    for group in CorrelationGroup.objects.filter(system=system).select_related("incident", "system"):
        assert group.device_count == 65
        full = group_incidents.incident_texts([group], {group.pk: group.device_count}, {})[group.pk]
        assert (group.incident.title, group.incident.description) == full[:2]
        assert "受影响设备：65 台" in group.incident.description
        assert "……另有 15 台" in group.incident.description
        assert group.incident.description.count("\n- ") == group_incidents.DESCRIPTION_DEVICES


def test_a_description_that_is_not_the_platforms_is_written_again(system, source):
    _storm(system, source, cameras=130, size=11)
    group = CorrelationGroup.objects.filter(system=system).select_related("incident", "system").first()
    group.incident.description = "由调度员改写"
    texts = group_incidents.incident_texts([group], {group.pk: group.device_count}, {}, settled={group.pk})
    assert texts[group.pk][1].startswith(f"监控告警自动生成（关联组 #{group.pk}")


def test_migration_fills_counts_and_tokens_of_stored_groups(system, source):
    _storm(system, source)
    expected = {g.pk: (g.device_count, g.sibling_tokens) for g in CorrelationGroup.objects.all()}
    CorrelationGroup.objects.update(device_count=0, sibling_tokens=[])
    backfill.backfill_group_counts(apps, None)
    assert {g.pk: (g.device_count, g.sibling_tokens) for g in CorrelationGroup.objects.all()} == expected
    assert all(count == 35 for count, _tokens in expected.values())


def test_topology_walk_ends_at_a_loop(system):
    a = Device.objects.create(system=system, kind="交换机", name="LOOP-A")
    b = Device.objects.create(system=system, kind="交换机", name="LOOP-B", upstream=a)
    c = Device.objects.create(system=system, kind="摄像机", name="LOOP-C", upstream=b)
    Device.objects.filter(pk=a.pk).update(upstream=b)
    assert correlating.upstream_map({c.pk, 999_999_999}) == {c.pk: b.pk, b.pk: a.pk, a.pk: b.pk, 999_999_999: None}
    upstream: dict = {}
    assert correlating._descendants({a.pk}, upstream) == {b.pk, c.pk}
    assert upstream == {b.pk: a.pk, a.pk: b.pk, c.pk: b.pk}


def test_many_devices_walk_in_chunks(system):
    """More devices than one statement's parameters (SQLite's 999)."""
    switch = Device.objects.create(system=system, kind="接入交换机", name="SW-MANY", ip_address="10.65.0.1")
    Device.objects.bulk_create([Device(system=system, kind="摄像机", name=f"MANY-{i}", upstream=switch)
                                for i in range(2100)])
    ids = set(Device.objects.filter(upstream=switch).values_list("pk", flat=True))
    walked = correlating.upstream_map(ids)
    assert len(walked) == 2101 and walked[switch.pk] is None
    assert correlating._descendants({switch.pk}, {}) == ids


def _resolves_of(events, ends):
    return [am_alert(e.labels["instance"].split(":")[0], status="resolved", starts=e.starts_at, ends=ends,
                     fingerprint=e.fingerprint) for e in events]


def test_resolves_take_their_groups_in_the_insert_and_keep_the_count(system, source):
    """A resolve is stored with its firing alert's group (no UPDATE of the events' groups afterwards); the
    group's count goes down request by request as counting its events gives, and only the request that
    brings it to zero counts the events (then the group closes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _storm(system, source)
    firing = list(Event.objects.filter(status=EventStatus.FIRING).order_by("starts_at", "pk"))
    group_of = {e.fingerprint: e.group_id for e in firing}
    ends = T0 + dt.timedelta(minutes=30)
    resolves = _resolves_of(firing, ends)
    counted_in = []
    for start in range(0, len(resolves), 9):
        batch = receivers.parse_alertmanager_batch(am_payload(resolves[start:start + 9]))
        with CaptureQueriesContext(connection) as queries:
            services.ingest(source, batch.alerts, now=T0 + dt.timedelta(minutes=40))
        statements = [q["sql"] for q in queries.captured_queries]
        assert not [s for s in statements if s.startswith("UPDATE") and "group_id" in s.split("SET")[1][:80]]
        if any("COUNT(" in s and "GROUP BY" in s and '"group_id"' in s for s in statements):
            counted_in.append(start)
        for group in CorrelationGroup.objects.filter(system=system):
            assert group.firing_count == _counted(group)[1]
            assert (group.closed_at is None) == (group.firing_count > 0)
    assert {e.fingerprint: e.group_id for e in Event.objects.filter(status=EventStatus.RESOLVED)} == group_of
    for group in CorrelationGroup.objects.filter(system=system).select_related("incident"):
        assert group.closed_at == ends
        assert group.incident.events.filter(note="告警已全部恢复").count() == 1
    assert 1 <= len(counted_in) <= 2  # each group counted once, when its last alert resolved


def test_a_count_gone_low_is_counted_before_the_group_closes(system, source):
    """A group whose kept count says one alert is firing, while more are, stays open when that one resolves:
    the count is taken again, and the group's incident gets no "all recovered" comment."""
    _storm(system, source)
    group = CorrelationGroup.objects.filter(system=system).order_by("pk").first()
    open_alerts = list(Event.objects.filter(group=group, status=EventStatus.FIRING).order_by("pk"))
    CorrelationGroup.objects.filter(pk=group.pk).update(firing_count=1)
    batch = receivers.parse_alertmanager_batch(am_payload(_resolves_of(open_alerts[:1], T0 + dt.timedelta(minutes=30))))
    services.ingest(source, batch.alerts, now=T0 + dt.timedelta(minutes=40))
    group.refresh_from_db()
    assert (group.firing_count, group.closed_at) == (len(open_alerts) - 1, None)
    assert not group.incident.events.filter(note="告警已全部恢复").exists()
