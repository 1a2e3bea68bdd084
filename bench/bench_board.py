"""Benchmark: the dispatcher board and the home pages at district scale (issue #16: p95 < 150 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_board .venv/bin/python bench/bench_board.py
    .venv/bin/python bench/bench_board.py --incidents 100000 --devices 20000      # SQLite (bulk insert is slow)

It creates the PostgreSQL database if missing, migrates, loads the catalog and the demo accounts, inserts the
missing incidents (bench_incidents' generator: spread over 2026, ~2 % open, COPY on PostgreSQL) and devices,
runs ANALYZE, then times in process (django.test.Client, a logged-in session) GET /incidents/board/ as the
dispatcher and GET / (the home page) as each kind of account: p50 / p95 over --requests after a warm-up.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_incidents  # noqa: E402  (creates the PostgreSQL database, django.setup, the incident generator)
from bench_list_api import insert_devices  # noqa: E402
from benchfmt import figure, serving_rss_figure  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tongyun.catalog.models import Device  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import ensure_demo_accounts  # noqa: E402
from tongyun.incidents.models import Incident  # noqa: E402
from tongyun.parties.models import User  # noqa: E402

TARGET_P95_MS = 150.0
PAGES = [
    ("/incidents/board/", "dispatcher"),
    ("/", "dispatcher"),
    ("/", "bureau_admin"),
    ("/", "pm"),
    ("/", "engineer"),
    ("/", "unit_admin"),
    ("/", "supervisor"),
]


def main() -> None:
    postgres = connection.vendor == "postgresql"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000 if postgres else 100_000)
    parser.add_argument("--devices", type=int, default=100_000 if postgres else 20_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"tongyun board and home bench ({connection.vendor}): {args.incidents:,} incidents, {args.devices:,} devices",
          flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    bench_incidents.insert_incidents(args.incidents, args.seed)
    insert_devices(args.devices)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"· setup {time.perf_counter() - started:.1f} s: {Incident.objects.count():,} incidents, "
          f"{Device.objects.count():,} devices", flush=True)

    results = []
    for url, username in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, username, response.status_code)
        times = []
        for _ in range(args.requests):
            begun = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200
        times.sort()
        p50, p95 = statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]
        results.append((url, username, p50, p95, len(response.content)))
        print(f"{url:<20}{username:<14}p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(response.content):,} B", flush=True)
    for url, username, p50, p95, size in results:
        figure(f"GET {url} as {username} p95 ({connection.vendor}, {args.incidents:,} incidents)", p95, "ms",
               TARGET_P95_MS, detail=f"p50 {p50:.1f} ms, {size:,} bytes")
    serving_rss_figure(f"board/home, {connection.vendor}", [{"user": username, "url": url} for url, username in PAGES])


if __name__ == "__main__":
    main()
