"""The receivers: Alertmanager, Zabbix and generic payloads in their real formats, idempotency,
mapping, out-of-order delivery, 401/422 — in process, and once over real HTTP (live_server)."""

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest

from tongyun.catalog.models import Device, System
from tongyun.incidents.choices import EventKind, IncidentSource
from tongyun.incidents.models import Incident
from tongyun.monitoring import services
from tongyun.monitoring.choices import DeviceStatus, OutageCause
from tongyun.monitoring.models import CorrelationGroup, DeviceState, Event, Outage

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"  # nanoseconds, as Alertmanager writes them


def am_alert(ip: str, status="firing", starts=T0, ends=None, alertname="CameraOffline", severity="warning",
             system=None, fingerprint=None, **labels):
    labels = {"alertname": alertname, "instance": f"{ip}:9100", "severity": severity, **labels}
    if system is not None:
        labels["tongyun_system"] = str(system)
    return {"status": status, "labels": labels,
            "annotations": {"summary": f"{ip} 离线", "description": "ping 不通"},
            "startsAt": iso(starts), "endsAt": iso(ends) if ends else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.local/graph?g0.expr=up+%3D%3D+0",
            "fingerprint": fingerprint or f"fp-{ip}"}


def am_payload(alerts, status=None):
    """The webhook body, exactly as Alertmanager posts it (version 4)."""
    status = status or ("firing" if any(a["status"] == "firing" for a in alerts) else "resolved")
    return {"version": "4", "groupKey": '{}:{alertname="CameraOffline"}', "truncatedAlerts": 0, "status": status,
            "receiver": "tongyun", "groupLabels": {"alertname": "CameraOffline"},
            "commonLabels": {"alertname": "CameraOffline"}, "commonAnnotations": {},
            "externalURL": "http://alertmanager.local:9093", "alerts": alerts}


@pytest.fixture
def system(db):
    return System.objects.filter(unit__name="公安局顺义分局").order_by("row_no").first()


@pytest.fixture
def topology(system):
    """A core switch, an access switch under it, and 5 cameras under the access switch; a server alone."""
    core = Device.objects.create(system=system, kind="核心交换机", name="CORE-1", ip_address="10.9.0.1")
    switch = Device.objects.create(system=system, kind="接入交换机", name="SW-A", ip_address="10.9.1.1",
                                   upstream=core, location="顺义大街路口")
    cameras = [Device.objects.create(system=system, kind="摄像机", name=f"CAM-{i}", ip_address=f"10.9.1.{10 + i}",
                                     upstream=switch, serial_number=f"SN{i:04d}") for i in range(5)]
    server = Device.objects.create(system=system, kind="服务器", name="SRV-1", ip_address="10.9.9.9")
    return {"core": core, "switch": switch, "cameras": cameras, "server": server}


@pytest.fixture
def source(user_of):
    source, token = services.source_create(user_of("bureau_admin"), name="Prometheus 公安", kind="alertmanager")
    source.token = token
    return source


def post(client, path, body, token, **extra):
    return client.post(path, json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"}, **extra)


def test_firing_alerts_become_events_one_incident_and_outages(client, source, topology, system):
    cams = topology["cameras"]
    body = am_payload([am_alert(c.ip_address, system=system.pk) for c in cams[:3]])
    response = post(client, "/api/v1/monitoring/alertmanager", body, source.token)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["received"], answer["created"], answer["duplicates"]) == (3, 3, 0)
    events = Event.objects.filter(source=source)
    assert events.count() == 3 and not events.filter(unmapped=True).exists()
    assert {e.device_id for e in events} == {c.pk for c in cams[:3]}
    assert events.first().raw["generatorURL"].startswith("http://prometheus.local")
    assert events.first().starts_at == T0.replace(microsecond=0) or events.first().starts_at.second == 0
    group = CorrelationGroup.objects.get()
    assert group.likely_cause == topology["switch"]
    incident = group.incident
    assert incident.source == IncidentSource.ALERT and incident.severity == "general"
    assert "SW-A" in incident.title and "3 台" in incident.title
    assert "CAM-0" in incident.description and incident.reported_by.username == "monitoring"
    assert not incident.reported_by.has_usable_password()  # a service account: nobody signs in as it
    assert incident.response_due is not None  # SLA like any other
    assert Outage.objects.filter(cause=OutageCause.MONITORING, end__isnull=True).count() == 3
    assert set(Outage.objects.values_list("incident_id", flat=True)) == {incident.pk}
    assert DeviceState.objects.get(device=cams[0]).status == DeviceStatus.DOWN


