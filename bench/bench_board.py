"""Benchmark: the dispatcher board and the home pages at district scale (issue #16: p95 < 150 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_board .venv/bin/python bench/bench_board.py
    .venv/bin/python bench/bench_board.py --incidents 100000 --devices 20000      # SQLite (bulk insert is slow)

It creates the PostgreSQL database if missing, migrates, loads the catalog and the demo accounts, inserts the
missing incidents (bench_incidents' generator: spread over 2026, ~2 % open, COPY on PostgreSQL) and devices,
runs VACUUM ANALYZE (ANALYZE on SQLite), then times in process (django.test.Client, a logged-in session)
GET /incidents/board/ as the dispatcher and GET / (the home page) as each kind of account: p50 / p95 over
--requests after a warm-up.
Each figure's detail also gives the median server-time split of a request — SQL (time in the database
driver, and the query count), template rendering (less the SQL run while rendering) and the web side's CPU
time (process_time: view, ORM, template) — which the VM's load moves much less than the wall-clock p95.
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
from django.template.backends import django as django_backend  # noqa: E402
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


class Split:
    """Where one request's time goes: SQL (connection.execute_wrapper) and template rendering (the
    backend's Template.render, outermost call only, less the SQL it ran — lazy querysets)."""

    def __init__(self):
        self.sql = self.template = 0.0
        self.queries = self._depth = 0

    def reset(self) -> None:
        self.sql = self.template = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += (time.perf_counter() - begun) * 1000
            self.queries += 1

    def patch_templates(self) -> None:
        original, split = django_backend.Template.render, self

        def render(template, context=None, request=None):
            split._depth += 1
            begun, sql_before = time.perf_counter(), split.sql
            try:
                return original(template, context, request)
            finally:
                split._depth -= 1
                if not split._depth:
                    split.template += (time.perf_counter() - begun) * 1000 - (split.sql - sql_before)

        django_backend.Template.render = render


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
        # VACUUM too on PostgreSQL: a table that grew over a year has been autovacuumed (visibility map, hint
        # bits) — a fresh COPY has neither, and every count then reads the heap (index-only scans can't).
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
    print(f"· setup {time.perf_counter() - started:.1f} s: {Incident.objects.count():,} incidents, "
          f"{Device.objects.count():,} devices", flush=True)

    split = Split()
    split.patch_templates()
    results = []
    for url, username in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (url, username, response.status_code)
        times, cpu, sql, template = [], [], [], []
        with connection.execute_wrapper(split):
            for _ in range(args.requests):
                split.reset()
                begun, cpu_begun = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - begun) * 1000)
                cpu.append((time.process_time() - cpu_begun) * 1000)
                sql.append(split.sql)
                template.append(split.template)
                assert response.status_code == 200
        times.sort()
        p50, p95 = statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]
        where = (f"SQL {statistics.median(sql):.1f} ms ({split.queries} queries), "
                 f"template {statistics.median(template):.1f} ms, web CPU {statistics.median(cpu):.1f} ms")
        results.append((url, username, p50, p95, len(response.content), where))
        print(f"{url:<20}{username:<14}p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {where}  {len(response.content):,} B",
              flush=True)
    load = f"{os.getloadavg()[0]:.1f}"
    for url, username, p50, p95, size, where in results:
        figure(f"GET {url} as {username} p95 ({connection.vendor}, {args.incidents:,} incidents)", p95, "ms",
               TARGET_P95_MS, detail=f"p50 {p50:.1f} ms; median {where}; {size:,} bytes; load {load}")
    serving_rss_figure(f"board/home, {connection.vendor}", [{"user": username, "url": url} for url, username in PAGES])


if __name__ == "__main__":
    main()
