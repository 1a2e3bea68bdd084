"""Recording an inspection (phone page, API), failed item → incident, completion, iCal feeds, access."""

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from tongyun.catalog.models import Device, System
from tongyun.incidents.models import Incident
from tongyun.inspections import selectors, services
from tongyun.inspections.choices import TaskState
from tongyun.inspections.models import InspectionPlan, InspectionResult, InspectionTask


@pytest.fixture
def task(db, user_of):
    """A monthly task of the engineer's first assigned system (区经信局), with a device."""
    services.seed_checklists()
    engineer = user_of("engineer")
    system = System.objects.filter(assignments__user=engineer).order_by("row_no").first()
    plan = InspectionPlan.objects.create(system=system, name="每月巡检", frequency="monthly",
                                         rrule="FREQ=MONTHLY;BYMONTHDAY=1", assignee=engineer)
    services.generate_tasks(plan, today=dt.date(2026, 1, 1))
    Device.objects.create(system=system, kind="服务器", model="R740", location="政务云")
    return plan.tasks.order_by("scheduled_for").first()


def items_of(task, kind=None):
    items = services.checklist_items(task)
    return [i for i in items if kind is None or i.kind == kind]


def test_record_fail_with_incident_and_complete(task, user_of):
    engineer = user_of("engineer")
    device = Device.objects.get(system=task.system, model="R740")
    first, *others = [i for i in items_of(task) if i.required]
    result = services.fail_item(engineer, task, first, note="进程异常退出", device=device, severity="serious")
    incident = result.incident
    assert incident is not None and incident.source == "inspection"
    assert (incident.system_id, incident.device_id, incident.severity) == (task.system_id, device.pk, "serious")
    assert first.label in incident.title and "进程异常退出" in incident.description
    assert InspectionResult.objects.get(pk=result.pk).incident_id == incident.pk and result.passed is False
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS and task.started_at
    with pytest.raises(ValidationError) as missing:
        services.complete_task(engineer, task)
    assert "results" in missing.value.message_dict
    for item in others:
        if item.kind == "pass_fail":
            services.record_result(engineer, task, item, passed=True)
        elif item.kind == "number":
            services.record_result(engineer, task, item, number=21)
        else:
            services.record_result(engineer, task, item, text="ok")
    done = services.complete_task(engineer, task, note="巡检完成")
    assert done.state == TaskState.DONE and done.completed_by == engineer
    with pytest.raises(ValidationError):
        services.record_result(engineer, task, others[0], passed=False)
    assert Incident.objects.filter(inspection_results__task=task).count() == 1


def test_number_out_of_range_fails_and_only_the_assignee_records(task, user_of):
    engineer = user_of("engineer")
    offline = next(i for i in items_of(task) if i.label == "离线摄像机数量") if any(
        i.label == "离线摄像机数量" for i in items_of(task)) else None
    number_item = offline or next(i for i in items_of(task, "number"))
    if number_item.max_value is None:
        number_item.max_value = 10
        number_item.save()
    result = services.record_result(engineer, task, number_item, number=number_item.max_value + 1)
    assert result.passed is False
    item = items_of(task, "pass_fail")[0]
    with pytest.raises(ValidationError):
        services.record_result(engineer, task, item)  # pass/fail not chosen
    for username in ("pm", "onsite", "unit_admin"):
        with pytest.raises(PermissionDenied):
            services.record_result(user_of(username), task, item, passed=True)