def test_repeat_delivery_is_idempotent(client, source, topology, system):
    body = am_payload([am_alert(c.ip_address, system=system.pk) for c in topology["cameras"]])
    first = post(client, "/api/v1/monitoring/alertmanager", body, source.token).json()
    again = post(client, "/api/v1/monitoring/alertmanager", body, source.token).json()
    assert first["created"] == 5 and again["created"] == 0 and again["duplicates"] == 5
    # the same alert twice inside one request counts once
    twice = am_payload([am_alert("10.9.9.9", system=system.pk)] * 2)
    assert post(client, "/api/v1/monitoring/alertmanager", twice, source.token).json()["created"] == 1
    assert Event.objects.count() == 6
    assert Incident.objects.filter(source="alert").count() == 2
    assert Outage.objects.count() == 6


def test_resolved_closes_outages_and_group_but_not_the_incident(client, source, topology, system):
    cams = topology["cameras"][:2]
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert(c.ip_address, system=system.pk)
                                                                for c in cams]), source.token)
    group = CorrelationGroup.objects.get()
    end = T0 + dt.timedelta(minutes=3)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cams[0].ip_address, "resolved", ends=end, system=system.pk)]), source.token)
    group.refresh_from_db()
    assert group.closed_at is None and group.firing_count == 1
    assert Outage.objects.get(device=cams[0]).end == end
    assert DeviceState.objects.get(device=cams[0]).status == DeviceStatus.UP
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cams[1].ip_address, "resolved", ends=end, system=system.pk)]), source.token)
    group.refresh_from_db()
    assert group.closed_at == end and group.firing_count == 0
    incident = Incident.objects.get(pk=group.incident_id)
    assert incident.state == "reported"  # the contractor resolves it
    assert incident.events.filter(kind=EventKind.COMMENT, note="告警已全部恢复").count() == 1
    assert not Outage.objects.filter(end__isnull=True).exists()


def test_out_of_order_resolved_before_firing(client, source, topology, system):
    cam = topology["cameras"][0]
    end = T0 + dt.timedelta(minutes=2)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cam.ip_address, "resolved", ends=end, system=system.pk)]), source.token)
    outage = Outage.objects.get(device=cam)
    assert (outage.start, outage.end) == (Event.objects.get().starts_at, end)  # the interval is recorded
    answer = post(client, "/api/v1/monitoring/alertmanager",
                  am_payload([am_alert(cam.ip_address, system=system.pk)]), source.token).json()
    assert answer["created"] == 1
    assert not CorrelationGroup.objects.exists() and not Incident.objects.filter(source="alert").exists()
    assert Outage.objects.count() == 1 and not Outage.objects.filter(end__isnull=True).exists()
    assert not DeviceState.objects.filter(device=cam, status=DeviceStatus.DOWN).exists()


def test_flapping_alert_rejoins_the_group(client, source, topology, system):
    cam = topology["cameras"][0]
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert(cam.ip_address, system=system.pk)]),
         source.token)
    end = T0 + dt.timedelta(minutes=1)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cam.ip_address, "resolved", ends=end, system=system.pk)]), source.token)
    assert CorrelationGroup.objects.get().closed_at == end
    again = T0 + dt.timedelta(minutes=5)  # fires again inside the 10-minute window
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cam.ip_address, starts=again, system=system.pk)]), source.token)
    group = CorrelationGroup.objects.get()
    assert group.closed_at is None and group.events.count() == 3
    assert Incident.objects.filter(source="alert").count() == 1
    assert group.incident.events.filter(note__contains="抖动").exists()
    # after the window a new firing opens a new incident
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cam.ip_address, "resolved", starts=again, ends=again, system=system.pk)]),
         source.token)
    late = again + dt.timedelta(minutes=30)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cam.ip_address, starts=late, system=system.pk)]), source.token)
    assert Incident.objects.filter(source="alert").count() == 2


