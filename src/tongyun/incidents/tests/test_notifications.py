"""Notifications go out exactly once: a late worker catches up, two sweeps or two deliverers do not
duplicate, and the webhook channel talks real HTTP."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from tongyun.catalog.models import System
from tongyun.incidents import services
from tongyun.incidents.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def channels(settings):
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def urgent(user_of, channels):
    """An urgent fault of row 1 (30 分钟内响应, 8 小时内修复) reported at 10:00, dispatched to the engineer."""
    for username in ("engineer", "dispatcher", "pm", "unit_admin"):
        user = user_of(username)
        user.email = f"{username}@example.cn"
        user.save()
    system = System.objects.get(row_no=1)
    incident = services.report_incident(user_of("dispatcher"), system=system, title="门户无法访问", severity="urgent",
                                        reported_at=at(2026, 3, 10, 10, 0), now=at(2026, 3, 10, 10, 0))
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=user_of("engineer"),
                         now=at(2026, 3, 10, 10, 2))
    return incident


def kinds(incident, channel="in_app"):
    rows = Notification.objects.filter(incident=incident, channel=channel)
    return sorted(rows.values_list("kind", "recipient__username"))


def test_at_risk_then_breached_each_once(urgent):
    assert services.sweep_clocks(at(2026, 3, 10, 10, 20)) == 0              # 67 % of 30 min: nothing yet
    created = services.sweep_clocks(at(2026, 3, 10, 10, 25))                # 83 %: at risk
    assert created > 0
    assert ("response_at_risk", "engineer") in kinds(urgent)
    assert services.sweep_clocks(at(2026, 3, 10, 10, 26)) == 0              # the same again: nothing new
    services.sweep_clocks(at(2026, 3, 10, 10, 31))                          # breached: the unit is told too
    breached = [r for k, r in kinds(urgent) if k == "response_breached"]
    unit_users = [u.username for u in services.unit_users(urgent)]
    assert "unit_admin" in unit_users and "unit01" in unit_users
    assert sorted(breached) == sorted(["dispatcher", "engineer", "pm", *unit_users])
    assert services.sweep_clocks(at(2026, 3, 10, 11, 0)) == 0


def test_a_worker_down_for_an_hour_catches_up_without_stale_warnings(urgent):
    # nothing ran between 10:02 and 11:05: the response clock went from running to breached unseen
    services.sweep_clocks(at(2026, 3, 10, 11, 5))
    assert {k for k, _r in kinds(urgent)} == {"reported", "assigned", "response_breached"}
    # a second worker (or a restarted one) sweeping the same moment changes nothing
    before = Notification.objects.count()
    services.sweep_clocks(at(2026, 3, 10, 11, 5))
    services.sweep_clocks(at(2026, 3, 10, 11, 6))
    assert Notification.objects.count() == before


def test_delivery_sends_each_message_once_even_if_run_twice(urgent):
    services.sweep_clocks(at(2026, 3, 10, 10, 31))
    pending = Notification.objects.filter(sent_at__isnull=True).count()
    assert pending > 0
    no_address = Notification.objects.filter(channel="email", recipient__email="")
    assert no_address.exists()                     # unit01 and unit_staff have no e-mail address
    first = services.deliver_pending()
    second = services.deliver_pending()
    assert first == pending - no_address.count() and second == 0
    # no address is a permanent error: given up at the first attempt, not retried
    assert all("no e-mail address" in n.last_error and n.attempts == 1 and n.given_up_at for n in no_address)
    emails = Notification.objects.filter(channel="email", sent_at__isnull=False).count()
    assert len(mail.outbox) == emails
    subjects = [m.subject for m in mail.outbox if m.to == ["engineer@example.cn"]]
    assert len(subjects) == len(set(subjects))
    assert any("响应已超时" in s for s in subjects)


def test_a_claim_left_by_a_dead_worker_is_taken_over(urgent):
    notification = Notification.objects.filter(channel="email").first()
    Notification.objects.filter(pk=notification.pk).update(claimed_at=dt.datetime.now(tz=SH) - dt.timedelta(minutes=1))
    services.deliver_pending()
    notification.refresh_from_db()
    assert notification.sent_at is None                                   # another worker may still be sending
    services.deliver_pending(now=dt.datetime.now(tz=SH) + dt.timedelta(minutes=10))
    notification.refresh_from_db()
    assert notification.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_queued_worker_runs_the_delivery(urgent, settings):
    """The real queue: the database backend stores the task, `tongyun db_worker --batch` runs it.
    (Transactional: the worker commits and closes connections, as a separate process would.)"""
    from tongyun.incidents.tasks import deliver_notifications

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_notifications.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0, reload=False)
    assert not Notification.objects.filter(sent_at__isnull=True, channel="in_app").exists()


class _Robot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Robot.received.append(json.loads(body))
        answer = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    _Robot.received = []
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test", _Robot.received
    server.shutdown()


@pytest.mark.parametrize("style", ["wecom", "dingtalk"])
def test_webhook_channel_posts_a_group_robot_message(user_of, settings, robot, style):
    url, received = robot
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "webhook"]
    settings.TONGYUN_WEBHOOK_URL = url
    settings.TONGYUN_WEBHOOK_STYLE = style
    engineer = user_of("engineer")
    engineer.phone = "13800000000"
    engineer.save()
    incident = services.report_incident(user_of("dispatcher"), system=System.objects.get(row_no=2),
                                        title="短信平台故障", severity="general")
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=engineer)
    services.deliver_pending()
    to_engineer = [m for m in received if f"@{engineer.full_name}" in m["text"]["content"]]
    assert to_engineer and all(m["msgtype"] == "text" for m in received)
    assert "新派单" in to_engineer[0]["text"]["content"] and "短信平台故障" in to_engineer[0]["text"]["content"]
    if style == "wecom":
        assert to_engineer[0]["text"]["mentioned_mobile_list"] == ["13800000000"]
    else:
        assert to_engineer[0]["at"]["atMobiles"] == ["13800000000"]
    assert not Notification.objects.filter(channel="webhook", sent_at__isnull=True).exists()


def test_a_failing_channel_is_retried_and_reported(user_of, settings):
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "webhook"]
    settings.TONGYUN_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    incident = services.report_incident(user_of("dispatcher"), system=System.objects.get(row_no=2), title="x",
                                        severity="general")
    services.deliver_pending()
    failed = Notification.objects.filter(incident=incident, channel="webhook")
    assert failed.exists() and all(n.sent_at is None and n.attempts == 1 and n.last_error for n in failed)
    assert not any(n.given_up_at for n in failed)  # unreachable is transient: tried again
    for _run in range(settings.TONGYUN_NOTIFY_MAX_ATTEMPTS + 3):
        services.deliver_pending()
    assert all(n.attempts == settings.TONGYUN_NOTIFY_MAX_ATTEMPTS and n.given_up_at for n in failed.all())


def test_attempts_never_exceed_the_maximum_when_workers_overlap(user_of, settings, monkeypatch):
    """Worker B takes over A's claim while A is still sending (A looks dead to B): each attempt is counted
    in the database when claimed, so the channel is tried exactly the maximum number of times in all."""
    from tongyun.incidents import channels

    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "webhook"]
    settings.TONGYUN_NOTIFY_MAX_ATTEMPTS = 2
    incident = services.report_incident(user_of("dispatcher"), system=System.objects.get(row_no=2), title="x",
                                        severity="general")
    rows = Notification.objects.filter(incident=incident, channel="webhook")
    assert rows.count() >= 1
    later = dt.datetime.now(tz=SH) + dt.timedelta(minutes=10)
    calls = []

    def flaky(recipient, subject, body):
        calls.append(recipient.username)
        if len(calls) == 1:  # while worker A sends, worker B runs (and fails too)
            services.deliver_pending(now=later)
        raise channels.ChannelError("gateway timeout")

    monkeypatch.setattr(channels.CHANNELS["webhook"], "send", flaky)
    for run in range(6):
        services.deliver_pending(now=later + dt.timedelta(minutes=10 * run))
    assert sorted(calls) == sorted(2 * [n.recipient.username for n in rows])  # each one tried twice, no more
    assert all(n.attempts == 2 and n.given_up_at and n.sent_at is None for n in rows.all())


def test_given_up_deliveries_are_listed_for_the_admin(urgent, client_as, user_of):
    services.sweep_clocks(at(2026, 3, 10, 10, 31))
    services.deliver_pending()
    no_address = Notification.objects.filter(channel="email", given_up_at__isnull=False)
    assert no_address.exists()
    page = client_as("bureau_admin").get("/incidents/notifications/failed/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "no e-mail address" in text and no_address.first().recipient.username in text
    assert client_as("engineer").get("/incidents/notifications/failed/").status_code == 403


def test_only_one_sweep_is_ever_queued(settings):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tongyun.incidents.tasks import schedule_sweep, sweep_sla_clocks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    later = dt.datetime.now(tz=SH) + dt.timedelta(minutes=5)
    schedule_sweep(later)
    schedule_sweep(later)
    schedule_sweep()
    queued = DBTaskResult.objects.filter(task_path=sweep_sla_clocks.module_path, status=TaskResultStatus.READY)
    assert queued.count() == 1
