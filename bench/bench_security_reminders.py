"""Benchmark: the daily reminder sweep of expiring items (certificates, licences, batteries …).

Run by hand (SQLite in a fresh data dir by default; DATABASE_URL for PostgreSQL — the database must exist):

    .venv/bin/python bench/bench_security_reminders.py [--items 100000] [--days 30] [--seed 2026]

It migrates a fresh database, loads the catalog, and creates --items expiring items spread over the 154
systems, their expiries uniform over 2026-01-01 … 2028-12-31, with lead times of 1–3 months and, for
half of them, a 7-day install window (row 62's rule). Then it times
`tongyun.security.obligations.sweep_expiry_reminders`:

1. the first sweep (day 2026-12-01): every item already inside a lead time or expired gets its reminder —
   the catch-up after a first import;
2. the same day again: nothing new (the idempotent re-run of an hourly worker);
3. one sweep per day for the next --days days: the steady state — max and median.

Target: a sweep over 100,000 items under 1 s.
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
if "TONGYUN_DATA_DIR" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-security-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
warnings.filterwarnings("ignore", message="No directory at")

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tongyun.catalog.models import System
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.security import obligations
    from tongyun.security.models import ExpiringItem, Reminder

    call_command("migrate", interactive=False, verbosity=0)
    load_tender_catalog()
    # a rerun starts empty; raw deletes (not 100,000 audited deletions one by one)
    Reminder.objects.all()._raw_delete(Reminder.objects.db)
    ExpiringItem.objects.all()._raw_delete(ExpiringItem.objects.db)
    rng = random.Random(args.seed)
    systems = list(System.objects.values_list("pk", flat=True))
    start, span = dt.date(2026, 1, 1), (dt.date(2028, 12, 31) - dt.date(2026, 1, 1)).days
    t0 = time.perf_counter()
    rows = []
    for index in range(args.items):
        item = ExpiringItem(system_id=rng.choice(systems), kind=rng.choice(["certificate", "licence", "battery"]),
                            name=f"item {index}", expires_on=start + dt.timedelta(days=rng.randrange(span + 1)),
                            renew_lead_months=rng.choice([1, 2, 3]), install_window_days=rng.choice([0, 7]))
        obligations.refresh_milestones(item)
        rows.append(item)
    ExpiringItem.objects.bulk_create(rows, batch_size=2000)
    print(f"tongyun security reminder sweep bench: {args.items:,} expiring items over {len(systems)} systems "
          f"({connection.vendor}), created in {time.perf_counter() - t0:.1f} s")

    def timed(day: dt.date) -> tuple[float, int]:
        began = time.perf_counter()
        created = obligations.sweep_expiry_reminders(day)
        return time.perf_counter() - began, created

    first_day = dt.date(2026, 12, 1)
    print(f"{'sweep':<40} {'reminders':>10} {'seconds':>9}")
    seconds, created = timed(first_day)
    print(f"{'1 first sweep (catch-up) 2026-12-01':<40} {created:>10,} {seconds:>9.3f}")
    again, none = timed(first_day)
    print(f"{'2 same day again':<40} {none:>10,} {again:>9.3f}")
    daily = [timed(first_day + dt.timedelta(days=offset)) for offset in range(1, args.days + 1)]
    times = [s for s, _c in daily]
    label = f"3 daily, {args.days} days: median / max"
    print(f"{label:<40} {statistics.median(c for _s, c in daily):>10,.0f} "
          f"{statistics.median(times):>9.3f} / {max(times):.3f}")
    steady = max(again, *times)
    verdict = "met" if steady < TARGET_SECONDS else "NOT met"
    print(f"worst daily sweep {steady:.3f} s — target < {TARGET_SECONDS:.0f} s: {verdict} "
          f"(the one-time catch-up of {created:,} reminders: {seconds:.3f} s)")
    figure(f"security reminders: worst daily sweep, {args.items:,} items", steady, "s", TARGET_SECONDS,
           detail=f"catch-up of {created:,} reminders {seconds:.1f} s (once)")
    rss_figure("security reminders bench")


if __name__ == "__main__":
    main()