def test_more_severe_alert_escalates_the_incident(client, source, topology, system):
    cams = topology["cameras"]
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert(cams[0].ip_address, system=system.pk)]),
         source.token)
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert(cams[1].ip_address, severity="critical", system=system.pk)]), source.token)
    incident = Incident.objects.get(source="alert")
    assert incident.severity == "serious"
    assert incident.events.filter(kind=EventKind.RECLASSIFIED).exists()
    assert "2 台" in incident.title


def test_switch_down_is_the_likely_cause(client, source, topology, system):
    alerts = [am_alert(c.ip_address, system=system.pk) for c in topology["cameras"]]
    alerts.append(am_alert(topology["switch"].ip_address, alertname="SwitchDown", severity="critical",
                           system=system.pk))
    post(client, "/api/v1/monitoring/alertmanager", am_payload(alerts), source.token)
    group = CorrelationGroup.objects.get()
    assert group.likely_cause == topology["switch"]
    assert group.incident.device == topology["switch"] and group.incident.severity == "serious"


def test_mapping_by_device_only_and_unmapped(client, source, topology, system, user_of):
    # no system label: the device (by IP) gives the system
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert("10.9.9.9")]), source.token)
    event = Event.objects.get()
    assert (event.system_id, event.device_id, event.unmapped) == (system.pk, topology["server"].pk, False)
    # an unknown host: stored, unmapped, listed, nothing opened
    answer = post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert("192.0.2.77")]),
                  source.token).json()
    assert answer["unmapped"] == 1
    unmapped = Event.objects.get(unmapped=True)
    assert unmapped.group_id is None and not Outage.objects.filter(event=unmapped).exists()
    # the bureau fixes the mapping: the label "site" names the system
    services.source_update(user_of("bureau_admin"), source,
                           mapping={"system_label": "site", "systems": {"police-video": system.pk},
                                    "severity_map": {"warning": "serious"}, "device_labels": ["host"]})
    post(client, "/api/v1/monitoring/alertmanager",
         am_payload([am_alert("192.0.2.78", site="police-video", host="CAM-1")]), source.token)
    event = Event.objects.get(labels__instance="192.0.2.78:9100")
    assert event.system_id == system.pk and event.device == topology["cameras"][1] and event.severity == "serious"


def test_mapping_is_validated(user_of, source):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.source_update(user_of("bureau_admin"), source,
                               mapping={"severity_map": {"critical": "catastrophic"}, "window_minutes": 0,
                                        "typo": 1})
    assert set(error.value.message_dict) == {"mapping.severity_map", "mapping.window_minutes", "mapping.typo"}


def test_wrong_token_is_401_and_bad_payload_422(client, source, system):
    body = am_payload([am_alert("10.9.9.9", system=system.pk)])
    assert post(client, "/api/v1/monitoring/alertmanager", body, "not-the-token").status_code == 401
    assert client.post("/api/v1/monitoring/alertmanager", json.dumps(body),
                       content_type="application/json").status_code == 401
    assert client.post(f"/api/v1/monitoring/alertmanager?token={source.token}", json.dumps(body),
                       content_type="application/json").status_code == 200
    broken = am_payload([{**am_alert("10.9.9.9"), "status": "burning"}])
    response = post(client, "/api/v1/monitoring/alertmanager", broken, source.token)
    assert response.status_code == 422
    assert any(err["loc"][-1] == "status" and "alerts" in err["loc"] for err in response.json()["detail"])
    no_start = am_payload([{k: v for k, v in am_alert("10.9.9.9").items() if k != "startsAt"}])
    response = post(client, "/api/v1/monitoring/alertmanager", no_start, source.token)
    assert response.status_code == 422 and "startsAt" in response.content.decode()
    # a disabled source, or a regenerated token: the old token no longer works
    old = source.token
    services.source_regenerate_token(_bureau(), source)
    assert post(client, "/api/v1/monitoring/alertmanager", body, old).status_code == 401


