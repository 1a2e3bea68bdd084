"""Benchmark: the worker's daily report run on 1 November 2026 — the monthly O&M reports of every system for
October 2026 (and the other drafts due that day) — over 1,000,000 incidents on PostgreSQL. Target < 60 s
for the systems' monthly reports (issue #14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python bench/bench_reports.py \
        [--incidents 1000000]

or on SQLite (default 100,000 incidents; reuse a data dir to keep its incidents between runs):

    TONGYUN_DATA_DIR=/tmp/bench-reports .venv/bin/python bench/bench_reports.py --incidents 100000

The incidents are those of bench/bench_incidents.py (same set-up, done once per database). The drafts the
run makes are deleted first, so every run generates them all. It runs services.generate_due(1 November),
the function the task reports.tasks.daily_reports calls (the task itself would take today's date), and
prints FIGURE lines (bench/benchfmt.py): the systems' monthly reports in seconds and per report, the whole
run, and the process's peak RSS.
"""

import argparse
import datetime as dt
import os
import time

import bench_incidents  # noqa: F401 - sets up Django on DATABASE_URL (and creates the database)
from bench_incidents import district_with_incidents
from benchfmt import figure, rss_figure
from django.db import connection

from tongyun.incidents.models import Incident
from tongyun.reports import services, types
from tongyun.reports.models import Report

RUN_DAY = dt.date(2026, 11, 1)  # the worker's run that drafts October's monthly reports
MONTHLY = "om_monthly_system"
TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    district_with_incidents(args.incidents, args.seed)
    for report_type in types.registered():
        for period in services.periods_to_generate(report_type, RUN_DAY):
            Report.objects.filter(type_key=report_type.key, period_start=period.start).delete()

    seconds: dict[str, float] = {}
    created: dict[str, int] = {}
    generate_period = services.generate_period

    def timed(report_type, start, end, now=None):  # generate_due calls it once per type and period
        started = time.perf_counter()
        outcome = generate_period(report_type, start, end, now=now)
        seconds[report_type.key] = seconds.get(report_type.key, 0) + time.perf_counter() - started
        created[report_type.key] = created.get(report_type.key, 0) + outcome.created
        return outcome

    services.generate_period = timed
    started, cpu = time.perf_counter(), time.process_time()
    outcome = services.generate_due(today=RUN_DAY)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu  # CPU: this process, not the DB's
    services.generate_period = generate_period

    incidents = f"{Incident.objects.count():,} incidents ({connection.vendor})"
    monthly, count = seconds.get(MONTHLY, 0.0), created.get(MONTHLY, 0)
    print("· " + "; ".join(f"{key}: {created[key]} in {seconds[key]:.1f} s" for key in seconds))
    figure("monthly O&M reports of every system for 2026-10 (worker)", monthly, "s", TARGET_S,
           detail=f"{count} reports, services.generate_due({RUN_DAY}); {incidents}")
    figure("monthly O&M report, per report", 1000 * monthly / max(count, 1), "ms", round(1000 * TARGET_S / 154),
           detail=f"{count} reports; target = 60 s / 154 systems")
    figure("daily report run of 2026-11-01 (every type due)", total, "s", TARGET_S,
           detail=f"{outcome.created} drafts ({outcome.existing} existing), {cpu:.1f} s CPU in the worker; "
                  f"{incidents}; load average {os.getloadavg()[0]:.1f}")
    rss_figure("report worker: one chunk of services.BATCH_SIZE reports held at a time")


if __name__ == "__main__":
    main()
