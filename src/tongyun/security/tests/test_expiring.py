"""Expiring obligations: row 62's lead times, the daily sweep, renewal, the tender's items and the
certificate the built-in HTTPS check reads from a local test server."""

import datetime as dt
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongyun.domain import expiry
from tongyun.monitoring import checks
from tongyun.monitoring.models import Check
from tongyun.security import obligations
from tongyun.security.choices import ItemSource, ReminderKind
from tongyun.security.models import ExpiringItem, Reminder


@pytest.fixture
def system(system_of):
    return system_of("区政务服务局")


def _kinds(item) -> list[str]:
    return list(item.reminders.order_by("id").values_list("kind", flat=True))


def test_row_62_certificate_reminds_a_month_ahead_then_in_the_last_week(system, user_of):
    officer = user_of("security")
    expires = timezone.localdate() + dt.timedelta(days=120)
    item = obligations.save_item(officer, system, kind="certificate", name="政务服务 HTTPS 证书",
                                 expires_on=expires, renew_lead_months=1, install_window_days=7)
    assert item.renew_from == expiry.milestones(expires, 1, 7).renew_from
    assert item.install_from == expires - dt.timedelta(days=7)
    assert _kinds(item) == []
    assert obligations.sweep_expiry_reminders(item.renew_from - dt.timedelta(days=1)) == 0
    assert obligations.sweep_expiry_reminders(item.renew_from) == 1
    assert obligations.sweep_expiry_reminders(item.renew_from + dt.timedelta(days=3)) == 0  # once
    assert obligations.sweep_expiry_reminders(item.install_from) == 1
    assert obligations.sweep_expiry_reminders(expires) == 1
    assert _kinds(item) == [ReminderKind.RENEW, ReminderKind.INSTALL, ReminderKind.EXPIRED]
    # renewed: the old reminders are done, the new expiry starts over
    item = obligations.renew_item(officer, ExpiringItem.objects.get(pk=item.pk),
                                  expires_on=expires + dt.timedelta(days=365))
    assert item.reminded_stage == expiry.NONE
    assert not Reminder.objects.filter(item=item, done=False).exists()
    with pytest.raises(ValidationError):
        obligations.renew_item(officer, item, expires_on=expires)
    with pytest.raises(PermissionDenied):
        obligations.renew_item(user_of("unit_admin"), item, expires_on=expires + dt.timedelta(days=800))


def test_an_item_entered_late_is_reminded_at_once_of_where_it_is(system, user_of):
    item = obligations.save_item(user_of("pm"), system, kind="licence", name="MCU 许可", quantity=26,
                                 expires_on=timezone.localdate() + dt.timedelta(days=3))
    assert _kinds(item) == [ReminderKind.RENEW]  # no install window: straight to renew
    with pytest.raises(ValidationError):
        obligations.save_item(user_of("pm"), system, kind="licence", name="无到期日")


def test_tender_items_and_batteries(db):
    assert obligations.seed_tender_items() == 7
    assert obligations.seed_tender_items() == 0
    battery = ExpiringItem.objects.get(system__row_no=56)
    assert battery.due_on == dt.date(2028, 9, 1) and battery.quantity == 1
    row62 = ExpiringItem.objects.get(system__row_no=62)
    assert (row62.renew_lead_months, row62.install_window_days, row62.due_on) == (1, 7, None)
    assert "L12989" in row62.tender_text
    assert ExpiringItem.objects.get(system__row_no=65).quantity == 26
    assert ExpiringItem.objects.get(system__row_no=7).quantity == 140


def test_sweep_handles_many_items_in_few_queries(system, django_assert_max_num_queries):
    today = dt.date(2026, 6, 1)
    rows = []
    for index in range(300):
        item = ExpiringItem(system=system, kind="battery", name=f"电池 {index}",
                            expires_on=today + dt.timedelta(days=index - 100), install_window_days=7)
        obligations.refresh_milestones(item)
        rows.append(item)
    ExpiringItem.objects.bulk_create(rows)
    with django_assert_max_num_queries(40):  # the catch-up: one UPDATE per (stage, next day)
        created = obligations.sweep_expiry_reminders(today)
    expected = sum(1 for item in rows if expiry.stage_on(today, expiry.Milestones(
        item.due_on, item.renew_from, item.install_from)) > 0)
    assert created == expected == 100 + 1 + 30  # expired (100 + today's), then the month ahead
    with django_assert_max_num_queries(8):  # a day later: the day's few changes
        assert obligations.sweep_expiry_reminders(today + dt.timedelta(days=1)) == 3  # renew, install, expired


