"""Benchmark: the bureau's district overview page (/overview/) and the bureau's home — every registered
indicator and panel (tongyun.core.indicators) computed for the whole district.

    TONGYUN_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_overview.py [--incidents 50000] [--repeat 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_overview .venv/bin/python bench/bench_overview.py

It migrates a fresh database, loads the real catalog and the demo accounts, bulk-inserts incidents spread
over the last six months and every system (10 % still open, deadlines from report + 4 h / 48 h, a quarter
of them late) and inspection tasks (one a week per system, a fifth of the past ones overdue), then times
GET /overview/ and GET / as bureau_admin through django.test.Client.

The expensive district figures are the worker's (tongyun.core.snapshots, refreshed every few minutes): the
bench runs the worker's refresh once (timed, for information), then measures per page the first request of a
new session with the cache cleared ("cold") and the median of
--repeat requests after it ("warm"). A page that finds no stored figures (before the worker's first run)
computes them inline: that request is timed too, for information. Targets: every page < 300 ms, cold and
warm. Prints FIGURE lines (bench/benchfmt.py).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure, rss_figure  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")  # the bench logs the bureau admin in without a TOTP app
warnings.filterwarnings("ignore", message="No directory at")

TARGET_MS = 300


def setup(incidents: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tongyun.catalog.models import System
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.core.demo import ensure_demo_accounts
    from tongyun.incidents.models import Incident
    from tongyun.inspections.models import InspectionPlan, InspectionTask

    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    if Incident.objects.count() >= incidents:
        return
    rng = random.Random(15)
    now = timezone.now()
    systems = list(System.objects.values_list("id", flat=True))
    rows = []
    for index in range(incidents):
        reported = now - dt.timedelta(minutes=rng.randrange(0, 180 * 24 * 60))
        open_ = rng.random() < 0.1
        late = rng.random() < 0.25
        response_due, repair_due = reported + dt.timedelta(hours=4), reported + dt.timedelta(hours=48)
        resolved = None if open_ else reported + dt.timedelta(hours=60 if late else 20)
        rows.append(Incident(
            system_id=systems[index % len(systems)], title=f"bench {index}", severity="general",
            state="in_progress" if open_ else "closed", reported_at=reported,
            acknowledged_at=reported + dt.timedelta(hours=5 if late else 1), resolved_at=resolved,
            closed_at=resolved, response_due=response_due, repair_due=repair_due,
            response_risk_at=reported + dt.timedelta(hours=3), repair_risk_at=reported + dt.timedelta(hours=38),
            policy={"targets": {"response": "4 小时", "repair": "48 小时"}}))
        if len(rows) == 5000:
            Incident.objects.bulk_create(rows)
            rows = []
    Incident.objects.bulk_create(rows)
    today = timezone.localdate()
    tasks = []
    for system_id in systems:
        plan = InspectionPlan.objects.create(system_id=system_id, name="bench weekly", frequency="weekly")
        for week in range(-20, 4):
            day = today + dt.timedelta(weeks=week)
            done = week < 0 and rng.random() < 0.8
            tasks.append(InspectionTask(plan=plan, system_id=system_id, scheduled_for=day,
                                        due_date=day + dt.timedelta(days=2), state="done" if done else "pending",
                                        completed_at=now if done else None))
    InspectionTask.objects.bulk_create(tasks, batch_size=5000)
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    """(cold ms, warm median ms, queries of a warm request)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    start = time.perf_counter()
    first = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, (url, first.status_code, first.get("Location"))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return cold, statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    setup(args.incidents)
    from django.db import connection
    from django.test import Client

    from tongyun.core import snapshots
    from tongyun.core.models import DistrictSnapshot
    from tongyun.parties.models import User

    load = f"{os.getloadavg()[0]:.2f}"
    print(f"tongyun overview bench: {args.incidents:,} incidents, {connection.vendor}, "
          f"setup {time.perf_counter() - started:.1f} s, load {load}", flush=True)
    client = Client()
    client.force_login(User.objects.get(username="bureau_admin"))
    # what a page does before the worker's first run: compute the expensive figures inline (and store them)
    DistrictSnapshot.objects.all().delete()
    client.get("/overview/")  # the process's first request: not part of the figure
    DistrictSnapshot.objects.all().delete()
    start = time.perf_counter()
    client.get("/overview/")
    print(f"  /overview/ with nothing stored yet (computed inline, then stored): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms — once per install, before the worker's first run")
    start = time.perf_counter()
    snapshots.refresh()
    print(f"  the worker's refresh (every language): {(time.perf_counter() - start) * 1000:.0f} ms", flush=True)
    # the cold figures: a new session and an empty cache (as after a restart), the worker's figures stored
    client = Client()
    client.force_login(User.objects.get(username="bureau_admin"))
    for label, url in (("overview page /overview/ (bureau_admin)", "/overview/"),
                       ("home page / (bureau_admin)", "/")):
        cold, warm, queries = timed(client, url, args.repeat)
        load = f"{os.getloadavg()[0]:.2f}"
        figure(f"{label}, cold cache ({connection.vendor})", cold, "ms", TARGET_MS,
               detail=f"first request, cache cleared, worker's figures stored; load {load}")
        figure(f"{label}, warm ({connection.vendor})", warm, "ms", TARGET_MS,
               detail=f"median of {args.repeat}, {queries} queries; load {load}")
    rss_figure("overview bench")


if __name__ == "__main__":
    main()
