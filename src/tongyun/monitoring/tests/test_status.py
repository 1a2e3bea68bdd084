"""Status selectors (numbers), the status pages and the 大屏 (scoped), and the check management pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.incidents import services as incident_services
from tongyun.incidents.models import Incident
from tongyun.monitoring import status
from tongyun.monitoring.models import AlertSource, Check, DeviceState, Event

OWN = "区经信局"


@pytest.fixture
def system(db):
    return System.objects.filter(unit__name=OWN).order_by("row_no").first()


@pytest.fixture
def devices(system):
    """Five devices: 2 up, 1 down, 1 degraded, 1 without any state (unknown)."""
    made = [Device.objects.create(system=system, kind="服务器", name=f"STATUS-DEV-{i}", ip_address=f"10.8.0.{i}")
            for i in range(5)]
    now = timezone.now()
    for device, state in zip(made[:4], ["up", "up", "down", "degraded"], strict=True):
        DeviceState.objects.create(device=device, status=state, since=now, checked_at=now)
    return made


def test_system_status_numbers(system, devices, user_of):
    bureau = user_of("bureau_admin")
    incident_services.report_incident(user_of("unit_admin"), system=system, title="STATUS-INC-1", severity="urgent")
    incident_services.report_incident(user_of("unit_admin"), system=system, title="STATUS-INC-2", severity="general")
    late = incident_services.report_incident(user_of("unit_admin"), system=system, title="STATUS-INC-3",
                                             severity="general")
    Incident.objects.filter(pk=late.pk).update(response_due=timezone.now() - dt.timedelta(minutes=5))
    source = AlertSource.objects.create(name="STATUS-SRC", kind="generic", token_hash="x" * 64, token_prefix="x")
    Event.objects.create(source=source, fingerprint="f1", status="firing", starts_at=timezone.now(), system=system,
                         summary="STATUS-EVENT")

    data = status.system_status(bureau, system)
    counts = data["counts"]
    existing = Device.objects.filter(system=system).count() - 5
    assert (counts["up"], counts["down"], counts["degraded"]) == (2, 1, 1)
    assert counts["unknown"] == 1 + existing and counts["total"] == 5 + existing
    assert data["online_rate"] == 50.0  # 2 of the 4 with a known state
    assert {d.name for d in data["down"]} == {"STATUS-DEV-2", "STATUS-DEV-3"}
    assert data["incidents"]["open"] == 3 and data["incidents"]["breached"] == 1
    by_severity = {s["key"]: s["count"] for s in data["incidents"]["by_severity"]}
    assert by_severity["urgent"] == 1 and by_severity["general"] == 2
    assert [e.summary for e in data["events"]] == ["STATUS-EVENT"]


def test_wall_data_numbers_are_scoped(system, devices, user_of):
    bureau = status.wall_data(user_of("bureau_admin"))
    category = next(c for c in bureau["categories"] if c["key"] == system.category)
    assert category["up"] >= 2 and category["down"] >= 1
    assert bureau["devices"]["up"] == DeviceState.objects.filter(status="up").count()
    assert bureau["units"][0]["name"] == OWN and bureau["units"][0]["down"] == 2
    other = status.wall_data(user_of("unit_admin_education"))
    assert other["devices"]["up"] == 0 and other["units"] == []
    assert other["systems"] == System.objects.filter(unit__name="区教委").count()
    own = status.wall_data(user_of("unit_admin"))
    assert own["devices"]["down"] == 1 and own["devices"]["degraded"] == 1


def test_status_page_and_partial(system, devices, client_as):
    client = client_as("unit_admin")
    page = client.get(f"/monitoring/systems/{system.pk}/status/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 15s"' in html and "STATUS-DEV-2" in html and 'data-testid="count-down">1<' in html
    partial = client.get(f"/monitoring/systems/{system.pk}/status/", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "STATUS-DEV-2" in partial.content.decode()


def test_other_units_status_page_is_404(system, devices, client_as):
    for username in ("unit_admin_education", "electrician"):
        response = client_as(username).get(f"/monitoring/systems/{system.pk}/status/")
        assert response.status_code == 404, username


def test_unit_user_sees_only_own_systems_in_the_index_and_wall(system, devices, client_as):
    own = client_as("unit_admin").get("/monitoring/status/").content.decode()
    assert system.name in own
    other = client_as("unit_admin_education").get("/monitoring/status/").content.decode()
    assert system.name not in other
    education = System.objects.filter(unit__name="区教委").first()
    assert education.name in other
    wall = client_as("unit_admin_education").get("/monitoring/wall/")
    assert wall.status_code == 200 and OWN not in wall.content.decode()
    data = client_as("unit_admin_education").get("/monitoring/wall/data/").json()
    assert data["devices"]["down"] == 0


def test_wall_page_renders_dark_with_charts(client_as, system, devices):
    response = client_as("bureau_admin").get("/monitoring/wall/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-theme="dark"' in html
    assert 'id="chart-categories"' in html and "echarts-6.1.0.min.js" in html and 'id="wall-data"' in html
    assert client_as("bureau_admin").get("/monitoring/wall/?refresh=1").context["poll_seconds"] == 2


# ---------------------------------------------------------------- check management


def test_pm_adds_edits_disables_checks(system, devices, client_as):
    client = client_as("pm")
    page = client.get(f"/monitoring/checks/?system={system.pk}")
    assert page.status_code == 200 and 'data-testid="check-form"' in page.content.decode()
    response = client.post(f"/monitoring/checks/?system={system.pk}", {
        "system": system.pk, "device": devices[0].pk, "kind": "http", "target": "http://10.8.0.0/health",
        "expect": "正常", "interval_seconds": 120, "timeout_seconds": 3, "enabled": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    check = Check.objects.get(system=system, device=devices[0])
    assert check.target == "http://10.8.0.0/health#expect=%E6%AD%A3%E5%B8%B8" and check.interval_seconds == 120
    # invalid: a TCP check without a port
    bad = client.post("/monitoring/checks/", {"system": system.pk, "kind": "tcp", "target": "10.8.0.1",
                                              "interval_seconds": 300, "timeout_seconds": 5, "enabled": "on"})
    assert bad.status_code == 200 and "主机:端口" in bad.content.decode()
    # edit
    response = client.post(f"/monitoring/checks/{check.pk}/", {
        "kind": "tcp", "target": "10.8.0.0:443", "device": devices[0].pk, "interval_seconds": 60,
        "timeout_seconds": 2, "enabled": "on"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.kind, check.target, check.interval_seconds) == ("tcp", "10.8.0.0:443", 60)
    # disable
    client.post(f"/monitoring/checks/{check.pk}/toggle/")
    check.refresh_from_db()
    assert check.enabled is False
    # bulk from the devices' IPs
    response = client.post(f"/monitoring/systems/{system.pk}/checks/bulk/", {
        "kind": "icmp", "interval_seconds": 300, "timeout_seconds": 2})
    assert response.status_code == 302
    assert Check.objects.filter(system=system, kind="icmp").count() == 5


def test_readers_see_checks_but_may_not_change_them(system, devices, client_as):
    check = Check.objects.create(system=system, device=devices[0], kind="tcp", target="10.8.0.0:22")
    unit = client_as("unit_admin")
    page = unit.get("/monitoring/checks/").content.decode()
    assert "10.8.0.0:22" in page and 'data-testid="check-form"' not in page
    assert unit.get(f"/monitoring/checks/{check.pk}/").status_code == 200
    assert unit.post(f"/monitoring/checks/{check.pk}/toggle/").status_code == 403
    assert unit.post(f"/monitoring/checks/{check.pk}/", {"kind": "tcp", "target": "x:1"}).status_code == 403
    assert unit.post("/monitoring/checks/", {"system": system.pk}).status_code == 403
    assert unit.post(f"/monitoring/systems/{system.pk}/checks/bulk/", {"kind": "icmp"}).status_code == 403
    other = client_as("unit_admin_education")
    assert "10.8.0.0:22" not in other.get("/monitoring/checks/").content.decode()
    assert other.get(f"/monitoring/checks/{check.pk}/").status_code == 404


def test_nav_links_to_status(client_as):
    html = client_as("unit_admin").get("/").content.decode()
    assert "/monitoring/status/" in html


def test_status_page_searches_by_name_unit_row_and_offline(client_as):
    from tongyun.catalog.models import Device, System
    from tongyun.monitoring.models import DeviceState

    client = client_as("bureau_admin")
    row1 = System.objects.get(row_no=1)
    row2 = System.objects.get(row_no=2)

    def names(query):
        page = client.get("/monitoring/status/" + query).content.decode()
        table = page.split('data-testid="status-index"')[1].split("</table>")[0]
        return {s.name for s in System.objects.all() if f">{s.name}</a>" in table}

    assert names(f"?q={row1.name[:6]}") >= {row1.name} and row2.name not in names(f"?q={row1.name}")
    assert names("?q=1") >= {row1.name}  # the tender row number
    police = names("?q=公安局顺义分局")
    assert police and police == set(System.objects.filter(unit__name="公安局顺义分局").values_list("name", flat=True))
    assert names(f"?category={row1.category}") == set(
        System.objects.filter(category=row1.category).values_list("name", flat=True))
    device = Device.objects.create(system=row2, kind="服务器", model="STATUS-SEARCH")
    DeviceState.objects.create(device=device, status="down", detail="x")
    assert names("?offline=1") == {row2.name}
