"""What issue #15 asked of the incident pages: the badge clears, the notification API, the unit told who
closed its ticket, names in the timeline, the list's Excel export, 到达现场 not offered twice, the next
action first."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tongyun.catalog.models import System
from tongyun.incidents import services
from tongyun.incidents.models import Incident, Notification


@pytest.fixture
def row1():
    return System.objects.get(row_no=1)  # 区经信局, assigned to `engineer`


def _dispatched(user_of, system, title="HF-TICKET"):
    incident = services.report_incident(user_of("dispatcher"), system=system, title=title, severity="urgent")
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=user_of("engineer"))
    return incident


def _closed(user_of, system):
    incident = _dispatched(user_of, system)
    engineer = user_of("engineer")
    for action in ("acknowledge", "arrive", "start"):
        services.take_action(engineer, incident, action)
    services.take_action(engineer, incident, "resolve", cause="网线松动", action_taken="重新压接")
    services.take_action(user_of("unit_admin"), incident, "confirm")
    services.take_action(user_of("dispatcher"), incident, "close")
    return incident


def test_opening_the_ticket_clears_its_notifications_from_the_badge(client_as, user_of, row1):
    incident = _dispatched(user_of, row1)
    client = client_as("engineer")
    assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
    client.get(reverse("incidents:detail", args=[incident.pk]))
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert Notification.objects.get(incident=incident, recipient=user_of("engineer"), channel="in_app").read_at


def test_notification_api_lists_and_marks_read(client, api_as, user_of, row1):
    first, second = _dispatched(user_of, row1, "HF-ONE"), _dispatched(user_of, row1, "HF-TWO")
    headers = api_as("engineer")
    listed = client.get("/api/v1/notifications?unread=true", headers=headers).json()["results"]
    assert {n["incident_id"] for n in listed} == {first.pk, second.pk}
    assert all(n["kind"] == "assigned" and n["kind_label"] == "新派单" and n["read_at"] is None for n in listed)
    mine = [n["id"] for n in listed if n["incident_id"] == first.pk]
    answer = client.post("/api/v1/notifications/read", {"ids": mine}, content_type="application/json",
                         headers=headers).json()
    assert answer == {"marked": 1, "unread": 1}
    # someone else's notification is not theirs to mark
    other = Notification.objects.filter(recipient=user_of("dispatcher")).first()
    if other is not None:
        assert client.post("/api/v1/notifications/read", {"ids": [other.pk]}, content_type="application/json",
                           headers=headers).json()["marked"] == 0
    assert client.post("/api/v1/notifications/read", {"all": True}, content_type="application/json",
                       headers=headers).json() == {"marked": 1, "unread": 0}
    # bad bodies: unknown field, unbounded id — 422, nothing changed
    for body in ({"ids": [1], "extra": 1}, {"ids": [0]}, {"ids": [2 ** 70]}):
        assert client.post("/api/v1/notifications/read", body, content_type="application/json",
                           headers=headers).status_code == 422
    assert client.get("/api/v1/notifications?unread=false", headers=headers).json()["results"]


def test_the_unit_is_told_who_closed_its_confirmed_ticket(client, client_as, api_as, user_of, row1):
    incident = _closed(user_of, row1)
    closer = user_of("dispatcher")
    for username in ("unit_admin", "unit_staff"):
        told = Notification.objects.get(incident=incident, kind="closed", recipient=user_of(username),
                                        channel="in_app")
        assert told.read_at is None
        subject, body = services.message(told)
        assert "工单已关闭" in subject and f"关闭人：{closer.full_name}" in body
    page = client_as("unit_admin").get(reverse("incidents:notifications")).content.decode()
    assert f'data-testid="closed-by">关闭人：{closer.full_name}<' in page
    api = client.get("/api/v1/notifications", headers=api_as("unit_staff")).json()["results"]
    assert [n["closed_by"] for n in api if n["kind"] == "closed"] == [closer.full_name]
    assert not Notification.objects.filter(incident=incident, kind="closed",
                                           recipient__organisation__name="区教委").exists()


def test_timeline_shows_names_not_logins(client_as, user_of, row1):
    incident = _dispatched(user_of, row1)
    page = client_as("dispatcher").get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    engineer, dispatcher = user_of("engineer"), user_of("dispatcher")
    assert f"处理人：{engineer.full_name}" in timeline and dispatcher.full_name in timeline
    assert "处理人：engineer" not in timeline
    # the dispatch list: the person's name and role once, and their open tickets
    detail = client_as("dispatcher").get(
        reverse("incidents:detail", args=[services.report_incident(
            user_of("dispatcher"), system=row1, title="HF-NEW", severity="minor").pk])).content.decode()
    assert f"{engineer.full_name} · 运维工程师（负责本系统） · 未结工单 1" in detail
    assert "运维工程师 · 运维工程师" not in detail


def test_api_timeline_carries_names(client, api_as, user_of, row1):
    incident = _dispatched(user_of, row1)
    events = client.get(f"/api/v1/incidents/{incident.pk}", headers=api_as("dispatcher")).json()["events"]
    assert {e["actor"] for e in events} == {"dispatcher"}
    assert {e["actor_name"] for e in events} == {user_of("dispatcher").full_name}


def test_arrive_is_offered_once_and_the_next_action_comes_first(client_as, user_of, row1):
    incident = _dispatched(user_of, row1)
    engineer = user_of("engineer")
    client = client_as("engineer")
    url = reverse("incidents:detail", args=[incident.pk])
    page = client.get(url).content.decode()
    # the running deadlines at the top, above the ticket's facts; the only action (响应) is the primary card
    assert page.index('data-testid="deadline-strip"') < page.index("工单信息")
    assert page.count("primary-action") == 1 and 'data-testid="more-actions"' not in page
    services.take_action(engineer, incident, "acknowledge")
    page = client.get(url).content.decode()
    # one primary card: the next action (到达现场), the rest folded under 其他操作
    assert page.count("primary-action") == 1
    assert page.index('data-testid="action-arrive"') < page.index('data-testid="more-actions"')
    assert page.index('data-testid="more-actions"') < page.index('data-testid="action-resolve"')
    services.take_action(engineer, incident, "arrive")
    services.take_action(engineer, incident, "start")
    page = client.get(url).content.decode()
    assert 'data-testid="action-arrive"' not in page and 'data-testid="action-resolve"' in page
    assert page.index('data-testid="action-resolve"') < page.index('data-testid="more-actions"')
    # and the service refuses a second arrival (the API too), leaving the ticket as it was
    with pytest.raises(Exception, match="已记录到场时间"):
        services.take_action(engineer, incident, "arrive")
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_incident_list_export_applies_the_filters_and_the_scope(client_as, user_of, row1):
    _dispatched(user_of, row1, "HF-EXPORT-URGENT")
    services.report_incident(user_of("dispatcher"), system=row1, title="HF-EXPORT-MINOR", severity="minor")
    police = System.objects.filter(unit__name="公安局顺义分局").first()
    services.report_incident(user_of("dispatcher"), system=police, title="HF-EXPORT-POLICE", severity="minor")

    def titles(client, query=""):
        response = client.get(reverse("incidents:export") + query)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["故障工单"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("工单号", "系统", "用户单位", "故障摘要")
        return {row[3] for row in rows[1:]}, rows

    pm = client_as("pm")
    everything, rows = titles(pm)
    assert {"HF-EXPORT-URGENT", "HF-EXPORT-MINOR", "HF-EXPORT-POLICE"} <= everything
    assert titles(pm, "?severity=minor")[0] >= {"HF-EXPORT-MINOR", "HF-EXPORT-POLICE"}
    assert "HF-EXPORT-URGENT" not in titles(pm, "?severity=minor")[0]
    urgent = next(row for row in rows if row[3] == "HF-EXPORT-URGENT")
    assert urgent[4] == "紧急" and urgent[9] == user_of("engineer").full_name
    assert urgent[7] is not None and urgent[7].tzinfo is None  # wall-clock time, Asia/Shanghai
    unit = titles(client_as("unit_admin"))[0]
    assert "HF-EXPORT-URGENT" in unit and "HF-EXPORT-POLICE" not in unit
    assert client_as("pm").get(reverse("incidents:export") + "?clock=nonsense").status_code == 400
    assert Incident.objects.filter(title__startswith="HF-EXPORT").count() == 3
