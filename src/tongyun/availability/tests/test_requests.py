"""Maintenance windows and accepted outages: who may request, who may decide (403 otherwise, 404 for
another unit's), evidence; outages recorded by hand; the tender's targets."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongyun.availability import services
from tongyun.availability.models import AcceptedOutage, AvailabilityTarget, MaintenanceWindow
from tongyun.catalog.models import Device, System
from tongyun.monitoring.models import Outage

from .conftest import at

WINDOW = {"starts_at": "2026-10-05T10:00:00+08:00", "ends_at": "2026-10-05T20:00:00+08:00", "reason": "升级"}


@pytest.fixture
def jxj(system_of):
    return system_of("区经信局")


def _create_window(client, api_as, system, username="pm"):
    return client.post("/api/v1/availability/maintenance-windows", {"system_id": system.pk, **WINDOW},
                       content_type="application/json", headers=api_as(username))


def test_only_the_pm_requests_a_window(jxj, client, api_as):
    for username in ("unit_admin", "engineer", "bureau_admin", "dispatcher"):
        assert _create_window(client, api_as, jxj, username).status_code == 403, username
    response = _create_window(client, api_as, jxj)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "requested" and response.json()["device_ids"] == []
    # another unit's system does not exist for a unit admin of another unit
    assert _create_window(client, api_as, jxj, "unit_admin_police").status_code == 404


def test_window_bad_interval_is_422(jxj, client, api_as):
    body = {"system_id": jxj.pk, **WINDOW, "ends_at": "2026-10-05T09:00:00+08:00"}
    response = client.post("/api/v1/availability/maintenance-windows", body, content_type="application/json",
                           headers=api_as("pm"))
    assert response.status_code == 422 and "end" in response.json()["errors"]


@pytest.mark.parametrize("username, status", [
    ("unit_staff", 403), ("pm", 403), ("supervisor", 403), ("bureau_staff", 403), ("engineer", 403),
    ("unit_admin_police", 404), ("unit_admin_education", 404), ("unit_admin", 200), ("bureau_admin", 200),
])
def test_who_approves_a_window(username, status, jxj, client, api_as):
    window_id = _create_window(client, api_as, jxj).json()["id"]
    response = client.post(f"/api/v1/availability/maintenance-windows/{window_id}/approve",
                           {"note": "同意"}, content_type="application/json", headers=api_as(username))
    assert response.status_code == status, (username, response.content)
    state = MaintenanceWindow.objects.get(pk=window_id).state
    assert state == ("approved" if status == 200 else "requested")


def test_reject_needs_a_reason_and_a_decision_is_final(jxj, client, api_as):
    window_id = _create_window(client, api_as, jxj).json()["id"]
    headers = api_as("unit_admin")
    url = f"/api/v1/availability/maintenance-windows/{window_id}"
    assert client.post(f"{url}/reject", {}, content_type="application/json", headers=headers).status_code == 422
    response = client.post(f"{url}/reject", {"note": "与重保期冲突"}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    assert client.post(f"{url}/approve", {}, content_type="application/json", headers=headers).status_code == 422


def test_window_pages_request_and_approve(jxj, client_as):
    pm = client_as("pm")
    devices = list(Device.objects.filter(system=jxj)[:1])
    form = pm.get(f"/availability/windows/new/?system={jxj.pk}")
    assert form.status_code == 200 and "request-form" in form.content.decode()
    response = pm.post(f"/availability/windows/new/?system={jxj.pk}", {
        "system": jxj.pk, "start": "2026-10-05T10:00", "end": "2026-10-05T20:00", "reason": "页面申请",
        "devices": [d.pk for d in devices]})
    assert response.status_code == 302, response.content.decode()[:2000]
    window = MaintenanceWindow.objects.get(reason="页面申请")
    assert list(window.devices.all()) == devices
    assert client_as("unit_admin_education").post(f"/availability/windows/{window.pk}/approve/").status_code == 404
    assert client_as("unit_staff").post(f"/availability/windows/{window.pk}/approve/").status_code == 403
    page = client_as("unit_admin").get("/availability/windows/").content.decode()
    assert f'data-testid="approve-{window.pk}"' in page
    assert f'data-testid="approve-{window.pk}"' not in client_as("pm").get("/availability/windows/").content.decode()
    assert client_as("unit_admin").post(f"/availability/windows/{window.pk}/approve/").status_code == 302
    window.refresh_from_db()
    assert window.state == "approved" and window.decided_by.username == "unit_admin"
    assert client_as("unit_admin").get(f"/availability/windows/{window.pk}/approve/").status_code == 405
    assert client_as("unit_admin").get("/availability/windows/new/").status_code == 403


def _create_accepted(client, api_as, system, username="pm"):
    body = {"system_id": system.pk, "kind": "construction", "starts_at": "2026-10-06T01:00:00+08:00",
            "ends_at": "2026-10-06T16:00:00+08:00", "description": "道路施工断电"}
    return client.post("/api/v1/availability/accepted-outages", body, content_type="application/json",
                       headers=api_as(username))


def test_accepted_outage_only_the_bureau_accepts_and_only_with_evidence(jxj, client, api_as):
    assert _create_accepted(client, api_as, jxj, "unit_admin").status_code == 403
    created = _create_accepted(client, api_as, jxj, "engineer")  # field staff assigned to 区经信局
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"/api/v1/availability/accepted-outages/{pk}"
    for username, status in (("unit_admin", 403), ("pm", 403), ("supervisor", 403), ("bureau_staff", 403),
                             ("unit_admin_police", 404)):
        response = client.post(f"{url}/approve", {}, content_type="application/json", headers=api_as(username))
        assert response.status_code == status, username
    bureau = api_as("bureau_admin")
    no_evidence = client.post(f"{url}/approve", {}, content_type="application/json", headers=bureau)
    assert no_evidence.status_code == 422 and "evidence" in no_evidence.json()["errors"]
    bad = client.post(f"{url}/evidence", {"evidence": SimpleUploadedFile("x.exe", b"MZ")}, headers=api_as("pm"))
    assert bad.status_code == 422
    upload = client.post(f"{url}/evidence", {"evidence": SimpleUploadedFile("施工通知.pdf", b"%PDF-1.4 test")},
                         headers=api_as("pm"))
    assert upload.status_code == 200 and upload.json()["has_evidence"]
    approved = client.post(f"{url}/approve", {"note": "属实"}, content_type="application/json", headers=bureau)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = client.post(f"{url}/evidence", {"evidence": SimpleUploadedFile("b.pdf", b"%PDF")}, headers=api_as("pm"))
    assert again.status_code == 422


def test_accepted_outage_page_with_evidence_and_download(jxj, client_as):
    pm = client_as("pm")
    response = pm.post(f"/availability/accepted/new/?system={jxj.pk}", {
        "system": jxj.pk, "kind": "force_majeure", "start": "2026-10-06T01:00", "end": "2026-10-06T16:00",
        "description": "暴雨", "evidence": SimpleUploadedFile("预警.png", b"\x89PNG fake")})
    assert response.status_code == 302, response.content.decode()[:2000]
    accepted = AcceptedOutage.objects.get(description="暴雨")
    missing = pm.post(f"/availability/accepted/new/?system={jxj.pk}", {
        "system": jxj.pk, "kind": "force_majeure", "start": "2026-10-06T01:00", "end": "2026-10-06T16:00",
        "description": "无材料"})
    assert missing.status_code == 422
    download = client_as("unit_admin").get(f"/availability/accepted/{accepted.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\x89PNG fake"
    assert client_as("unit_admin_police").get(f"/availability/accepted/{accepted.pk}/evidence/").status_code == 404
    assert client_as("unit_admin").post(f"/availability/accepted/{accepted.pk}/approve/").status_code == 403
    page = client_as("bureau_admin").get("/availability/accepted/").content.decode()
    assert f'data-testid="approve-{accepted.pk}"' in page
    assert client_as("bureau_admin").post(f"/availability/accepted/{accepted.pk}/approve/").status_code == 302
    accepted.refresh_from_db()
    assert accepted.state == "approved"


def test_manual_outage_form_writes_a_monitoring_outage(jxj, client_as, client, api_as):
    device = Device.objects.filter(system__assignments__user__username="engineer").first()
    engineer = client_as("engineer")
    assert engineer.get("/availability/outages/new/").status_code == 200
    form = engineer.get(f"/availability/outages/new/?system={device.system_id}")
    assert "outage-form" in form.content.decode()
    response = engineer.post(f"/availability/outages/new/?system={device.system_id}", {
        "system": device.system_id, "device": device.pk, "start": "2026-10-08T09:00", "end": "2026-10-08T13:30",
        "fault": "dirty_lens", "cause": "inspection", "note": "巡检发现镜头污损"})
    assert response.status_code == 302, response.content.decode()[:2000]
    outage = Outage.objects.get(note="巡检发现镜头污损")
    assert (outage.cause, outage.fault, outage.system_id, outage.recorded_by.username) == (
        "inspection", "dirty_lens", device.system_id, "engineer")
    assert outage.end - outage.start == at(10, 8, 13, 30) - at(10, 8, 9)
    bad = engineer.post(f"/availability/outages/new/?system={device.system_id}", {
        "system": device.system_id, "device": device.pk, "start": "2026-10-08T09:00", "end": "2026-10-08T08:00",
        "fault": "offline", "cause": "monitoring"})
    assert bad.status_code == 422
    assert client_as("unit_admin").get("/availability/outages/new/").status_code == 403
    api = client.post("/api/v1/availability/outages", {"device_id": device.pk, "starts_at": "2026-10-09T09:00+08:00",
                                                       "fault": "function_lost", "cause": "incident"},
                      content_type="application/json", headers=api_as("engineer"))
    assert api.status_code == 201 and api.json()["end"] is None
    police_device = Device.objects.filter(system__unit__name="公安局顺义分局").first()
    foreign = client.post("/api/v1/availability/outages", {"device_id": police_device.pk,
                                                           "starts_at": "2026-10-09T09:00+08:00"},
                          content_type="application/json", headers=api_as("engineer"))
    assert foreign.status_code == 404


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def test_targets_quote_the_tender_and_cover_every_rate_row(db):
    systems = {s.row_no: s for s in System.objects.filter(row_no__isnull=False)}
    for row, (_percent, quote) in services.TENDER_TARGETS.items():
        assert _flat(quote) in _flat(systems[row].sla_text), row
    stated = {row for row, s in systems.items()
              if services.RATE_WORDS.search(_flat(s.sla_text + s.work_content + s.description))}
    assert stated == set(services.TENDER_TARGETS)
    assert services.TENDER_TARGETS[29][0] == "98"


def test_seed_targets_is_idempotent_and_keeps_edits(db):
    created = services.seed_targets()
    assert created == len(services.TENDER_TARGETS)
    target = AvailabilityTarget.objects.get(system__row_no=29)
    assert float(target.target_percent) == 98 and "设备在线率≥98%" in target.source
    target.target_percent = 97
    target.save()
    assert services.seed_targets() == 0
    target.refresh_from_db()
    assert float(target.target_percent) == 97


@pytest.mark.parametrize("url", ["/availability/accepted/new/", "/availability/outages/new/"])
def test_request_forms_offer_only_the_systems_one_may_see(url, client_as):
    """electrician: assigned to systems of 区教委 only; the forms' pickers and a forged ?system= of
    区经信局 show nothing of it."""
    jxj = System.objects.filter(unit__name="区经信局", devices__isnull=False).order_by("row_no").first()
    client = client_as("electrician")
    for query in ("", f"?system={jxj.pk}"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert jxj.name not in response.content.decode()
    assert jxj.name in client_as("pm").get(url).content.decode()
    forged = client.post(url + f"?system={jxj.pk}", {"system": jxj.pk})
    assert forged.status_code in (200, 422) and jxj.name not in forged.content.decode()