def _bureau():
    from tongyun.parties.models import User

    return User.objects.get(username="bureau_admin")


def test_token_of_another_kind_is_refused(client, user_of, system):
    zabbix, token = services.source_create(user_of("bureau_admin"), name="Zabbix", kind="zabbix")
    response = post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert("10.9.9.9")]), token)
    assert response.status_code == 422 and "token" in response.json()["errors"]


def zabbix_body(value="1", event_id="4711", **extra):
    body = {"event_id": event_id, "event_value": value, "event_update": "0",
            "trigger_name": "Unavailable by ICMP ping", "trigger_id": "23001", "severity": "High",
            "host_name": "SW-A", "host_host": "sw-a", "host_ip": "10.9.1.1", "host_group": "顺义视频专网",
            "event_date": "2026.03.02", "event_time": "09:00:00",
            "recovery_date": "{EVENT.RECOVERY.DATE}", "recovery_time": "{EVENT.RECOVERY.TIME}",
            "event_tags": '[{"tag":"scope","value":"availability"}]', "url": "http://zabbix.local"}
    return {**body, **extra}


def test_zabbix_problem_and_recovery(client, user_of, topology, system):
    source, token = services.source_create(user_of("bureau_admin"), name="Zabbix 视频专网", kind="zabbix")
    response = post(client, "/api/v1/monitoring/zabbix", zabbix_body(), token)
    assert response.status_code == 200, response.content
    event = Event.objects.get()
    assert event.device == topology["switch"] and event.severity == "serious"
    assert event.starts_at == dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC) and event.labels["scope"] == "availability"
    assert Incident.objects.filter(source="alert").count() == 1
    # an acknowledgement (update operation) is ignored
    ack = post(client, "/api/v1/monitoring/zabbix", zabbix_body(event_update="1"), token).json()
    assert (ack["created"], ack["ignored"]) == (0, 1)
    recovery = zabbix_body("0", recovery_date="2026.03.02", recovery_time="09:20:00")
    post(client, "/api/v1/monitoring/zabbix", recovery, token)
    assert Outage.objects.get().end == dt.datetime(2026, 3, 2, 1, 20, tzinfo=UTC)
    assert CorrelationGroup.objects.get().closed_at is not None
    bad = post(client, "/api/v1/monitoring/zabbix", zabbix_body(event_value="2"), token)
    assert bad.status_code == 422 and "event_value" in bad.content.decode()
    bad = post(client, "/api/v1/monitoring/zabbix", zabbix_body(event_date="yesterday"), token)
    assert bad.status_code == 422 and "event_date" in bad.content.decode()


def test_generic_events(client, user_of, topology, system):
    source, token = services.source_create(user_of("bureau_admin"), name="脚本", kind="generic")
    one = {"fingerprint": "ups-1", "status": "firing", "starts_at": "2026-03-02T09:00:00+08:00",
           "system": system.name, "device": "SN0003", "severity": "urgent", "summary": "UPS 断电",
           "labels": {"room": "A"}}
    answer = post(client, "/api/v1/monitoring/events", one, token).json()
    assert answer["created"] == 1
    event = Event.objects.get()
    assert event.device == topology["cameras"][3] and event.severity == "urgent"
    assert Incident.objects.get(source="alert").severity == "urgent"
    many = [{**one, "status": "resolved", "ends_at": "2026-03-02T09:30:00+08:00"},
            {**one, "fingerprint": "x", "system": "没有这个系统", "device": None}]
    answer = post(client, "/api/v1/monitoring/events", many, token).json()
    assert (answer["created"], answer["unmapped"]) == (2, 1)
    # an array: the good events are stored, the bad one is reported by its position
    partly = post(client, "/api/v1/monitoring/events", [{**one, "fingerprint": "ups-2"}, {**one, "status": "maybe"}],
                  token)
    assert partly.status_code == 200
    assert partly.json()["created"] == 1 and Event.objects.filter(fingerprint="ups-2").exists()
    assert [r["index"] for r in partly.json()["rejected"]] == [1]
    assert partly.json()["rejected"][0]["errors"][0]["loc"] == ["body", 1, "status"]
    bad = post(client, "/api/v1/monitoring/events", [{**one, "status": "maybe"}], token)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", 0, "status"]
    unknown = post(client, "/api/v1/monitoring/events", {**one, "colour": "red"}, token)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "colour"]
    assert post(client, "/api/v1/monitoring/events", {"status": "firing"}, token).status_code == 422


