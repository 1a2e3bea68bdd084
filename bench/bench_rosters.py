"""Coverage check of a year of duty rosters for 154 systems (target: < 1 s).

    PYTHONPATH=src .venv/bin/python bench/bench_rosters.py [--systems 154] [--repeat 3]

Pure arithmetic (tongyun.domain.rosters on the 2026 working calendar), no database: each system's roster
has three layers — working-day day shift 08:30–17:30 (3 people, daily hand-over), nights 17:30–08:30
(4 people), rest days and holidays 24 h from 08:30 (2 people, weekly hand-over) — and 12 overrides;
every fifth system leaves its rest-day layer out, so its weekends and holidays are found as gaps. Each run
starts with cold caches, builds the layers' day sets from the working calendar once (they depend on the
calendar only; the selectors memoise them the same way), builds every system's layers and computes the
gaps of 2026-01-01 … 2027-01-01.

Result (2026-12-01, 2 shared cores, Python 3.11): median 0.418 s, 1643 gaps found (86,304 uncovered hours).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure, rss_figure  # noqa: E402

from tongyun.domain import rosters  # noqa: E402
from tongyun.domain.working_calendar import WorkingCalendar  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
START, END = datetime(2026, 1, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ)


def day_sets(calendar: WorkingCalendar) -> tuple[frozenset, frozenset]:
    first, last = date(2025, 12, 31), date(2026, 12, 31)
    return (rosters.layer_days(first, last, calendar, kind="working"),
            rosters.layer_days(first, last, calendar, kind="rest"))


def build(days: tuple[frozenset, frozenset], system: int):
    working, rest = days
    start = datetime(2025, 12, 31, 8, 30, tzinfo=TZ)
    layers = [
        rosters.Layer(start=start, shift=timedelta(days=1), members=(f"{system}-d1", f"{system}-d2", f"{system}-d3"),
                      days=working, window=(datetime.min.time().replace(hour=8, minute=30),
                                            datetime.min.time().replace(hour=17, minute=30)), name="day"),
        rosters.Layer(start=start, shift=timedelta(days=1), members=tuple(f"{system}-n{i}" for i in range(4)),
                      days=working, window=(datetime.min.time().replace(hour=17, minute=30),
                                            datetime.min.time().replace(hour=8, minute=30)), name="night"),
    ]
    if system % 5:
        layers.append(rosters.Layer(start=start, shift=timedelta(days=7), members=(f"{system}-r1", f"{system}-r2"),
                                    days=rest, window=(datetime.min.time().replace(hour=8, minute=30),
                                                       datetime.min.time().replace(hour=8, minute=30)), name="rest"))
    overrides = [rosters.Override(datetime(2026, m, 10, 9, tzinfo=TZ), datetime(2026, m, 10, 21, tzinfo=TZ),
                                  f"{system}-x") for m in range(1, 13)]
    return layers, overrides


def run(systems: int, calendar: WorkingCalendar) -> tuple[float, int, float]:
    rosters.clear_caches()  # each run starts cold
    began = time.perf_counter()
    gap_count, hours = 0, 0.0
    days = day_sets(calendar)  # depend on the calendar only: built once per run (the selectors memoise them)
    for system in range(systems):
        layers, overrides = build(days, system)
        found = rosters.gaps(layers, overrides, START, END)
        gap_count += len(found)
        hours += rosters.uncovered_hours(found)
    return time.perf_counter() - began, gap_count, hours


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=154)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    calendar = WorkingCalendar()
    calendar.is_working_day(date(2026, 1, 1))  # load the year once
    times = []
    for _ in range(args.repeat):
        seconds, gap_count, hours = run(args.systems, calendar)
        times.append(seconds)
    print(f"coverage check, {args.systems} systems × 1 year (2026), 2–3 layers + 12 overrides each")
    print(f"  gaps found: {gap_count} ({hours:.0f} uncovered hours, all in the systems without a rest-day layer)")
    print(f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s over {args.repeat} runs "
          f"(target < 1 s): {'OK' if statistics.median(times) < 1 else 'TOO SLOW'}")
    figure(f"rosters: coverage check, {args.systems} systems × 1 year (median)", statistics.median(times), "s", 1.0)
    rss_figure("rosters bench")


if __name__ == "__main__":
    main()
