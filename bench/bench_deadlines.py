"""Benchmark: SLA deadline computations per second (pure Python core, no Django).

Run by hand:

    .venv/bin/python bench/bench_deadlines.py [--reports 200000] [--repeat 5] [--seed 2026]

Draws random report moments (uniform, to the second) in 2026-01-01 … 2026-12-20 Asia/Shanghai — the upper
bound keeps "7 个工作日" deadlines inside 2026, since 2027 is unknown to chinesecalendar and would raise
CalendarUnknown — and gives each one a random policy from the two dominant tender templates:

    template A: 8 h / 7 working days, 4 h / 48 h, 1 h / 24 h, 30 min / 8 h
    template B: 4 h / 5 working days, 2 h / 24 h, 30 min / 8 h, 15 min / 4 h

Each report costs two computations (response deadline and repair deadline) through the public
``tongyun.domain.sla_clock.deadline``. Prints computations per second — cold (fresh calendar: year
compilation and empty memo included) and the best of --repeat warm passes — and the ratio to the
1,000,000/s target. A second table times each kind of target alone, plus working-hour targets and
``deadline_with_pauses`` for information.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure, rss_figure  # noqa: E402

from tongyun.domain.sla_clock import Target, deadline, deadline_with_pauses  # noqa: E402
from tongyun.domain.working_calendar import SHANGHAI, WorkingCalendar  # noqa: E402

TARGET_PER_SECOND = 1_000_000  # issue #16 (it was 200,000)

POLICIES = {
    "A 8h/7wd": (Target(8, "hour"), Target(7, "working_day")),
    "A 4h/48h": (Target(4, "hour"), Target(48, "hour")),
    "A 1h/24h": (Target(1, "hour"), Target(24, "hour")),
    "A 30min/8h": (Target(30, "minute"), Target(8, "hour")),
    "B 4h/5wd": (Target(4, "hour"), Target(5, "working_day")),
    "B 2h/24h": (Target(2, "hour"), Target(24, "hour")),
    "B 30min/8h": (Target(30, "minute"), Target(8, "hour")),
    "B 15min/4h": (Target(15, "minute"), Target(4, "hour")),
}


def random_moments(rng: random.Random, n: int) -> list[datetime]:
    start = datetime(2026, 1, 1, tzinfo=SHANGHAI)
    span = int((datetime(2026, 12, 20, tzinfo=SHANGHAI) - start).total_seconds())
    return [start + timedelta(seconds=rng.randrange(span)) for _ in range(n)]


def run(jobs: list[tuple[datetime, Target]], calendar: WorkingCalendar) -> float:
    t0 = time.perf_counter()
    for reported_at, target in jobs:
        deadline(reported_at, target, calendar)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200_000, help="random reports (2 computations each)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    moments = random_moments(rng, args.reports)
    policies = list(POLICIES.values())
    jobs: list[tuple[datetime, Target]] = []
    for reported_at in moments:
        response, repair = rng.choice(policies)
        jobs.append((reported_at, response))
        jobs.append((reported_at, repair))
    n = len(jobs)
    print(f"tongyun SLA deadline bench: {args.reports:,} reports × 2 = {n:,} deadline computations")
    print(f"Python {sys.version.split()[0]}, one core (single thread)")
    print(f"policies: {', '.join(POLICIES)}")

    cold_calendar = WorkingCalendar()
    cold = n / run(jobs, cold_calendar)
    warm = max(n / run(jobs, cold_calendar) for _ in range(args.repeat))
    load = os.getloadavg()[0]  # the figure is wall-clock on a shared machine: say how shared it was
    print()
    print(f"{'mixed policies':<34}{'per second':>14}{'vs 1,000,000/s':>14}")
    print("-" * 62)
    print(f"{'cold (fresh calendar, first pass)':<34}{cold:>14,.0f}{cold / TARGET_PER_SECOND:>13.2f}×")
    print(f"{f'warm (best of {args.repeat})':<34}{warm:>14,.0f}{warm / TARGET_PER_SECOND:>13.2f}×")
    figure("SLA deadlines, mixed tender policies, warm", warm, "/s", TARGET_PER_SECOND, at_least=True,
           detail=f"wall clock, best of {args.repeat}; cold {cold:,.0f}/s; "
                  f"{n:,} computations; load {load:.1f}")

    print()
    print(f"{'by kind of target (warm, best of 3)':<34}{'per second':>14}")
    print("-" * 48)
    sample = moments[: min(len(moments), 100_000)]
    kinds = {
        "calendar time (4 h)": Target(4, "hour"),
        "5 working days": Target(5, "working_day"),
        "7 working days": Target(7, "working_day"),
        "8 working hours": Target(8, "working_hour"),
    }
    for label, target in kinds.items():
        kind_jobs = [(m, target) for m in sample]
        rate = max(len(kind_jobs) / run(kind_jobs, cold_calendar) for _ in range(3))
        print(f"{label:<34}{rate:>14,.0f}")
    pause_target = Target(5, "working_day")
    pauses = [[(m + timedelta(hours=1), m + timedelta(hours=20))] for m in sample[:20_000]]
    t0 = time.perf_counter()
    for m, p in zip(sample[:20_000], pauses, strict=True):
        deadline_with_pauses(m, pause_target, cold_calendar, p)
    rate = 20_000 / (time.perf_counter() - t0)
    print(f"{'5 working days, one 19 h pause':<34}{rate:>14,.0f}")
    rss_figure("deadlines bench")


if __name__ == "__main__":
    main()