def test_sources_are_managed_by_the_bureau_admin(client, api_as, system):
    headers = api_as("bureau_admin")
    response = client.post("/api/v1/monitoring/sources", {"name": "P1", "kind": "alertmanager",
                                                          "mapping": {"window_minutes": 5}},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["token"].startswith(created["token_prefix"]) and created["effective_mapping"]["window_minutes"] == 5
    bad = client.patch(f"/api/v1/monitoring/sources/{created['id']}", {"mapping": {"default_severity": "x"}},
                       content_type="application/json", headers=headers)
    assert bad.status_code == 422 and "mapping.default_severity" in bad.json()["errors"]
    token = client.post(f"/api/v1/monitoring/sources/{created['id']}/token", headers=headers).json()["token"]
    assert token != created["token"]
    for other in ("pm", "bureau_staff", "unit_admin"):
        assert client.get("/api/v1/monitoring/sources", headers=api_as(other)).status_code == 403


def test_unit_users_see_only_their_systems_events(client, source, topology, system, api_as, client_as):
    post(client, "/api/v1/monitoring/alertmanager", am_payload([am_alert("10.9.9.9"), am_alert("192.0.2.1")]),
         source.token)
    group = CorrelationGroup.objects.get()
    own = client.get("/api/v1/monitoring/alerts", headers=api_as("unit_admin_police")).json()["results"]
    assert len(own) == 1 and own[0]["system_id"] == system.pk  # not the unmapped one
    assert client.get("/api/v1/monitoring/alerts", headers=api_as("unit_admin_education")).json()["results"] == []
    assert client.get(f"/api/v1/monitoring/groups/{group.pk}",
                      headers=api_as("unit_admin_education")).status_code == 404
    detail = client.get(f"/api/v1/monitoring/groups/{group.pk}", headers=api_as("unit_admin_police")).json()
    assert detail["device_count"] == 1 and detail["incident_id"] == group.incident_id
    assert client.get("/api/v1/monitoring/alerts?unmapped=true", headers=api_as("bureau_staff")).json()[
        "results"][0]["unmapped"] is True
    assert client_as("unit_admin_education").get(f"/monitoring/groups/{group.pk}/").status_code == 404
    page = client_as("unit_admin_police").get(f"/monitoring/groups/{group.pk}/")
    assert page.status_code == 200 and "SRV-1" in page.content.decode()


# ---------------------------------------------------------------- over real HTTP


@pytest.fixture
def live(live_server, transactional_db):
    """live_server flushes the database after each test: load the catalog and the accounts here."""
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.core.demo import ensure_demo_accounts

    load_tender_catalog()
    ensure_demo_accounts()
    return live_server


def http_post(url: str, body, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_receivers_over_real_http(live):
    from tongyun.parties.models import User

    system = System.objects.filter(unit__name="公安局顺义分局").order_by("row_no").first()
    switch = Device.objects.create(system=system, kind="接入交换机", name="SW-LIVE", ip_address="10.8.1.1")
    cams = [Device.objects.create(system=system, kind="摄像机", name=f"LIVE-{i}", ip_address=f"10.8.1.{10 + i}",
                                  upstream=switch) for i in range(20)]
    source, token = services.source_create(User.objects.get(username="bureau_admin"), name="Live", kind="alertmanager")
    url = f"{live.url}/api/v1/monitoring/alertmanager"

    # firing, in two batches as Alertmanager groups them
    firing = [am_alert(c.ip_address, system=system.pk) for c in cams]
    assert http_post(url, am_payload(firing[:12]), token)[0] == 200
    status, answer = http_post(url, am_payload(firing[12:]), token)
    assert status == 200 and answer["created"] == 8
    # repeat delivery (Alertmanager's repeat_interval, or a retry after a timeout)
    status, answer = http_post(url, am_payload(firing), token)
    assert (status, answer["created"], answer["duplicates"]) == (200, 0, 20)
    assert Event.objects.count() == 20
    group = CorrelationGroup.objects.get()
    incident = group.incident
    assert group.likely_cause == switch and "20 台" in Incident.objects.get(pk=incident.pk).title
    assert Outage.objects.filter(end__isnull=True).count() == 20

    # out of order: a resolved alert for an occurrence whose firing has not arrived yet
    later = T0 + dt.timedelta(hours=2)
    ooo = am_alert("10.8.1.50", "resolved", starts=later, ends=later + dt.timedelta(minutes=1), system=system.pk)
    Device.objects.create(system=system, kind="摄像机", name="LIVE-OOO", ip_address="10.8.1.50", upstream=switch)
    assert http_post(url, am_payload([ooo]), token)[0] == 200
    assert http_post(url, am_payload([{**ooo, "status": "firing", "endsAt": "0001-01-01T00:00:00Z"}]), token)[0] == 200
    assert Outage.objects.filter(device__name="LIVE-OOO", end__isnull=False).count() == 1
    assert not Outage.objects.filter(device__name="LIVE-OOO", end__isnull=True).exists()

    # everything resolves: outages closed, group closed, incident still open with the comment
    end = T0 + dt.timedelta(minutes=15)
    resolved = [am_alert(c.ip_address, "resolved", ends=end, system=system.pk) for c in cams]
    status, answer = http_post(url, am_payload(resolved), token)
    assert status == 200 and answer["created"] == 20
    group.refresh_from_db()
    assert group.closed_at == end
    assert not Outage.objects.filter(end__isnull=True).exists()
    incident.refresh_from_db()
    assert incident.state == "reported"
    assert incident.events.filter(note="告警已全部恢复").count() == 1
    assert Incident.objects.filter(source="alert").count() == 1

    # 401 and 422 over the wire
    assert http_post(url, am_payload(firing[:1]), "wrong")[0] == 401
    status, answer = http_post(url, {"alerts": "nope"}, token)
    assert status == 422 and any("alerts" in e["loc"] for e in answer["detail"])


def test_a_nul_byte_in_one_alert_leaves_out_that_alert_only(client, source, topology, system):
    """Alertmanager resends a batch it sees fail: the good alerts are stored, the bad one reported, and the
    answer is 200 so the batch is not resent."""
    cams = topology["cameras"]
    good = [am_alert(cams[0].ip_address, system=system.pk), am_alert(cams[1].ip_address, system=system.pk)]
    bad = am_alert(cams[2].ip_address, system=system.pk)
    bad["labels"] = {**bad["labels"], "job": "cam\x00era"}
    response = post(client, "/api/v1/monitoring/alertmanager", am_payload([good[0], bad, good[1]]), source.token)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["received"], answer["created"]) == (3, 2)
    assert [r["index"] for r in answer["rejected"]] == [1]
    assert answer["rejected"][0]["errors"][0]["loc"] == ["body", "alerts", 1, "labels"]
    assert "NUL" in answer["rejected"][0]["errors"][0]["msg"]
    assert Event.objects.filter(source=source).count() == 2
    # the resent batch stores nothing twice
    again = post(client, "/api/v1/monitoring/alertmanager", am_payload([good[0], bad, good[1]]), source.token).json()
    assert (again["created"], again["duplicates"]) == (0, 2)
    # a NUL in the envelope concerns every alert: 422 naming the field
    envelope = {**am_payload(good), "receiver": "tong\x00yun"}
    response = post(client, "/api/v1/monitoring/alertmanager", envelope, source.token)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "receiver"]


def test_zabbix_nul_is_422_naming_the_field(client, user_of, system):
    _source, token = services.source_create(user_of("bureau_admin"), name="Zabbix NUL", kind="zabbix")
    response = post(client, "/api/v1/monitoring/zabbix", zabbix_body(host_name="SW\x00A"), token)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "host_name"
