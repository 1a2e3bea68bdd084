"""Built-in checks: probes against real local servers, the state-change logic (N failures), a round with
bounded concurrency, and what a state change writes on the event path."""

import datetime as dt
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.domain import check_state
from tongyun.monitoring import checks
from tongyun.monitoring.models import AlertSource, Check, DeviceState, Event, Outage
from tongyun.monitoring.tasks import run_checks, schedule_checks


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — the stdlib's name
        if self.path.startswith("/slow"):
            time.sleep(0.3)
        code = 500 if self.path.startswith("/fail") else 302 if self.path.startswith("/moved") else 200
        body = "服务正常 tongyun-ok".encode()
        self.send_response(code)
        if code == 302:
            self.send_header("Location", "/")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tcp_listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(100)
    yield f"127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture(scope="module")
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"127.0.0.1:{port}"


@pytest.fixture(scope="module")
def silent_http():
    """Accepts connections and never answers: an HTTP check against it times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(100)
    yield f"127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def probe(kind, target, timeout=2.0):
    return checks.run_sync(checks.probe(checks.Probe(1, kind, target, timeout)))


# ---------------------------------------------------------------- probes


def test_http_probe_up_down_and_expected_text(http_server, silent_http):
    ok = probe("http", f"http://{http_server}/")
    assert ok.ok is True and ok.detail.startswith("HTTP 200")
    fail = probe("http", f"http://{http_server}/fail")
    assert fail.ok is False and fail.detail == "HTTP 500"
    moved = probe("http", f"http://{http_server}/moved")
    assert moved.ok is True and moved.detail.startswith("HTTP 302")  # < 400, redirects not followed
    assert probe("http", f"http://{http_server}/#expect=服务正常").ok is True
    missing = probe("http", f"http://{http_server}/#expect=维护中")
    assert missing.ok is False and "未找到期望文本" in missing.detail
    hung = probe("http", f"http://{silent_http}/", timeout=0.5)
    assert hung.ok is False and hung.detail == "超时（0.5 秒）"


def test_tcp_probe_open_and_closed_port(tcp_listener, closed_port):
    up = probe("tcp", tcp_listener)
    assert up.ok is True and up.detail.startswith("TCP 连接成功")
    down = probe("tcp", closed_port)
    assert down.ok is False and down.detail == "连接被拒绝"
    assert probe("tcp", "127.0.0.1").detail == "目标应为 主机:端口"
    assert probe("tcp", "no-such-host.invalid:80").ok is False


def test_icmp_probe_or_a_clear_reason(monkeypatch):
    if checks.icmp_method() is None:
        result = probe("icmp", "127.0.0.1")
        assert result.ok is None and "ICMP 不可用" in result.detail
    else:
        result = probe("icmp", "127.0.0.1")
        assert result.ok is True, result.detail
    monkeypatch.setenv("TONGYUN_CHECK_ICMP", "off")
    degraded = probe("icmp", "127.0.0.1")
    assert degraded.ok is None and degraded.detail == checks.ICMP_UNAVAILABLE


def test_engine_bounds_concurrency(http_server):
    probes = [checks.Probe(i, "http", f"http://{http_server}/slow", 5) for i in range(12)]
    stats = checks.EngineStats()
    started = time.perf_counter()
    results = checks.run_sync(checks.run_probes(probes, concurrency=4, stats=stats))
    elapsed = time.perf_counter() - started
    assert [r.id for r in results] == list(range(12)) and all(r.ok for r in results)
    assert stats.peak_in_flight == 4
    assert elapsed >= 0.85  # 12 probes of 0.3 s, 4 at a time: at least three waves


def test_target_validation():
    assert checks.validate_target("http", "10.0.0.1/health") == "http://10.0.0.1/health"
    assert checks.validate_target("tcp", "[::1]:443") == "[::1]:443"
    with pytest.raises(ValidationError):
        checks.validate_target("tcp", "10.0.0.1")
    with pytest.raises(ValidationError):
        checks.validate_target("icmp", "10.0.0.1:80")
    with pytest.raises(ValidationError):
        checks.validate_target("http", "ftp://x/")
    assert checks.split_expect(checks.with_expect("http://h/p", "正常 OK")) == ("http://h/p", "正常 OK")


# ---------------------------------------------------------------- state changes (pure)


def test_state_goes_down_after_n_failures_and_up_on_first_success():
    state = check_state.CheckState(None, 0)
    first = check_state.step(state, True, 2)
    assert first.transition is None and first.status == "up"
    one = check_state.step(first.state, False, 2)
    assert one.transition is None and one.state.consecutive_failures == 1
    two = check_state.step(one.state, False, 2)
    assert two.transition == "down" and two.status == "down"
    three = check_state.step(two.state, False, 2)
    assert three.transition is None and three.state.consecutive_failures == 3
    back = check_state.step(three.state, True, 2)
    assert back.transition == "up" and back.state == check_state.CheckState(True, 0)
    # a probe that could not run changes nothing
    assert check_state.step(three.state, None, 2).state == three.state
    # threshold 3
    s = check_state.CheckState(True, 0)
    for _ in range(2):
        s = check_state.step(s, False, 3).state
    assert check_state.step(s, False, 3).transition == "down"
    assert check_state.combine(["up", "down"]) == "degraded"
    assert check_state.combine(["unknown"]) == "unknown"


# ---------------------------------------------------------------- rounds (database)


@pytest.fixture
def system(db):
    return System.objects.filter(unit__name="区经信局").order_by("row_no").first()


def _device(system, ip="10.9.0.1"):
    return Device.objects.create(system=system, kind="服务器", name=f"srv-{ip}", ip_address=ip)


def test_round_writes_results_and_state_changes(system, http_server, closed_port, settings):
    settings.TONGYUN_CHECK_FAILURES = 2
    device = _device(system)
    good = Check.objects.create(system=system, device=_device(system, "10.9.0.2"), kind="http",
                                target=f"http://{http_server}/", interval_seconds=60, timeout_seconds=2)
    bad = Check.objects.create(system=system, device=device, kind="tcp", target=closed_port,
                               interval_seconds=60, timeout_seconds=2)
    t0 = timezone.now()

    summary = checks.run_round(t0, concurrency=10)
    assert summary["checks"] == 2 and summary["transitions"] == 0
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.last_ok is True and good.last_run_at == t0 and bad.consecutive_failures == 1
    assert DeviceState.objects.get(device=good.device).status == "up"  # first success: unknown → up, no event
    assert DeviceState.objects.get(device=device).status == "unknown"  # one failure is not down yet
    assert not Event.objects.exists()

    # not due again before its interval has passed
    assert checks.run_round(t0 + dt.timedelta(seconds=20))["checks"] == 0

    t1 = t0 + dt.timedelta(seconds=60)
    summary = checks.run_round(t1, concurrency=10)
    assert summary["checks"] == 2 and summary["down"] == 1
    firing = Event.objects.get(status="firing")
    assert firing.fingerprint == f"check-{bad.pk}" and firing.source.kind == "builtin"
    assert firing.source.name == "平台内置检测" and firing.device == device and firing.system == system
    assert firing.starts_at == t0  # dated from the first failed probe
    outage = Outage.objects.get(device=device)
    assert outage.end is None and outage.cause == "check" and outage.start == t0 and outage.event == firing
    # the same event path as external alerts: correlated into a group that reported an incident
    group = firing.group
    assert group is not None and group.incident is not None and group.incident.system == system
    assert outage.incident == group.incident and group.closed_at is None
    state = DeviceState.objects.get(device=device)
    assert state.status == "down" and state.since == t0 and "连接被拒绝" in state.detail

    # a third failure: still down, nothing new
    checks.run_round(t1 + dt.timedelta(seconds=60))
    assert Event.objects.count() == 1 and Outage.objects.count() == 1

    # the port opens: first success resolves it
    listener = socket.socket()
    host, port = closed_port.split(":")
    listener.bind((host, int(port)))
    listener.listen(5)
    try:
        t3 = t1 + dt.timedelta(seconds=120)
        summary = checks.run_round(t3)
    finally:
        listener.close()
    assert summary["recovered"] == 1
    resolved = Event.objects.get(status="resolved")
    assert resolved.starts_at == firing.starts_at and resolved.ends_at == t3
    outage.refresh_from_db()
    assert outage.end == t3
    group.refresh_from_db()
    firing.refresh_from_db()
    assert firing.ends_at == t3 and group.closed_at == t3 and group.firing_count == 0
    assert DeviceState.objects.get(device=device).status == "up"
    assert AlertSource.objects.filter(kind="builtin").count() == 1


def test_threshold_is_configurable(system, closed_port, settings):
    settings.TONGYUN_CHECK_FAILURES = 3
    check = Check.objects.create(system=system, device=_device(system), kind="tcp", target=closed_port,
                                 interval_seconds=60, timeout_seconds=1)
    t = timezone.now()
    for i in range(2):
        checks.run_round(t + dt.timedelta(seconds=60 * i))
    assert not Event.objects.filter(fingerprint=f"check-{check.pk}").exists()
    checks.run_round(t + dt.timedelta(seconds=120))
    event = Event.objects.get(fingerprint=f"check-{check.pk}")
    assert event.starts_at == t


def test_round_with_bounded_concurrency_and_batch(system, http_server, settings):
    settings.TONGYUN_CHECK_BATCH = 15
    for i in range(20):
        Check.objects.create(system=system, kind="http", target=f"http://{http_server}/slow?{i}", timeout_seconds=5)
    Check.objects.create(system=system, kind="http", target=f"http://{http_server}/", enabled=False)
    summary = checks.run_round(concurrency=5)
    assert summary["checks"] == 15 and summary["peak_in_flight"] == 5 and summary["up"] == 15
    assert checks.run_round(concurrency=5)["checks"] == 5  # the rest, most overdue first
    assert Check.objects.filter(enabled=False, last_run_at__isnull=True).count() == 1


def test_unrunnable_icmp_changes_nothing(system, monkeypatch):
    monkeypatch.setenv("TONGYUN_CHECK_ICMP", "off")
    check = Check.objects.create(system=system, device=_device(system), kind="icmp", target="127.0.0.1")
    t = timezone.now()
    for i in range(3):
        checks.run_round(t + dt.timedelta(seconds=300 * i))
    check.refresh_from_db()
    assert check.last_ok is None and check.consecutive_failures == 0 and "ICMP 不可用" in check.last_detail
    assert not Event.objects.exists()


def test_record_check_result_is_idempotent(system):
    check = Check.objects.create(system=system, device=_device(system), kind="tcp", target="10.9.0.1:22",
                                 consecutive_failures=2, last_ok=False)
    at = timezone.now()
    checks.record_check_result(check, False, "连接被拒绝", at)
    checks.record_check_result(check, False, "连接被拒绝", at)
    assert Event.objects.count() == 1 and Outage.objects.filter(end__isnull=True).count() == 1
    check.last_ok, check.consecutive_failures = True, 0
    check.save()
    checks.record_check_result(check, True, "ok", at + dt.timedelta(minutes=5))
    checks.record_check_result(check, True, "ok", at + dt.timedelta(minutes=5))
    assert Event.objects.filter(status="resolved").count() == 1
    assert not Outage.objects.filter(end__isnull=True).exists()


def test_task_runs_a_round_and_reschedules(system, http_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    Check.objects.create(system=system, kind="http", target=f"http://{http_server}/")
    result = run_checks.call()
    assert result["checks"] == 1 and result["up"] == 1
    queued = DBTaskResult.objects.filter(status="READY", task_path=run_checks.module_path)
    assert queued.count() == 1
    schedule_checks()
    assert queued.count() == 1  # only one future round


# ---------------------------------------------------------------- management


def test_bulk_create_from_device_ips(system, user_of):
    _device(system, "10.9.1.1")
    _device(system, "10.9.1.2")
    Device.objects.create(system=system, kind="摄像机")  # no IP: skipped
    pm = user_of("pm")
    assert checks.bulk_create_checks(pm, system, kind="tcp", port=22) == 2
    assert checks.bulk_create_checks(pm, system, kind="tcp", port=22) == 0  # once per device and kind
    assert set(Check.objects.filter(system=system, kind="tcp").values_list("target", flat=True)) == {
        "10.9.1.1:22", "10.9.1.2:22"}
    assert checks.bulk_create_checks(pm, system, kind="http", port=8080, path="health", https=True) == 2
    assert Check.objects.filter(target="https://10.9.1.1:8080/health").exists()
    with pytest.raises(PermissionDenied):
        checks.bulk_create_checks(user_of("unit_admin"), system, kind="icmp")
