"""Correlation applied: a storm behind one switch is one incident; groups per upstream; group labels."""

import datetime as dt
import json

from tongyun.catalog.models import Device
from tongyun.incidents.models import Incident
from tongyun.monitoring import services
from tongyun.monitoring.models import CorrelationGroup, DeviceState, Event, Outage

from .test_receivers import T0, am_alert, am_payload, post


def cameras_behind(system, switch_name, subnet, count):
    switch = Device.objects.create(system=system, kind="接入交换机", name=switch_name, ip_address=f"10.{subnet}.0.1")
    Device.objects.bulk_create([Device(system=system, kind="摄像机", name=f"{switch_name}-CAM{i:03d}",
                                       ip_address=f"10.{subnet}.{i // 250 + 1}.{i % 250 + 1}", upstream=switch)
                                for i in range(count)])
    return switch, list(Device.objects.filter(upstream=switch).order_by("pk"))


def test_storm_of_600_cameras_behind_one_switch_is_one_incident(client, source, system):
    switch, cameras = cameras_behind(system, "SW-STORM", 20, 600)
    assert len(cameras) == 600
    # 600 alerts within 60 s, delivered in batches as Alertmanager would (group_interval)
    alerts = [am_alert(c.ip_address, starts=T0 + dt.timedelta(seconds=i // 10), fingerprint=f"cam-{c.pk}")
              for i, c in enumerate(cameras)]
    for start in range(0, 600, 100):
        response = post(client, "/api/v1/monitoring/alertmanager", am_payload(alerts[start:start + 100]),
                        source.token)
        assert response.status_code == 200, response.content
    assert Event.objects.count() == 600
    incident = Incident.objects.get(source="alert")
    group = CorrelationGroup.objects.get()
    assert group.likely_cause == switch and group.firing_count == 600
    assert incident.title.startswith("SW-STORM") and "600 台" in incident.title
    assert "可能的共同原因：SW-STORM" in incident.description
    assert "另有 550 台" in incident.description
    assert Outage.objects.filter(end__isnull=True).count() == 600
    assert DeviceState.objects.filter(status="down").count() == 600
    # the switch's own alert arrives late: it joins the same group (and is the most severe)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(switch.ip_address, alertname="SwitchDown", severity="critical")]), source.token)
    assert CorrelationGroup.objects.count() == 1 and Incident.objects.filter(source="alert").count() == 1
    assert Incident.objects.get(source="alert").severity == "serious"


def test_separate_switches_are_separate_incidents(client, source, system):
    behind = [cameras_behind(system, f"SW-{n}", 30 + n, 5) for n in range(3)]
    alerts = [am_alert(c.ip_address, fingerprint=f"c{c.pk}") for _switch, cams in behind for c in cams]
    post(client, "/api/v1/monitoring/alertmanager", am_payload(alerts), source.token)
    groups = CorrelationGroup.objects.order_by("pk")
    assert [g.likely_cause for g in groups] == [switch for switch, _cams in behind]
    assert Incident.objects.filter(source="alert").count() == 3


def test_group_labels_join_devices_without_topology(client, source, system):
    servers = [Device.objects.create(system=system, kind="服务器", name=f"SRV-{i}", ip_address=f"10.50.0.{i + 1}")
               for i in range(3)]
    alerts = [am_alert(s.ip_address, alertname="DiskFull") for s in servers]
    alerts.append(am_alert("10.50.0.1", alertname="HighLoad", fingerprint="load-1"))
    post(client, "/api/v1/monitoring/alertmanager", am_payload(alerts), source.token)
    keys = sorted(CorrelationGroup.objects.values_list("key", flat=True))
    assert keys == [f"{system.pk}:lbl:alertname=DiskFull", f"{system.pk}:lbl:alertname=HighLoad"]
    disk = CorrelationGroup.objects.get(key__endswith="DiskFull")
    assert disk.likely_cause is None and "3 台" in disk.incident.title


def test_window_is_configurable(client, source, system, user_of):
    services.source_update(user_of("bureau_admin"), source, mapping={"window_minutes": 1})
    server = Device.objects.create(system=system, kind="服务器", name="SRV-W", ip_address="10.60.0.1")
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert(server.ip_address)]), source.token)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(server.ip_address, "resolved", ends=T0 + dt.timedelta(seconds=10))]), source.token)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(server.ip_address, starts=T0 + dt.timedelta(minutes=3))]), source.token)
    assert Incident.objects.filter(source="alert").count() == 2