def test_phone_page_htmx_item_photo_and_fail(task, client_as, user_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_as("engineer")
    page = client.get(f"/inspections/tasks/{task.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'accept="image/*"' in html and "capture=" in html
    item = items_of(task, "pass_fail")[0]
    response = client.post(f"/inspections/tasks/{task.pk}/items/{item.pk}/", {"passed": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="item-{item.pk}"' in response.content.decode()
    photo = next(i for i in items_of(task) if i.kind == "photo")
    image = SimpleUploadedFile("site.jpg", b"\xff\xd8\xff\xe0fakejpeg", content_type="image/jpeg")
    response = client.post(f"/inspections/tasks/{task.pk}/items/{photo.pk}/", {"photo": image},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    saved = InspectionResult.objects.get(task=task, item=photo)
    assert saved.photo.name.startswith("inspections/") and (tmp_path / saved.photo.name).exists()
    other = items_of(task, "pass_fail")[1]
    response = client.post(f"/inspections/tasks/{task.pk}/items/{other.pk}/incident/",
                           {"note": "硬盘告警", "severity": "general"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-testid="item-incident"' in response.content.decode()
    assert InspectionResult.objects.get(task=task, item=other).incident.source == "inspection"
    # a unit user sees the task but has no form
    unit_page = client_as("unit_admin").get(f"/inspections/tasks/{task.pk}/").content.decode()
    assert "hx-post" not in unit_page


def test_api_submit_complete_list_and_stats(task, client, api_as, user_of):
    headers = api_as("engineer")
    items = items_of(task)
    body = {"results": [{"item_id": i.pk, "passed": True} if i.kind == "pass_fail" else
                        {"item_id": i.pk, "number": "3"} if i.kind == "number" else
                        {"item_id": i.pk, "text": "正常"} for i in items if i.required and i.kind != "photo"],
            "complete": True, "note": "API"}
    response = client.post(f"/api/v1/inspections/tasks/{task.pk}/results", body, content_type="application/json",
                           headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "done"
    month = f"{task.scheduled_for:%Y-%m}"
    listed = client.get(f"/api/v1/inspections/tasks?system_id={task.system_id}&month={month}", headers=headers).json()
    assert [t["id"] for t in listed["results"]] == [task.pk]
    overdue = client.get(f"/api/v1/inspections/tasks?system_id={task.system_id}&overdue=true", headers=headers).json()
    assert task.pk not in [t["id"] for t in overdue["results"]]
    assert client.get("/api/v1/inspections/tasks?month=2026-13", headers=headers).status_code == 400
    stats = client.get(f"/api/v1/inspections/stats?group_by=system&system_id={task.system_id}", headers=headers).json()
    row = next(r for r in stats if r["month"] == month)
    assert row["done"] == 1 and row["total"] == 1 and row["rate"] == 1.0
    units = client.get("/api/v1/inspections/stats?group_by=unit", headers=api_as("bureau_admin")).json()
    assert any(r["unit_id"] == task.system.unit_id for r in units)
    plan = client.get(f"/api/v1/inspections/plans/{task.plan_id}", headers=headers).json()
    assert plan["checklist_items"] and plan["status"] == "draft"
    approve = client.post(f"/api/v1/inspections/plans/{task.plan_id}/approve", headers=api_as("unit_admin"))
    assert approve.status_code == 200 and approve.json()["status"] == "approved"
    assert client.post(f"/api/v1/inspections/plans/{task.plan_id}/approve",
                       headers=api_as("pm")).status_code in (403, 422)


def test_overdue_is_derived(task, user_of):
    engineer = user_of("engineer")
    today = task.due_date + dt.timedelta(days=1)
    assert selectors.task_state(task, today) == "missed"
    assert selectors.task_state(task, task.due_date) == "pending"
    rows = selectors.completion_stats(engineer, {"system": task.system_id}, today=today)
    first = next(r for r in rows if r["month"] == f"{task.scheduled_for:%Y-%m}")
    assert first["overdue"] == 1 and first["rate"] == 0.0


def _feed_tasks(task):
    """Tasks of the plan from today on, so the feed has content whatever today is."""
    today = timezone.localdate()
    for k in (1, 8):
        InspectionTask.objects.get_or_create(plan=task.plan, scheduled_for=today + dt.timedelta(days=k),
                                             defaults={"system": task.system, "due_date": today + dt.timedelta(days=k),
                                                       "assignee": task.plan.assignee})


def test_ical_feeds_parse_and_revoke(task, client, client_as, user_of):
    _feed_tasks(task)
    engineer = user_of("engineer")
    feed = services.create_feed(engineer)
    response = client.get(f"/inspections/feeds/{feed.token}.ics")  # no login
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    expected = list(selectors.feed_tasks(feed))
    assert len(events) == len(expected) >= 2
    by_uid = {str(e["UID"]): e for e in events}
    sample = expected[-1]
    event = by_uid[f"inspection-task-{sample.pk}@tongyun"]
    assert event.decoded("DTSTART") == sample.scheduled_for
    assert sample.system.name in str(event["SUMMARY"])
    # a system feed shows that system only; another unit cannot make one
    system_feed = services.create_feed(user_of("unit_admin"), task.system)
    events = Calendar.from_ical(client.get(f"/inspections/feeds/{system_feed.token}.ics").content).walk("VEVENT")
    assert events and all(task.system.name in str(e["SUMMARY"]) for e in events)
    with pytest.raises(PermissionDenied):
        services.create_feed(user_of("unit_admin_education"), task.system)
    # revoked: gone; someone else cannot revoke it
    page = client_as("engineer").get("/inspections/feeds/")
    assert feed.token[:6] in page.content.decode() and feed.token not in page.content.decode()
    assert client_as("onsite").post(f"/inspections/feeds/{feed.pk}/revoke/").status_code == 404
    client_as("engineer").post(f"/inspections/feeds/{feed.pk}/revoke/")
    assert client.get(f"/inspections/feeds/{feed.token}.ics").status_code == 404
    assert client.get("/inspections/feeds/not-a-token.ics").status_code == 404


def test_feed_tokens_are_stored_hashed_and_shown_once(task, client, client_as, user_of):
    from tongyun.inspections.models import FeedToken

    _feed_tasks(task)
    page = client_as("engineer").post("/inspections/feeds/", {"system": ""})
    assert page.status_code == 200
    url = re.search(r'data-testid="feed-url">([^<]+)<', page.content.decode()).group(1)
    token = url.rsplit("/", 1)[-1].removesuffix(".ics")
    feed = FeedToken.objects.get(owner=user_of("engineer"))
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in FeedToken.objects.values_list().get(pk=feed.pk))
    assert token not in stored  # the database holds no clear token
    assert client.get(f"/inspections/feeds/{token}.ics").status_code == 200
    assert token not in client_as("engineer").get("/inspections/feeds/").content.decode()  # shown once only


def test_feed_follows_the_owners_current_scope(task, client, user_of):
    _feed_tasks(task)
    engineer = user_of("engineer")
    feed = services.create_feed(engineer, task.system)
    assert Calendar.from_ical(client.get(f"/inspections/feeds/{feed.token}.ics").content).walk("VEVENT")
    engineer.assignments.all().delete()
    assert client.get(f"/inspections/feeds/{feed.token}.ics").status_code == 404
    engineer.is_active = False
    engineer.save()
    assert client.get(f"/inspections/feeds/{services.create_feed(user_of('pm')).token}.ics").status_code == 200


def test_other_units_tasks_are_404(task, client_as, api_as, client):
    for username in ("unit_admin_education", "electrician"):
        assert client_as(username).get(f"/inspections/tasks/{task.pk}/").status_code == 404
        assert client_as(username).get(f"/inspections/plans/{task.plan_id}/").status_code == 404
        headers = api_as(username)
        assert client.get(f"/api/v1/inspections/tasks/{task.pk}", headers=headers).status_code == 404
        assert client.post(f"/api/v1/inspections/tasks/{task.pk}/results", {"results": []},
                           content_type="application/json", headers=headers).status_code == 404
        listed = client.get("/api/v1/inspections/tasks?page_size=500", headers=headers).json()["results"]
        assert task.system_id not in {t["system_id"] for t in listed}
    assert client_as("unit_admin").get(f"/inspections/tasks/{task.pk}/").status_code == 200


def test_pages_render(task, client_as):
    month = f"{task.scheduled_for:%Y-%m}"
    for username in ("bureau_admin", "engineer", "unit_admin", "pm"):
        client = client_as(username)
        for url in ("/inspections/", f"/inspections/?month={month}", "/inspections/tasks/", "/inspections/overdue/",
                    "/inspections/plans/", f"/inspections/plans/{task.plan_id}/", "/inspections/stats/",
                    "/inspections/stats/?group_by=system", "/inspections/feeds/"):
            assert client.get(url).status_code == 200, (username, url)
    calendar = client_as("engineer").get(f"/inspections/?month={month}").content.decode()
    # the cell counts the day's tasks and drills down to the day's list
    assert f"date_from={task.scheduled_for:%Y-%m-%d}&amp;date_to={task.scheduled_for:%Y-%m-%d}" in calendar
    pm = client_as("pm")
    response = pm.post(f"/inspections/plans/{task.plan_id}/edit/",
                       {"name": "每周巡检", "frequency": "weekly", "mode": "remote", "rrule": task.plan.rrule})
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(pk=task.plan_id)
    assert plan.frequency == "weekly" and plan.rrule == "FREQ=WEEKLY;BYDAY=MO"
    bad = pm.post(f"/inspections/plans/{task.plan_id}/edit/",
                  {"name": "x", "frequency": "weekly", "mode": "remote", "rrule": "FREQ=HOURLY"})
    assert bad.status_code == 422
