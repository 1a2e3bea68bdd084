"""The incident pages through the Django test client, against the real catalog: report by the form,
the lifecycle through the detail page and the queue, refusals, board, list filters, notifications.

Row 1 (智慧顺义基础地理信息平台, 区经信局, assigned to `engineer`): 紧急 30 分钟响应 / 8 小时修复,
一般 4 小时 / 48 小时 — hour targets count in calendar time, so the tests work on any date."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.incidents import services
from tongyun.incidents.models import Incident, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def row1():
    return System.objects.get(row_no=1)


def report(user, system, severity="general", ago=dt.timedelta(0), **kwargs):
    """A ticket reported `ago` before now (a dispatcher logging a phone report)."""
    now = timezone.now()
    return services.report_incident(user, system=system, title=kwargs.pop("title", "平台无法访问"),
                                    severity=severity, reported_at=now - ago, now=now, **kwargs)


def text(response) -> str:
    return response.content.decode()


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- report form


def test_dispatcher_logs_a_phone_report_through_the_form(client_as, row1):
    client = client_as("dispatcher")
    page = text(client.get(reverse("incidents:report")))
    assert 'name="reported_at"' in page and 'name="reporter_phone"' in page
    assert row1.name in page
    received = timezone.now() - dt.timedelta(minutes=20)
    response = client.post(reverse("incidents:report"), {
        "system": row1.pk, "severity": "urgent", "title": "地图服务中断", "description": "用户来电",
        "source": "phone", "reporter_name": "王科长", "reporter_phone": "010-69440000",
        "reported_at": local_input(received),
    })
    incident = Incident.objects.get(title="地图服务中断")
    assert response.status_code == 302 and response["Location"] == reverse("incidents:detail", args=[incident.pk])
    assert incident.source == "phone" and incident.reporter_name == "王科长"
    assert incident.reported_at == received.replace(second=0, microsecond=0)
    # 30 分钟响应 from the moment the call was received, not from when it was typed in
    assert incident.response_due == incident.reported_at + dt.timedelta(minutes=30)
    detail = text(client.get(response["Location"]))
    assert incident.number in detail and "王科长" in detail and 'data-testid="countdown"' in detail
    assert "已报障" in detail  # the success message


def test_report_form_errors_are_shown_per_field(client_as, row1):
    client = client_as("dispatcher")
    response = client.post(reverse("incidents:report"), {
        "system": row1.pk, "severity": "general", "title": "", "source": "phone",
        "reported_at": local_input(timezone.now() + dt.timedelta(days=1)),
    })
    assert response.status_code == 422
    page = text(response)
    assert 'data-testid="error-title"' in page
    assert not Incident.objects.exists()
    # the service's own check (no future reports) lands on its field
    response = client.post(reverse("incidents:report"), {
        "system": row1.pk, "severity": "general", "title": "来电", "source": "phone",
        "reported_at": local_input(timezone.now() + dt.timedelta(days=1)),
    })
    assert response.status_code == 422
    assert re.search(r'data-testid="error-reported_at">[^<]*报障时间不能晚于当前时间', text(response))
    assert not Incident.objects.exists()


def test_unit_user_reports_on_own_systems_only_and_without_phone_log_fields(client_as, row1, system_of):
    client = client_as("unit_admin_education")
    page = text(client.get(reverse("incidents:report")))
    # no backdating; the contact fields are there (pre-filled: tested in test_reporting)
    assert 'name="reported_at"' not in page and 'name="reporter_phone"' in page
    assert row1.name not in page
    assert system_of("区教委").name in page
    response = client.post(reverse("incidents:report"), {"system": row1.pk, "severity": "general", "title": "x"})
    assert response.status_code == 422 and 'data-testid="error-system"' in text(response)
    assert not Incident.objects.exists()


def test_device_search_follows_the_system(client_as, row1, system_of):
    device = Device.objects.create(system=row1, kind="服务器", model="PAGE-TEST-MODEL", code="PAGE-SRV-1")
    client = client_as("engineer")
    options = text(client.get(reverse("incidents:device_search"), {"system": row1.pk, "device_q": "PAGE-SRV"}))
    assert f'value="{device.pk}"' in options and "PAGE-TEST-MODEL" in options
    # a system the engineer is not assigned to
    assert client.get(reverse("incidents:device_search"),
                      {"system": system_of("区教委").pk, "device_q": "x"}).status_code == 404
    response = client.post(reverse("incidents:report"), {"system": row1.pk, "severity": "general",
                                                         "title": "服务器宕机", "device": device.pk})
    assert response.status_code == 302
    assert Incident.objects.get(title="服务器宕机").device == device


def test_supervisor_may_not_report(client_as):
    assert client_as("supervisor").get(reverse("incidents:report")).status_code == 403


# ---------------------------------------------------------------- lifecycle through the pages


def act(client, incident, action, next_url=None, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("incidents:action", args=[incident.pk]), data)


def test_dispatch_acknowledge_resolve_confirm_through_the_pages(client_as, user_of, row1):
    dispatcher, engineer, unit = client_as("dispatcher"), client_as("engineer"), client_as("unit_admin")
    incident = report(user_of("dispatcher"), row1, "urgent")
    url = reverse("incidents:detail", args=[incident.pk])

    page = text(dispatcher.get(url))
    assert 'data-testid="action-dispatch"' in page and 'data-testid="reclassify-form"' in page
    assert "（负责本系统）" in page  # engineer is assigned to row 1 and listed first
    response = act(dispatcher, incident, "dispatch", assignee=user_of("engineer").pk)
    assert response.status_code == 302 and response["Location"] == url
    incident.refresh_from_db()
    assert incident.state == "dispatched" and incident.assignee.username == "engineer"

    # the engineer's queue shows it with the one-tap next action
    queue = text(engineer.get(reverse("incidents:mine")))
    assert incident.number in queue and 'data-testid="queue-acknowledge"' in queue
    response = act(engineer, incident, "acknowledge", next_url=reverse("incidents:mine"))
    assert response.status_code == 302 and response["Location"] == reverse("incidents:mine")
    incident.refresh_from_db()
    assert incident.state == "acknowledged" and incident.acknowledged_at is not None

    # resolving needs cause and action taken: errors on those fields, nothing changes
    response = act(engineer, incident, "resolve", cause="", action_taken="")
    assert response.status_code == 422
    assert 'data-testid="error-cause"' in text(response) and 'data-testid="error-action_taken"' in text(response)
    incident.refresh_from_db()
    assert incident.state == "acknowledged"
    response = act(engineer, incident, "resolve", cause="数据库连接池耗尽", action_taken="重启服务并扩容",
                   parts_used="")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.cause == "数据库连接池耗尽"
    assert incident.number not in text(engineer.get(reverse("incidents:mine")))  # no longer open

    # the unit confirms
    page = text(unit.get(url))
    assert 'data-testid="action-confirm"' in page and 'data-testid="reclassify-form"' not in page
    assert act(unit, incident, "confirm").status_code == 302
    incident.refresh_from_db()
    assert incident.state == "confirmed"

    timeline = text(unit.get(url)).split('data-testid="timeline"')[1]
    for label in ("报障", "派单", "响应", "修复完成", "确认修复"):
        assert f"<strong>{label}</strong>" in timeline, label
    # the dispatched person by name, not by login
    from tongyun.parties import selectors as party_selectors

    name = party_selectors.display_names(["engineer"])["engineer"]
    assert name != "engineer"
    assert "已派单 → 已响应" in timeline and f"处理人：{name}" in timeline and "处理人：engineer" not in timeline


def test_refused_actions_show_a_message_never_a_500(client_as, user_of, row1):
    incident = report(user_of("dispatcher"), row1, "general")
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=user_of("engineer"))
    services.take_action(user_of("engineer"), incident, "acknowledge")
    dispatcher = client_as("dispatcher")

    # a stale form: cancelling is no longer possible once acknowledged
    response = act(dispatcher, incident, "cancel", note="重复报障")
    assert response.status_code == 422
    assert re.search(r'data-testid="action-error">[^<]*当前状态“已响应”下不能执行', text(response))
    # the role may not: the unit cannot dispatch
    response = act(client_as("unit_admin"), incident, "dispatch", assignee=user_of("engineer").pk)
    assert response.status_code == 403 and 'data-testid="action-error"' in text(response)
    # an unknown action
    response = dispatcher.post(reverse("incidents:action", args=[incident.pk]), {"action": "explode"})
    assert response.status_code == 400 and "未知操作" in text(response)
    # dispatching to someone who is not field staff
    response = act(dispatcher, incident, "dispatch", assignee=user_of("unit_admin").pk)
    assert response.status_code == 422 and 'data-testid="error-assignee"' in text(response)
    incident.refresh_from_db()
    assert incident.state == "acknowledged" and incident.assignee.username == "engineer"


def test_reopen_needs_a_reason(client_as, user_of, row1):
    incident = report(user_of("dispatcher"), row1, "general")
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=user_of("engineer"))
    services.take_action(user_of("engineer"), incident, "acknowledge")
    services.take_action(user_of("engineer"), incident, "resolve", cause="a", action_taken="b")
    unit = client_as("unit_admin")
    response = act(unit, incident, "reopen", note="")
    assert response.status_code == 422 and 'data-testid="error-note"' in text(response)
    assert act(unit, incident, "reopen", note="故障仍在").status_code == 302
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_reclassify_and_comment(client_as, user_of, row1):
    incident = report(user_of("dispatcher"), row1, "general")
    dispatcher = client_as("dispatcher")
    url = reverse("incidents:reclassify", args=[incident.pk])
    response = dispatcher.post(url, {"severity": "urgent", "tier_key": "", "note": ""})
    assert response.status_code == 422 and 'data-testid="error-note"' in text(response)
    response = dispatcher.post(url, {"severity": "urgent", "tier_key": "", "note": "影响全区业务"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.severity == "urgent"
    assert incident.response_due == incident.reported_at + dt.timedelta(minutes=30)
    page = text(dispatcher.get(reverse("incidents:detail", args=[incident.pk])))
    assert "故障等级：一般 → 紧急" in page and "响应时限：" in page

    # the unit neither sees the form nor may post it
    unit = client_as("unit_admin")
    assert 'data-testid="reclassify-form"' not in text(unit.get(reverse("incidents:detail", args=[incident.pk])))
    assert unit.post(url, {"severity": "minor", "tier_key": "", "note": "x"}).status_code == 403
    incident.refresh_from_db()
    assert incident.severity == "urgent"

    response = unit.post(reverse("incidents:comment", args=[incident.pk]), {"note": "请尽快处理"})
    assert response.status_code == 302
    assert "请尽快处理" in text(unit.get(reverse("incidents:detail", args=[incident.pk])))
    assert unit.post(reverse("incidents:comment", args=[incident.pk]), {"note": ""}).status_code == 422


def test_detail_shows_clocks_policy_and_calendar_warning(client_as, user_of, row1):
    incident = report(user_of("dispatcher"), row1, "urgent")
    page = text(client_as("supervisor").get(reverse("incidents:detail", args=[incident.pk])))
    assert 'data-testid="clock-table"' in page and "30 分钟" in page and "8 小时" in page
    assert "chinesecalendar" in page  # the calendar label of the policy snapshot
    # a ticket whose working-day deadline falls into a year nobody declared
    Incident.objects.filter(pk=incident.pk).update(calendar_unknown_year=2099, repair_due=None)
    page = text(client_as("supervisor").get(reverse("incidents:detail", args=[incident.pk])))
    assert 'data-testid="calendar-unknown"' in page and "2099 年的工作日历尚未录入" in page


# ---------------------------------------------------------------- lists, board, queue


@pytest.fixture
def clocks_in_all_states(user_of, row1):
    """Three open tickets of row 1: response breached, response at risk, fresh — all unassigned."""
    dispatcher = user_of("dispatcher")
    return {
        "breached": report(dispatcher, row1, "urgent", dt.timedelta(hours=2), title="已超时工单"),
        "at_risk": report(dispatcher, row1, "urgent", dt.timedelta(minutes=26), title="即将超时工单"),
        "fresh": report(dispatcher, row1, "minor", title="新工单"),
    }


def numbers_in(page: str, tickets: dict) -> set[str]:
    return {name for name, incident in tickets.items() if incident.number in page}


def test_list_filters(client_as, clocks_in_all_states):
    tickets = clocks_in_all_states
    client = client_as("pm")
    assert numbers_in(text(client.get("/incidents/")), tickets) == {"breached", "at_risk", "fresh"}
    assert numbers_in(text(client.get("/incidents/?clock=breached")), tickets) == {"breached"}
    assert numbers_in(text(client.get("/incidents/?clock=at_risk")), tickets) == {"at_risk"}
    assert numbers_in(text(client.get("/incidents/?clock=unassigned")), tickets) == {"breached", "at_risk", "fresh"}
    assert numbers_in(text(client.get("/incidents/?severity=minor")), tickets) == {"fresh"}
    assert numbers_in(text(client.get(f"/incidents/?q={tickets['at_risk'].number}")), tickets) == {"at_risk"}
    assert numbers_in(text(client.get("/incidents/?state=resolved")), tickets) == set()
    # HTMX gets only the table; a bad parameter is a message, not an error page
    partial = client.get("/incidents/?clock=breached", headers={"HX-Request": "true"})
    assert "<html" not in text(partial) and numbers_in(text(partial), tickets) == {"breached"}
    assert client.get("/incidents/?clock=nonsense").status_code == 200
    # the countdown classes the server renders before countdown.js takes over
    page = text(client.get("/incidents/"))
    assert 'class="countdown breached"' in page and 'class="countdown at-risk"' in page
    assert "已超时 1 小时 30 分" in page


def test_lists_are_scoped(client_as, clocks_in_all_states, system_of):
    assert numbers_in(text(client_as("unit_admin_education").get("/incidents/")), clocks_in_all_states) == set()
    assert numbers_in(text(client_as("unit_admin").get("/incidents/")), clocks_in_all_states) == {
        "breached", "at_risk", "fresh"}
    assert numbers_in(text(client_as("electrician").get("/incidents/board/")), clocks_in_all_states) == set()


def test_dispatcher_board(client_as, clocks_in_all_states):
    tickets = clocks_in_all_states
    client = client_as("dispatcher")
    page = text(client.get("/incidents/board/"))
    assert 'hx-trigger="every 30s"' in page
    columns = {name: page.split(f'data-testid="board-{name}"')[1].split("</section>")[0]
               for name in ("unassigned", "at-risk", "breached")}
    assert numbers_in(columns["unassigned"], tickets) == {"breached", "at_risk", "fresh"}
    assert numbers_in(columns["at-risk"], tickets) == {"at_risk"}
    assert numbers_in(columns["breached"], tickets) == {"breached"}
    assert re.search(r'data-testid="open-count">3<', page)
    partial = text(client.get("/incidents/board/", headers={"HX-Request": "true"}))
    assert "<html" not in partial and 'data-testid="board-breached"' in partial


def test_board_queries_do_not_grow_with_its_cards(client_as, user_of, row1, clocks_in_all_states):
    """The cards load only their columns (selectors.CARD_FIELDS): a field a card needs but left out would be
    one more query per card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("dispatcher")
    client.get("/incidents/board/")
    with CaptureQueriesContext(connection) as few:
        client.get("/incidents/board/")
    dispatcher = user_of("dispatcher")
    for minutes in (26, 27, 150):
        ticket = report(dispatcher, row1, "urgent", dt.timedelta(minutes=minutes), title="又一张工单")
        services.take_action(dispatcher, ticket, "dispatch", assignee=user_of("engineer"))
    with CaptureQueriesContext(connection) as more:
        page = text(client.get("/incidents/board/"))
    assert page.count('data-testid="incident-card"') >= 8  # 5 before
    assert len(more.captured_queries) == len(few.captured_queries)
    assert "处理人：" in page and str(user_of("engineer")) in page and "处理人：未派单" in page


