"""Benchmark: a full service year of inspection tasks for all 154 systems, and one plan change.

Run by hand on SQLite (a fresh data dir is made when none is given):

    .venv/bin/python bench/bench_inspections.py

or on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inspections .venv/bin/python …
(the database must exist). It migrates and loads the real catalog and the demo accounts, deletes any
inspection data, then times:

(a) create_plans_from_catalog(today=2026-01-01): checklists (category + per-system ones read from the
    tender), one plan per tender cadence and every task of 2026 — target < 10 s on SQLite;
(b) regenerating after one plan change (the busiest weekly plan moved from Monday to Wednesday on
    2026-06-10): rows touched (created / deleted / due date refreshed) and time; the other plans' tasks
    are checked to be unchanged;
(c) generate_all() right after (nothing to do: the cost of reading every plan's tasks).
"""

import datetime as dt
import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
import django  # noqa: E402
from benchfmt import figure, rss_figure  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import ensure_demo_accounts  # noqa: E402
from tongyun.inspections import services  # noqa: E402
from tongyun.inspections.models import (  # noqa: E402
    ChecklistItem,
    ChecklistTemplate,
    InspectionPlan,
    InspectionTask,
)
from tongyun.parties.models import User  # noqa: E402


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    InspectionTask.objects.all().delete()
    InspectionPlan.objects.all().delete()
    ChecklistTemplate.objects.all().delete()
    print(f"database: {connection.vendor}")

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = services.create_plans_from_catalog(today=dt.date(2026, 1, 1))
        elapsed = time.perf_counter() - start
    print(f"(a) full year: {elapsed:.2f} s, {len(queries)} queries — {result['plans_created']} plans, "
          f"{result['tasks_created']} tasks, {result['checklists_created']} checklists with "
          f"{ChecklistItem.objects.count()} items (target < 10 s)")
    figure(f"inspections: a full year of tasks for 154 systems ({connection.vendor})", elapsed, "s", 10.0,
           detail=f"{result['tasks_created']} tasks, {len(queries)} queries")
    by_frequency = InspectionPlan.objects.values("frequency").annotate(n=Count("tasks")).order_by("-n")
    print("    tasks by frequency: " + ", ".join(f"{r['frequency']} {r['n']}" for r in by_frequency))

    plan = (InspectionPlan.objects.filter(frequency="weekly").annotate(n=Count("tasks")).order_by("-n", "id")
            .select_related("system").first())
    others = sorted(InspectionTask.objects.exclude(plan=plan).values_list("id", "scheduled_for", "due_date",
                                                                           "assignee_id"))
    pm = User.objects.get(username="pm")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        outcome = services.update_plan(pm, plan, rrule="FREQ=WEEKLY;BYDAY=WE", today=dt.date(2026, 6, 10))
        elapsed = time.perf_counter() - start
    unchanged = others == sorted(InspectionTask.objects.exclude(plan=plan).values_list(
        "id", "scheduled_for", "due_date", "assignee_id"))
    print(f"(b) one plan change ({plan.system.name} · weekly Mon → Wed from 2026-06-10): {elapsed * 1000:.0f} ms, "
          f"{len(queries)} queries — rows touched {outcome.touched} (created {outcome.created}, deleted "
          f"{outcome.deleted}, due refreshed {outcome.updated}, kept {outcome.kept}); other plans unchanged: "
          f"{unchanged}")

    start = time.perf_counter()
    total = services.generate_all(today=dt.date(2026, 6, 10))
    print(f"(c) generate_all with nothing to do: {time.perf_counter() - start:.2f} s, rows touched {total.touched}")
    rss_figure("inspections bench")


if __name__ == "__main__":
    main()