def test_builtin_check_events_are_correlated(system):
    """The built-in checks store their own events and call correlate_event."""
    from tongyun.monitoring.checks import builtin_source

    server = Device.objects.create(system=system, kind="服务器", name="SRV-C", ip_address="10.70.0.1")
    firing = Event.objects.create(source=builtin_source(), fingerprint="check-1", status="firing", starts_at=T0,
                                  system=system, device=server, severity="general", summary="检测失败")
    services.correlate_event(firing)
    firing.refresh_from_db()
    assert firing.group is not None and firing.group.incident is not None
    resolved = Event.objects.create(source=builtin_source(), fingerprint="check-1", status="resolved", starts_at=T0,
                                    ends_at=T0 + dt.timedelta(minutes=5), system=system, device=server,
                                    group=firing.group)
    services.correlate_event(resolved)
    firing.group.refresh_from_db()
    assert firing.group.closed_at is not None
    assert firing.group.incident.events.filter(note="告警已全部恢复").exists()


def test_raw_payload_kept(client, source, system):
    Device.objects.create(system=system, kind="服务器", name="SRV-R", ip_address="10.80.0.1")
    body = am_payload([am_alert("10.80.0.1")])
    post(client, "/api/v1/monitoring/alertmanager", body, source.token)
    raw = Event.objects.get().raw
    assert raw["labels"] == body["alerts"][0]["labels"] and raw["_webhook"]["receiver"] == "tongyun"
    assert json.dumps(raw)


# ---------------------------------------------------------------- order independence, end to end

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _storm(system):
    core = Device.objects.create(system=system, kind="核心交换机", name="CORE-X", ip_address="10.77.0.1")
    switches = [Device.objects.create(system=system, kind="接入交换机", name=f"SW-X{n}", ip_address=f"10.77.{n}.1",
                                      upstream=core) for n in (1, 2)]
    cameras = [Device.objects.create(system=system, kind="摄像机", name=f"CAM-X{n}{i}",
                                     ip_address=f"10.77.{n}.{10 + i}", upstream=switches[n - 1])
               for n in (1, 2) for i in range(3)]
    server = Device.objects.create(system=system, kind="服务器", name="SRV-X", ip_address="10.77.9.9")
    alerts = [am_alert(core.ip_address, alertname="SwitchDown", severity="critical", fingerprint="core")]
    alerts += [am_alert(s.ip_address, alertname="SwitchDown", fingerprint=f"sw{s.pk}") for s in switches]
    alerts += [am_alert(c.ip_address, starts=T0 + dt.timedelta(seconds=5), fingerprint=f"cam{c.pk}")
               for c in cameras]
    alerts.append(am_alert(server.ip_address, alertname="DiskFull", fingerprint="srv"))
    topology = frozenset([core.pk, *(s.pk for s in switches), *(c.pk for c in cameras)])
    return alerts, {topology, frozenset([server.pk])}, core


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(10)), cuts=st.sets(st.integers(1, 9), max_size=4))
def test_the_same_alerts_in_any_order_give_the_same_groups_and_incident(client, source, system, order, cuts):
    """The core switch, two access switches under it and six cameras go dark, and an unrelated server
    fills its disk; the ten alerts arrive in any order, split over several requests. Always: one group
    and one live incident for the storm (likely cause the core), one for the server."""
    with transaction.atomic():
        alerts, expected, core = _storm(system)
        shuffled = [alerts[i] for i in order]
        bounds = [0, *sorted(cuts), len(shuffled)]
        for start, end in zip(bounds, bounds[1:], strict=False):
            response = post(client, "/api/v1/monitoring/alertmanager", am_payload(shuffled[start:end]), source.token)
            assert response.status_code == 200, response.content
        groups = {frozenset(Event.objects.filter(group=g).values_list("device_id", flat=True)): g
                  for g in CorrelationGroup.objects.filter(system=system)}
        assert set(groups) == expected
        live = Incident.objects.filter(source="alert").exclude(state="cancelled")
        assert live.count() == 2
        storm = next(g for members, g in groups.items() if len(members) > 1)
        assert storm.likely_cause == core and storm.incident in live
        assert storm.incident.title == "CORE-X · 10.77.0.1 下游 9 台设备告警"
        assert storm.incident.severity == "serious"
        # every outage of the storm's devices points at the live incident
        assert set(Outage.objects.filter(device_id__in=max(expected, key=len)).values_list("incident_id", flat=True)) \
            == {storm.incident_id}
        transaction.set_rollback(True)