# ---------------------------------------------------------------- the HTTPS check


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


@pytest.fixture
def https_server(tmp_path):
    """A local HTTPS server whose certificate has 20 days left."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "20",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_https_check_reads_the_certificate_and_creates_a_reminder(system, https_server, settings):
    check = Check.objects.create(system=system, kind="http", target=f"https://{https_server}/#expect=OK",
                                 interval_seconds=60, timeout_seconds=5)
    now = timezone.now()
    summary = checks.run_round(now, concurrency=2)
    assert summary["checks"] == 1 and summary["up"] == 1
    item = ExpiringItem.objects.get(check_target=f"https://{https_server}/")
    assert item.source == ItemSource.HTTPS_CHECK and item.system_id == system.pk
    expected = timezone.localtime(now + dt.timedelta(days=20)).date()
    assert abs((item.expires_on - expected).days) <= 1
    assert (item.renew_lead_months, item.install_window_days) == (1, 7)  # row 62's rule
    # 20 days left: inside the month ahead, not yet in the last week
    assert _kinds(item) == [ReminderKind.RENEW]
    check.refresh_from_db()
    assert check.last_ok is True
    # the next round sees the same certificate: nothing new
    checks.run_round(now + dt.timedelta(seconds=120), concurrency=2)
    assert ExpiringItem.objects.filter(check_target=f"https://{https_server}/").count() == 1
    assert Reminder.objects.filter(item=item).count() == 1


def test_a_plain_http_check_records_no_certificate(system):
    result = checks.run_sync(checks.probe(checks.Probe(1, "http", "http://127.0.0.1:9/", 1)))
    assert result.certificate_not_after is None


@pytest.mark.parametrize("today", [dt.date(2026, 12, 1), dt.date(2027, 3, 31)])
def test_set_based_sweep_follows_the_python_rule_on_random_items(system_of, today):
    """The sweep computes stages and next days in SQL; `_advance` is the same rule in Python."""
    import random

    rng = random.Random(today.toordinal())
    systems = [system_of("区政务服务局"), system_of("区经信局")]
    rows = []
    for index in range(300):
        item = ExpiringItem(system=rng.choice(systems), kind="licence", name=f"item {index}",
                            expires_on=dt.date(2026, 6, 1) + dt.timedelta(days=rng.randrange(600)),
                            renew_lead_months=rng.choice([0, 1, 2, 3]), install_window_days=rng.choice([0, 7, 120]),
                            reminded_stage=0)
        obligations.refresh_milestones(item)
        if rng.random() < 0.3:  # some have been reminded already, some are retired
            item.reminded_stage = expiry.stage_on(today - dt.timedelta(days=40), obligations._marks(item))
            item.next_reminder_on = obligations.next_reminder_day(obligations._marks(item), item.reminded_stage)
        item.retired = rng.random() < 0.05
        rows.append(item)
    ExpiringItem.objects.bulk_create(rows)
    before = list(ExpiringItem.objects.filter(name__startswith="item "))
    due = [i for i in before if not i.retired and i.next_reminder_on is not None and i.next_reminder_on <= today]
    expected = {r.key: (r.kind, r.item_id, r.system_id, r.due_on) for r in obligations._advance(due, today)}
    assert len(expected) > 20
    assert obligations.sweep_expiry_reminders(today) == len(expected)
    written = {r.key: (r.kind, r.item_id, r.system_id, r.due_on) for r in Reminder.objects.filter(key__in=expected)}
    assert written == expected
    after = {i.pk: (i.reminded_stage, i.next_reminder_on)
             for i in ExpiringItem.objects.filter(name__startswith="item ")}
    moved = {i.pk: (i.reminded_stage, i.next_reminder_on) for i in due}
    untouched = {i.pk: (i.reminded_stage, i.next_reminder_on) for i in before if i.pk not in moved}
    assert after == moved | untouched
    assert obligations.sweep_expiry_reminders(today) == 0
