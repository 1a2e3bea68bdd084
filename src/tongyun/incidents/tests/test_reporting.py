"""Reporting a fault as a unit user: contact pre-filled, location, device search among many devices,
photos (form and API, size-limited), and the satisfaction survey at confirmation as a monthly fact."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.core import facts
from tongyun.incidents import services
from tongyun.incidents.models import Incident, IncidentAttachment

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def row1():
    return System.objects.get(row_no=1)  # 区经信局's first system


@pytest.fixture
def cameras(row1):
    return Device.objects.bulk_create(
        Device(system=row1, kind="摄像机", code=f"SY-CAM-{n:05d}", name="摄像机", location=f"府前街{n}号")
        for n in range(300))


def test_form_prefills_the_contact_from_account_then_unit(client_as, user_of):
    user = user_of("unit_staff")
    user.full_name, user.phone = "王芳", "13800000001"
    user.save()
    page = client_as("unit_staff").get(reverse("incidents:report")).content.decode()
    assert 'value="王芳"' in page and 'value="13800000001"' in page
    unit = user.organisation
    user.phone = ""
    user.save()
    unit.contact_phone = "010-69440000"
    unit.save()
    page = client_as("unit_staff").get(reverse("incidents:report")).content.decode()
    assert 'value="010-69440000"' in page


def test_device_search_returns_at_most_20_of_the_viewers_systems(client_as, cameras, system_of):
    client = client_as("unit_admin")
    page = client.get(reverse("incidents:device_search"), {"device_q": "SY-CAM-0"}).content.decode()
    assert page.count('data-testid="device-choice"') == 20
    page = client.get(reverse("incidents:device_search"), {"device_q": "SY-CAM-00123"}).content.decode()
    assert page.count('data-testid="device-choice"') == 1 and f'value="{cameras[123].pk}"' in page
    page = client.get(reverse("incidents:device_search"), {"device_q": "府前街77号"}).content.decode()
    assert f'value="{cameras[77].pk}"' in page
    # another unit's viewer finds none of them
    page = client_as("unit_admin_education").get(reverse("incidents:device_search"),
                                                 {"device_q": "SY-CAM"}).content.decode()
    assert "SY-CAM" not in page and 'data-testid="device-none"' in page


def test_report_with_device_only_location_and_photo(client_as, cameras, row1):
    client = client_as("unit_admin")
    response = client.post(reverse("incidents:report"), {
        "device": cameras[5].pk, "severity": "general", "title": "摄像机黑屏", "location": "府前街5号路口",
        "reporter_name": "李雷", "reporter_phone": "13900000000",
        "attachments": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]})
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get(title="摄像机黑屏")
    assert incident.system == row1 and incident.device == cameras[5]  # the system follows the device
    assert (incident.location, incident.reporter_name, incident.reporter_phone) == ("府前街5号路口", "李雷",
                                                                                   "13900000000")
    photo = IncidentAttachment.objects.get(incident=incident)
    assert photo.is_image and photo.name == "现场.png"
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert reverse("incidents:attachment", args=[photo.pk]) in page and "府前街5号路口" in page
    assert client.get(reverse("incidents:attachment", args=[photo.pk])).status_code == 200
    assert client_as("unit_admin_education").get(reverse("incidents:attachment", args=[photo.pk])).status_code == 404


def test_report_without_system_or_device_names_the_field(client_as):
    response = client_as("unit_admin").post(reverse("incidents:report"), {"severity": "general", "title": "x"})
    assert response.status_code == 422 and 'data-testid="error-system"' in response.content.decode()
    assert not Incident.objects.exists()


def test_an_unknown_file_type_refuses_the_whole_report(client_as, row1):
    response = client_as("unit_admin").post(reverse("incidents:report"), {
        "system": row1.pk, "severity": "general", "title": "x",
        "attachments": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("run.exe", b"MZ")]})
    assert response.status_code == 422 and "不支持" in response.content.decode()
    assert not Incident.objects.exists() and not IncidentAttachment.objects.exists()


@override_settings(TONGYUN_UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_core_limit_is_refused_by_the_service(user_of, row1):
    # over HTTP the request-size middleware answers 413 first; the service holds the same line for other callers
    with pytest.raises(ValidationError) as refused:
        services.report_incident(user_of("unit_admin"), system=row1, title="x", severity="general",
                                 attachments=[SimpleUploadedFile("big.jpg", b"0" * 2048)])
    assert "超过" in refused.value.message_dict["attachments"][0]
    assert not Incident.objects.exists()


def test_api_reports_with_location_then_adds_photos_multipart(client, api_as, row1):
    headers = api_as("unit_admin")
    response = client.post("/api/v1/incidents", {"system_id": row1.pk, "title": "无法访问", "severity": "general",
                                                 "location": "机房 3 号柜"}, content_type="application/json",
                           headers=headers)
    assert response.status_code == 201 and response.json()["location"] == "机房 3 号柜"
    number = response.json()["id"]
    response = client.post(f"/api/v1/incidents/{number}/attachments",
                           {"files": [SimpleUploadedFile("a.jpg", PNG), SimpleUploadedFile("b.pdf", b"%PDF")]},
                           headers=headers)
    assert response.status_code == 201, response.content
    assert [(a["name"], a["is_image"]) for a in response.json()["attachments"]] == [("a.jpg", True),
                                                                                    ("b.pdf", False)]
    response = client.post(f"/api/v1/incidents/{number}/attachments", {}, headers=headers)
    assert response.status_code == 422 and "files" in response.content.decode()
    other = api_as("unit_admin_education")
    response = client.post(f"/api/v1/incidents/{number}/attachments", {"files": [SimpleUploadedFile("c.jpg", PNG)]},
                           headers=other)
    assert response.status_code == 404 and IncidentAttachment.objects.count() == 2


def _resolved(user_of, system, now):
    dispatcher, engineer = user_of("dispatcher"), user_of("engineer")
    incident = services.report_incident(dispatcher, system=system, title="t", severity="general",
                                        reported_at=now - dt.timedelta(hours=2), now=now - dt.timedelta(hours=2))
    services.take_action(dispatcher, incident, "dispatch", assignee=engineer, now=now - dt.timedelta(hours=1))
    services.take_action(engineer, incident, "acknowledge", now=now - dt.timedelta(minutes=30))
    services.take_action(engineer, incident, "resolve", cause="c", action_taken="a", now=now)
    return incident


def test_confirmation_stores_satisfaction_as_a_monthly_fact(user_of, row1, client_as):
    now = timezone.now()
    first, second = _resolved(user_of, row1, now), _resolved(user_of, row1, now)
    with pytest.raises(ValidationError) as refused:
        services.take_action(user_of("unit_admin"), first, "confirm", satisfaction=7)
    assert "satisfaction" in refused.value.message_dict
    services.take_action(user_of("unit_admin"), first, "confirm", satisfaction=5, satisfaction_comment="及时")
    response = client_as("unit_admin").post(reverse("incidents:action", args=[second.pk]),
                                            {"action": "confirm", "confirm-satisfaction": "2"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.satisfaction == 2
    month = timezone.localdate().replace(day=1)
    assert facts.values("incidents.satisfaction_mean", [row1.pk], month) == {row1.pk: 3.5}
    assert facts.values("incidents.satisfaction_ratings", [row1.pk], month) == {row1.pk: 2}
    other = System.objects.get(row_no=2)
    assert facts.values("incidents.satisfaction_mean", [other.pk], month) == {other.pk: None}
