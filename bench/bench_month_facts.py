"""Benchmark: the incidents' monthly facts of all systems (what the evaluation pre-fill reads), with the
covering index of incidents migration 0006 and with the plain reported_at index it replaced — in one run,
on the same data, so that the machine's load does not decide the comparison.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_eval .venv/bin/python bench/bench_month_facts.py \
        [--incidents 1000000]

The "before" figure swaps the index inside a transaction that is rolled back. Prints, per variant, the
median and max over the 12 months of 2026 of incidents.facts.month_figures for the 154 systems, and the
plan's scan node on PostgreSQL. On SQLite INCLUDE does not exist: both variants are a reported_at index.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_incidents as base  # noqa: E402  (sets up Django)
from django.db import connection, transaction  # noqa: E402

from tongyun.catalog.models import System  # noqa: E402
from tongyun.incidents import facts  # noqa: E402

TARGET_S = 0.5  # a month's facts for every system: a quarter of the pre-fill's 2 s


class Rollback(Exception):
    pass


def months() -> list[dt.date]:
    return [dt.date(2026, m, 1) for m in range(1, 13)]


def measure(ids) -> list[float]:
    facts.month_figures(ids, dt.date(2026, 1, 1))  # warm the cache: both variants read warm pages
    times = []
    for month in months():
        started = time.perf_counter()
        facts.month_figures(ids, month)
        times.append(time.perf_counter() - started)
    return times


def plan(ids) -> str:
    if connection.vendor != "postgresql":
        return "(SQLite)"
    from django.db.models import Count

    start, end = facts.month_bounds(dt.date(2026, 6, 1))
    lines = (facts.Incident.objects.filter(system_id__in=ids, reported_at__gte=start, reported_at__lt=end)
             .exclude(state="cancelled").order_by().values("system_id").annotate(n=Count("id"), s=Count("severity"))
             .explain()).splitlines()
    return next((line.strip() for line in lines if "Scan" in line), lines[0]).split("  (")[0]


def report(name: str, times: list[float], scan: str) -> None:
    median = statistics.median(times)
    print(f"{name}: month's facts of all systems, median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"(target < {TARGET_S * 1000:.0f} ms, ratio {median / TARGET_S:.2f}) — {scan}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1_000_000)
    args = parser.parse_args()
    base.district_with_incidents(args.incidents, seed=7)
    ids = list(System.objects.values_list("id", flat=True))
    after = measure(ids)
    report("after (covering index)", after, plan(ids))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP INDEX incident_month_facts")
            cursor.execute("CREATE INDEX incident_reported_at ON incidents_incident (reported_at)")
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE incidents_incident")
            report("before (plain reported_at index)", measure(ids), plan(ids))
            raise Rollback
    except Rollback:
        pass
    print(f"incidents: {facts.Incident.objects.count():,}; systems: {len(ids)}")


if __name__ == "__main__":
    main()