def test_board_speaks_the_language_of_each_request(client_as, clocks_in_all_states):
    """The clock texts are translated once per language (incident_tags.clock_texts), not once for all."""
    client = client_as("dispatcher")
    assert "已超时 1 小时" in text(client.get("/incidents/board/"))
    client.cookies["django_language"] = "en"
    page = text(client.get("/incidents/board/"))
    assert "已超时 1" not in page and "剩余 " not in page  # (the ticket's title is 已超时工单)
    assert "overdue by 1" in page and " left" in page


def test_my_queue_holds_the_assigned_open_tickets_most_urgent_first(client_as, user_of, clocks_in_all_states):
    tickets = clocks_in_all_states
    for name in ("fresh", "breached"):
        services.take_action(user_of("dispatcher"), tickets[name], "dispatch", assignee=user_of("engineer"))
    page = text(client_as("engineer").get("/incidents/mine/"))
    assert numbers_in(page, tickets) == {"fresh", "breached"}
    assert page.index(tickets["breached"].number) < page.index(tickets["fresh"].number)
    assert 'data-testid="queue-acknowledge"' in page
    assert numbers_in(text(client_as("electrician").get("/incidents/mine/")), tickets) == set()


def test_navigation_and_home_work(client_as, clocks_in_all_states):
    def nav(username):
        page = text(client_as(username).get("/"))
        return page.split('class="nav-items"')[1].split("</ul>")[0], page

    header, _ = nav("dispatcher")
    assert "故障工单" in header and "调度台" in header and "我的工单" not in header
    header, _ = nav("engineer")
    assert "我的工单" in header and "调度台" not in header
    header, page = nav("unit_admin")
    assert "故障工单" in header and "调度台" not in header and "我的工单" not in header
    # the unit's home lists its open tickets, each a link to the ticket
    open_tickets = list(clocks_in_all_states.values())  # all three are open
    assert open_tickets and all(f'href="/incidents/{t.pk}/"' in page for t in open_tickets)
    _, page = nav("unit_admin_education")
    assert not any(f'href="/incidents/{t.pk}/"' in page for t in open_tickets)


# ---------------------------------------------------------------- notifications


def test_notifications_page_and_mark_read(client_as, user_of, clocks_in_all_states):
    client = client_as("dispatcher")
    mine = Notification.objects.filter(recipient=user_of("dispatcher"), channel="in_app")
    assert mine.count() == 3  # one "new report" each
    page = text(client.get("/incidents/"))
    assert re.search(r'data-testid="unread-count">3<', page)
    page = text(client.get(reverse("incidents:notifications")))
    for incident in clocks_in_all_states.values():
        assert incident.number in page
    first = mine.first()
    response = client.post(reverse("incidents:notifications_mark_read"), {"ids": [first.pk]})
    assert response.status_code == 302
    assert mine.filter(read_at__isnull=True).count() == 2
    assert re.search(r'data-testid="unread-count">2<', text(client.get("/incidents/")))
    # someone else's notification is not theirs to mark
    other = Notification.objects.filter(recipient=user_of("pm"), channel="in_app").first()
    client.post(reverse("incidents:notifications_mark_read"), {"ids": [other.pk]})
    other.refresh_from_db()
    assert other.read_at is None
    client.post(reverse("incidents:notifications_mark_read"), {"all": "1"})
    assert not mine.filter(read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in text(client.get("/incidents/"))
