"""Production workers: several `tongyun db_worker` processes on one PostgreSQL (django-tasks' database
backend claims tasks with SELECT … FOR UPDATE SKIP LOCKED). Real processes, a real group-robot endpoint:
no task runs twice and no notification is sent twice; a worker killed with SIGKILL mid-delivery loses
nothing. PostgreSQL only: on SQLite the test database lives in this process's memory."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from tongyun.catalog.models import System
from tongyun.incidents import services
from tongyun.incidents.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL run only"),
]
SOURCE = Path(__file__).resolve().parents[3]


class Robot(BaseHTTPRequestHandler):
    """A WeCom-style group robot counting the messages it receives; `hold` keeps the first request open."""

    received: list = []
    first = threading.Event()
    hold = threading.Event()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 (http.server API)
        import json

        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with Robot.lock:
            Robot.received.append(body["text"]["content"])
            is_first = len(Robot.received) == 1
        if is_first:
            Robot.first.set()
            Robot.hold.wait(30)
        time.sleep(0.02)  # a real robot takes a moment: the workers overlap
        answer = b'{"errcode": 0}'
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the worker was killed meanwhile

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received = []
    Robot.first.clear()
    Robot.hold.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    Robot.hold.set()
    server.shutdown()


@pytest.fixture
def incidents(settings, robot):
    """Incidents reported with the webhook channel on: each has webhook notifications waiting, and the
    delivery tasks queued (report_incident enqueues them)."""
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.core.demo import ensure_demo_accounts
    from tongyun.parties.models import User

    load_tender_catalog()  # the database of a transactional test starts empty
    ensure_demo_accounts()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TONGYUN_NOTIFY_CHANNELS = ["in_app", "webhook"]
    settings.TONGYUN_WEBHOOK_URL = robot
    dispatcher = User.objects.get(username="dispatcher")
    systems = list(System.objects.order_by("row_no")[:12])
    return [services.report_incident(dispatcher, system=s, title=f"WORKER-{s.row_no}", severity="general")
            for s in systems]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(robot_url: str, tmp_path, **env) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TONGYUN_")}
    environment.update({"PYTHONPATH": str(SOURCE), "DJANGO_SETTINGS_MODULE": "tongyun.settings",
                        "DATABASE_URL": _database_url(), "TONGYUN_DATA_DIR": str(tmp_path),
                        "TONGYUN_NOTIFY_CHANNELS": "in_app,webhook", "TONGYUN_WEBHOOK_URL": robot_url, **env})
    return subprocess.Popen([sys.executable, "-m", "tongyun.manage", "db_worker", "--batch", "--no-startup-delay",
                             "--queue-name", "*", "--no-reload", "--interval", "0.1"], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.all()


def test_two_workers_run_each_task_once_and_send_each_notification_once(incidents, robot, tmp_path):
    from tongyun.incidents.tasks import deliver_notifications

    for _ in range(6):
        deliver_notifications.enqueue()
    queued = _tasks().count()
    webhook = Notification.objects.filter(channel="webhook")
    assert queued >= 6 and webhook.count() >= len(incidents)
    Robot.hold.set()  # nothing is held back in this test
    workers = [_worker(robot, tmp_path / str(n)) for n in range(2)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    # every task ran, each by exactly one worker, and both workers took part
    results = list(_tasks())
    assert len(results) == queued and all(r.status == "SUCCESSFUL" for r in results), [r.status for r in results]
    assert all(len(r.worker_ids) == 1 for r in results)
    assert len({r.worker_ids[0] for r in results}) == 2, "both workers took tasks"
    # every webhook notification was sent, and exactly once
    assert not webhook.filter(sent_at__isnull=True).exists()
    counts = Counter(Robot.received)
    assert len(counts) == webhook.count() and set(counts.values()) == {1}, counts.most_common(3)


def test_a_worker_killed_mid_delivery_loses_nothing(incidents, robot, tmp_path):
    from tongyun.incidents.tasks import deliver_notifications

    webhook = Notification.objects.filter(channel="webhook")
    first = _worker(robot, tmp_path / "a")
    assert Robot.first.wait(120), "the worker never delivered"
    os.kill(first.pid, signal.SIGKILL)  # mid-send: the robot holds the worker's first request open
    first.communicate(timeout=30)
    Robot.hold.set()
    in_flight = webhook.filter(sent_at__isnull=True, claimed_at__isnull=False)
    assert in_flight.count() == 1
    assert webhook.filter(sent_at__isnull=True).count() == webhook.count()  # it died before anything else
    # the next worker (a restarted one, or the next sweep's) takes the dead worker's claim over
    time.sleep(1.5)
    deliver_notifications.enqueue()
    second = _worker(robot, tmp_path / "b", TONGYUN_NOTIFY_CLAIM_TIMEOUT_SECONDS="1")
    output = second.communicate(timeout=300)[0]
    assert second.returncode == 0, output
    assert not webhook.filter(sent_at__isnull=True).exists(), "a notification was lost"
    counts = Counter(Robot.received)
    assert len(counts) == webhook.count()
    # only the message in flight when the worker died can have gone out twice (at-least-once)
    assert sum(counts.values()) - len(counts) <= 1
    assert all(n.attempts <= 2 for n in webhook.all())
