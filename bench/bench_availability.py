"""Benchmark: the monthly availability table for 20,000 devices with a month of outages.

Run by hand on SQLite (a fresh data dir is made when none is given):

    .venv/bin/python bench/bench_availability.py [--devices 20000] [--outages-per-device 5] [--repeat 3]

or on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_availability .venv/bin/python …
(the database must exist). It migrates and loads the real catalog, the demo accounts and the tender's
availability targets, deletes every device, outage, maintenance window and accepted outage, then
bulk-creates the devices spread over all 154 systems (quantity 1–8), several outages per device in
2026-10 (random, overlapping ones included, a few still open) plus some outages outside the month, and
approved exclusions: a maintenance window per 10 systems (whole system), 300 device-specific windows
and 150 accepted outages (some pending, which must not count). Then it times, as the median of
`--repeat` runs after one warm-up:

(a) the month's table per system as bureau_admin (all 154 systems) — target < 5 s;
(b) the same per unit;
(c) per system as the unit admin of 公安局顺义分局 (scoped);
(d) the per-device drill-down of the system with most devices;
(e) GET /api/v1/availability?month=2026-10 through the test client;
(f) the Excel export (both sheets).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")  # the bench fetches bureau_admin's token without TOTP
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
import django  # noqa: E402
from benchfmt import figure, serving_rss_figure  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongyun.availability import excel, selectors  # noqa: E402
from tongyun.availability.models import AcceptedOutage, MaintenanceWindow  # noqa: E402
from tongyun.availability.services import seed_targets  # noqa: E402
from tongyun.catalog.models import Device, System  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import demo_password, ensure_demo_accounts  # noqa: E402
from tongyun.monitoring.models import Outage  # noqa: E402
from tongyun.parties.models import User  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH_START = dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)
MONTH_HOURS = 31 * 24
NOW = dt.datetime(2026, 11, 20, tzinfo=SHANGHAI)
TARGET_MS = 5000


def _moment(hours: float) -> dt.datetime:
    return MONTH_START + dt.timedelta(hours=hours)


def populate(devices: int, per_device: int, rng: random.Random) -> dict:
    from auditlog.context import disable_auditlog

    with disable_auditlog(), transaction.atomic():
        Outage.objects.all().delete()
        MaintenanceWindow.objects.all().delete()
        AcceptedOutage.objects.all().delete()
        Device.objects.all().delete()
        systems = list(System.objects.order_by("id").values_list("id", flat=True))
        Device.objects.bulk_create(
            [Device(system_id=systems[i % len(systems)], kind="摄像机" if i % 3 else "录像机", name=f"BENCH-{i:06d}",
                    quantity=rng.choice((1, 1, 1, 2, 4, 8))) for i in range(devices)], batch_size=2000)
        rows = list(Device.objects.values_list("id", "system_id"))
        outages = []
        for device_id, system_id in rows:
            for _ in range(per_device):
                start = rng.uniform(-48, MONTH_HOURS + 24)  # a few start before / after the month
                length = rng.expovariate(1 / 6)  # mean 6 h
                end = None if rng.random() < 0.002 else _moment(start + length)
                outages.append(Outage(device_id=device_id, system_id=system_id, start=_moment(start), end=end,
                                      cause="monitoring", fault="offline"))
            if rng.random() < 0.1:  # and some from last month, which must be skipped
                outages.append(Outage(device_id=device_id, system_id=system_id, start=_moment(-400),
                                      end=_moment(-390), cause="manual", fault="offline"))
        Outage.objects.bulk_create(outages, batch_size=5000)
        pm, bureau = User.objects.get(username="pm"), User.objects.get(username="bureau_admin")
        common = {"requested_by": pm, "decided_by": bureau, "decided_at": NOW, "state": "approved"}
        windows = [MaintenanceWindow(system_id=s, start=_moment(rng.uniform(0, 700)), end=None, reason="bench",
                                     **common) for s in systems[::10]]
        device_windows = [MaintenanceWindow(system_id=s, start=_moment(rng.uniform(0, 700)), end=None,
                                            reason="bench device", **common)
                          for s in (rng.choice(systems) for _ in range(300))]
        for window in windows + device_windows:
            window.end = window.start + dt.timedelta(hours=rng.uniform(1, 12))
        MaintenanceWindow.objects.bulk_create(windows + device_windows)
        by_system: dict[int, list[int]] = {}
        for device_id, system_id in rows:
            by_system.setdefault(system_id, []).append(device_id)
        through = MaintenanceWindow.devices.through
        through.objects.bulk_create([
            through(maintenancewindow_id=w.pk, device_id=d)
            for w in device_windows for d in rng.sample(by_system.get(w.system_id, []),
                                                        min(5, len(by_system.get(w.system_id, []))))])
        accepted = []
        for index in range(150):
            start = _moment(rng.uniform(0, 700))
            state = "approved" if index % 3 else "requested"
            accepted.append(AcceptedOutage(system_id=rng.choice(systems), kind="construction", start=start,
                                           end=start + dt.timedelta(hours=rng.uniform(2, 48)), description="bench",
                                           evidence="evidence/bench.pdf", state=state, requested_by=pm,
                                           decided_by=bureau if state == "approved" else None))
        AcceptedOutage.objects.bulk_create(accepted)
    return {"devices": len(rows), "units": sum(Device.objects.values_list("quantity", flat=True)),
            "outages": len(outages), "windows": len(windows) + len(device_windows), "accepted": len(accepted)}


def timed(repeat: int, action) -> tuple[float, int, object]:
    action()  # warm-up
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = action()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(times), queries, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=20000)
    parser.add_argument("--outages-per-device", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261001)

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    seed_targets()
    counts = populate(args.devices, args.outages_per_device, rng)
    print(f"database: {connection.vendor} · {counts['devices']:,} device rows ({counts['units']:,} device units), "
          f"{counts['outages']:,} outages, {counts['windows']} approved windows, {counts['accepted']} accepted "
          f"outages (⅓ pending) · set up in {time.perf_counter() - started:.1f} s")

    bureau = User.objects.get(username="bureau_admin")
    police = User.objects.get(username="unit_admin_police")
    biggest = max(System.objects.all(), key=lambda s: s.devices.count())
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "bureau_admin", "password": demo_password()},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    measures = [
        ("(a) month table by system (bureau_admin)",
         lambda: selectors.availability_table(bureau, "2026-10", "system", now=NOW),
         lambda t: f"{len(t['rows'])} systems, {t['total']['availability']} %, "
                   f"{t['total']['shortfall_systems']} short of target"),
        ("(b) month table by unit (bureau_admin)",
         lambda: selectors.availability_table(bureau, "2026-10", "unit", now=NOW),
         lambda t: f"{len(t['rows'])} units"),
        ("(c) month table by system (unit_admin_police)",
         lambda: selectors.availability_table(police, "2026-10", "system", now=NOW),
         lambda t: f"{len(t['rows'])} systems, {t['total']['device_units']:,} units"),
        ("(d) device drill-down, biggest system",
         lambda: selectors.device_table(bureau, biggest, "2026-10", now=NOW),
         lambda t: f"{len(t['devices'])} device rows of {biggest.name}"),
        ("(e) GET /api/v1/availability?month=2026-10",
         lambda: client.get("/api/v1/availability?month=2026-10", headers=headers),
         lambda r: f"HTTP {r.status_code}, {len(r.content):,} bytes"),
        ("(f) Excel export (both sheets)",
         lambda: excel.export_workbook(bureau, month="2026-10", now=NOW),
         lambda b: f"{len(b):,} bytes"),
    ]
    print(f"\n{'measure':<52}{'ms':>9}{'target':>8}{'ratio':>7}{'queries':>9}  detail")
    print("-" * 120)
    worst = 0.0
    for label, action, describe in measures:
        ms, queries, result = timed(args.repeat, action)
        ratio = ms / TARGET_MS
        worst = max(worst, ratio)
        print(f"{label:<52}{ms:>9.1f}{TARGET_MS:>8}{ratio:>7.2f}{queries:>9}  {describe(result)}")
        figure(f"availability {label} ({connection.vendor})", ms, "ms", TARGET_MS, detail=f"{queries} queries")
    print("-" * 120)
    print("all figures within the 5 s target" if worst < 1 else "SOME FIGURES OVER THE 5 s TARGET")
    serving_rss_figure(f"availability, {connection.vendor}", [
        {"url": "/api/v1/availability?month=2026-10", "headers": headers},
        {"user": "bureau_admin", "url": "/availability/?month=2026-10"},
        {"user": "bureau_admin", "url": "/availability/export/?month=2026-10"}])


if __name__ == "__main__":
    main()
