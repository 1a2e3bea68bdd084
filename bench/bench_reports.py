"""Benchmark: generating the monthly O&M reports of every system for one month (October 2026) — what the
worker does on the 1st — over 1,000,000 incidents on PostgreSQL. Target < 60 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python bench/bench_reports.py \
        [--incidents 1000000]

The incidents are those of bench/bench_incidents.py (same generator: spread over 2026 and every system).
The month's existing drafts are deleted first, so every run generates them all. Prints
"figure, target, ratio".
"""

import argparse
import datetime as dt
import time

import bench_incidents  # noqa: F401 - sets up Django on DATABASE_URL (and creates the database)
from bench_incidents import district_with_incidents
from django.db import connection

from tongyun.incidents.models import Incident
from tongyun.reports import services, types
from tongyun.reports.models import Report

MONTH_START, MONTH_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    district_with_incidents(args.incidents, args.seed)
    report_type = types.get("om_monthly_system")
    Report.objects.filter(type_key=report_type.key, period_start=MONTH_START).delete()
    started = time.perf_counter()
    outcome = services.generate_period(report_type, MONTH_START, MONTH_END)
    seconds = time.perf_counter() - started
    print(f"· {Incident.objects.count():,} incidents ({connection.vendor}); {outcome.created} reports generated")
    print("figure, target, ratio")
    print(f"monthly O&M reports of {outcome.created} systems for 2026-10: {seconds:.1f} s, < {TARGET_S:.0f} s, "
          f"{seconds / TARGET_S:.2f}")


if __name__ == "__main__":
    main()
