"""Benchmark: SLA compliance tables, the incident list API and the SLA sweep over 1,000,000 incidents.

Run by hand, on PostgreSQL (the database is created if missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_incidents .venv/bin/python bench/bench_incidents.py \
        [--incidents 1000000] [--repeat 5] [--requests 50]

or on SQLite (fresh data dir, default 100,000 incidents):

    TONGYUN_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_incidents.py

It migrates, loads the real catalog and the demo accounts, then bulk-inserts the incidents that are
missing (COPY on PostgreSQL), spread uniformly over 2026-01-01 … NOW (2026-11-25 12:00 Beijing time)
and over every system, with realistic states and due moments: severities 45 % minor, 35 % general,
15 % serious, 5 % urgent, 2 % without targets; due moments = report + a fixed offset per severity
(response 8 h / 4 h / 1 h / 30 min, repair 9 d / 48 h / 24 h / 8 h; risk at 80 %); response done
after 5–125 % of its budget, repair after 10–120 % (so ~20 % and ~9 % late); 1 % cancelled; tickets
older than two weeks are finished but for 0.5 % stuck open, younger ones are open with a probability
that falls with age. Open tickets already due before NOW − 10 min get their notifications (the steady
state of a sweep that runs every few minutes). Then ANALYZE, and it times:

(a) compliance_table for one month (October 2026) by unit, by system and by category, as bureau_admin
    and as a unit admin — median of --repeat runs after one warm-up; target < 1 s;
(b) GET /api/v1/incidents (first page, ?clock=breached, ?unit=<unit with most incidents>, and the first
    page as a unit admin) through django.test.Client with a bearer token — p50/p95 over --requests
    requests after one warm-up; budget (ours) p95 < 100 ms;
(c) one services.sweep_clocks(NOW) — only the clocks that crossed their moment in the last 10 minutes
    are new — and a second one right after (nothing new: the cost of its queries alone); budget (ours) < 1 s.

A rerun on the same database skips the insert and deletes what the previous run's sweep created.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure, serving_rss_figure  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")  # the bench fetches bureau_admin's token without TOTP
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")

warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: STATIC_ROOT not collected


def ensure_database() -> None:
    """CREATE DATABASE for DATABASE_URL if it does not exist (connecting to the `postgres` database)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname or "localhost", port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname="postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"· create database {name}", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongyun.catalog.models import System  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import demo_password, ensure_demo_accounts  # noqa: E402
from tongyun.domain import incident_lifecycle as lifecycle  # noqa: E402
from tongyun.incidents import compliance, services  # noqa: E402
from tongyun.incidents.models import Incident, Notification  # noqa: E402
from tongyun.parties.models import User  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 1, 1, tzinfo=SH)
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=SH)
MONTH = dt.date(2026, 10, 1)
TITLE = "BENCH 故障"
H = dt.timedelta(hours=1)
# severity: (share, response budget, repair budget); "other" has no numeric target (e.g. "及时维修")
SEVERITIES = {
    "minor": (0.45, 8 * H, 9 * 24 * H),
    "general": (0.35, 4 * H, 48 * H),
    "serious": (0.13, 1 * H, 24 * H),
    "urgent": (0.05, H / 2, 8 * H),
    "other": (0.02, None, None),
}
OPEN_NOT_ACKNOWLEDGED = ["reported", "triaged", "dispatched"]
OPEN_ACKNOWLEDGED = ["acknowledged", "on_site", "in_progress", "in_progress", "waiting_user", "waiting_parts"]
TARGETS = {"compliance": 1000.0, "list p95": 100.0, "sweep": 1000.0}  # ms


def step(message: str) -> float:
    print(f"· {message}", flush=True)
    return time.perf_counter()


def done(started: float) -> None:
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)


def incident_rows(count: int, seed: int, systems: list[int], staff: list[int], dispatcher: int):
    """Yield `count` incidents as {attname: value}, reproducibly."""
    rng = random.Random(seed)
    span = (NOW - START).total_seconds()
    names, weights = list(SEVERITIES), [share for share, _r, _p in SEVERITIES.values()]
    policies = {
        name: json.dumps({"term_id": None, "tier": name, "bench": True,
                          "targets": {"response": str(r), "repair": str(p)} if r else {}}, ensure_ascii=False)
        for name, (_share, r, p) in SEVERITIES.items()
    }
    for number in range(count):
        severity = rng.choices(names, weights)[0]
        _share, response, repair = SEVERITIES[severity]
        reported = START + dt.timedelta(seconds=rng.random() * span)
        age = NOW - reported
        row = {"system_id": systems[number % len(systems)], "severity": severity, "reported_at": reported,
               "created_at": reported, "reported_by_id": dispatcher, "reporter_name": "调度",
               "policy": policies[severity], "title": f"{TITLE} {number}"}
        if response is not None:
            row.update(response_due=reported + response, repair_due=reported + repair,
                       response_risk_at=reported + response * 0.8, repair_risk_at=reported + repair * 0.8)
        acknowledged = reported + (response or H) * rng.uniform(0.05, 1.25)
        resolved = max(acknowledged, reported + (repair or 24 * H) * rng.uniform(0.1, 1.2))
        if rng.random() < 0.01:
            row["state"] = "cancelled"
            yield row
            continue
        if age > dt.timedelta(days=14):
            finished = rng.random() >= 0.005
        else:
            finished = resolved <= NOW and rng.random() < min(0.97, age / ((repair or 24 * H) * 1.5))
        if finished and resolved <= NOW:
            state = rng.choices(["closed", "confirmed", "resolved"], [85, 10, 5])[0]
            row.update(state=state, acknowledged_at=acknowledged, resolved_at=resolved,
                       assignee_id=staff[number % len(staff)], cause="硬件故障", action_taken="更换部件")
            if state in ("confirmed", "closed"):
                row["confirmed_at"] = resolved + H
            if state == "closed":
                row["closed_at"] = resolved + 2 * H
        elif acknowledged <= NOW:
            state = rng.choice(OPEN_ACKNOWLEDGED)
            row.update(state=state, acknowledged_at=acknowledged, assignee_id=staff[number % len(staff)])
            if state.startswith("waiting_"):
                row["paused_since"] = acknowledged + (NOW - acknowledged) * rng.random()
        else:
            row["state"] = rng.choice(OPEN_NOT_ACKNOWLEDGED)
        yield row


def district_with_incidents(count: int, seed: int) -> None:
    """The benches that read a year of tickets start the same way: schema, the 154 systems, the demo
    accounts, `count` incidents, then fresh planner statistics (and, on PostgreSQL, the visibility map that
    lets the month's facts use an index-only scan of the covering index, as autovacuum would after a load)."""
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    insert_incidents(count, seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def insert_incidents(count: int, seed: int) -> None:
    existing = Incident.objects.count()
    if existing >= count:
        print(f"· {existing:,} incidents already there")
        return
    missing = count - existing
    started = step(f"insert {missing:,} incidents ({existing:,} already there)")
    systems = list(System.objects.order_by("id").values_list("id", flat=True))
    staff = list(User.objects.filter(username__in=["engineer", "onsite", "electrician"]).values_list("id", flat=True))
    dispatcher = User.objects.get(username="dispatcher").pk
    fields = [f for f in Incident._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        default = field.get_default() if field.has_default() else (None if field.null else "")
        defaults[field.attname] = json.dumps(default) if field.get_internal_type() == "JSONField" else default
    rows = incident_rows(missing, seed + existing, systems, staff, dispatcher)
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {Incident._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
    else:
        batch = []
        for row in rows:
            row["policy"] = json.loads(row["policy"])
            batch.append(Incident(**{**{k: v for k, v in defaults.items() if k != "policy"}, **row}))
            if len(batch) == 5000:
                Incident.objects.bulk_create(batch)
                batch = []
        Incident.objects.bulk_create(batch)
    done(started)


def steady_state_notifications(before: dt.datetime) -> int:
    """The notifications a sweep running until `before` would have created (one recipient each)."""
    started = step(f"notifications of the clocks due before {before:%m-%d %H:%M} (steady state)")
    dispatcher = User.objects.get(username="dispatcher")
    created = 0
    for kind, due_field, risk_field, done_field, pausable in services.SWEEPS:
        condition = Q(state__in=list(lifecycle.OPEN_STATES), **{f"{done_field}__isnull": True})
        condition &= Q(**{f"{risk_field}__lte": before}) if risk_field else Q(**{f"{due_field}__lt": before})
        if pausable:
            condition &= Q(paused_since__isnull=True)
        ids = Incident.objects.filter(condition).values_list("id", flat=True)
        batch = [Notification(incident_id=pk, kind=kind, recipient=dispatcher, channel="in_app",
                              sent_at=before) for pk in ids.iterator(chunk_size=5000)]
        created += len(Notification.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True))
    done(started)
    return created


def median_ms(function, repeat: int) -> tuple[float, float, object]:
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), result


def percentiles(client: Client, url: str, requests: int, headers: dict) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[max(0, round(0.95 * len(times)) - 1)],
            "queries": len(queries), "rows": len(response.json()["results"])}


def token(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": demo_password()},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def main() -> None:
    postgres = connection.vendor == "postgresql"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000 if postgres else 100_000,
                        help="incidents in the database (default 1,000,000 on PostgreSQL, 100,000 on SQLite)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per compliance table (default 5)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per list URL (default 50)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    where = os.environ.get("DATABASE_URL", "").split("@")[-1] or os.environ["TONGYUN_DATA_DIR"]
    print(f"tongyun incidents bench: {args.incidents:,} incidents, database {where} ({connection.vendor})")
    started = step("migrate, load catalog and demo accounts")
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    done(started)
    insert_incidents(args.incidents, args.seed)
    if not Notification.objects.exists():
        steady_state_notifications(NOW - dt.timedelta(minutes=10))
    else:  # a rerun: back to the steady state (what a previous run's sweep created is unsent)
        Notification.objects.filter(sent_at__isnull=True).delete()
    started = step("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    done(started)

    total = Incident.objects.count()
    start, end = compliance.month_bounds(MONTH)
    in_month = Incident.objects.filter(reported_at__gte=start, reported_at__lt=end).count()
    open_count = Incident.objects.filter(state__in=list(lifecycle.OPEN_STATES)).count()
    print(f"· {total:,} incidents, {in_month:,} reported in {MONTH:%Y-%m}, {open_count:,} open at NOW")

    bureau, unit_admin = User.objects.get(username="bureau_admin"), User.objects.get(username="unit_admin")
    results = []  # (name, figure ms, target ms, detail)
    for user in (bureau, unit_admin):
        for group_by in compliance.GROUPINGS:
            ms, _min, table = median_ms(lambda u=user, g=group_by: compliance.compliance_table(
                u, month=MONTH, group_by=g, now=NOW), args.repeat)
            detail = f"{len(table['rows'])} rows, {table['total']['incidents']:,} incidents, " \
                     f"{table['total']['breaches']:,} breaches"
            results.append((f"compliance {MONTH:%Y-%m} by {group_by} ({user.username})", ms,
                            TARGETS["compliance"], "median", detail))
    ms, _min, _page = median_ms(lambda: list(compliance.breach_list(bureau, MONTH, now=NOW)[:50]), args.repeat)
    results.append((f"breach list {MONTH:%Y-%m}, first 50 (bureau_admin)", ms, TARGETS["compliance"], "median", ""))

    client = Client()
    bearer, unit_bearer = token(client, "bureau_admin"), token(client, "unit_admin")
    unit_id, unit_incidents = (Incident.objects.values_list("system__unit_id").annotate(n=Count("id"))
                               .order_by("-n").first())
    urls = [("/api/v1/incidents", bearer, "bureau_admin"),
            ("/api/v1/incidents?clock=breached", bearer, "bureau_admin"),
            (f"/api/v1/incidents?unit={unit_id}", bearer, f"bureau_admin, {unit_incidents:,} incidents"),
            (f"/api/v1/incidents?unit={unit_id}&clock=breached", bearer, "bureau_admin"),
            ("/api/v1/incidents", unit_bearer, "unit_admin")]
    for url, headers, who in urls:
        measured = percentiles(client, url, args.requests, headers)
        results.append((f"GET {url} p95", measured["p95"], TARGETS["list p95"], "p95",
                        f"p50 {measured['p50']:.1f} ms, {measured['queries']} queries, {who}"))

    before = Notification.objects.count()
    started = time.perf_counter()
    created = services.sweep_clocks(NOW)
    sweep_ms = (time.perf_counter() - started) * 1000
    results.append(("sweep_clocks(NOW), one run", sweep_ms, TARGETS["sweep"], "once",
                     f"{created} notifications created ({before:,} before)"))
    started = time.perf_counter()
    again = services.sweep_clocks(NOW)
    results.append(("sweep_clocks(NOW) again: nothing new, the queries alone", (time.perf_counter() - started) * 1000,
                    TARGETS["sweep"], "once", f"{again} notifications created"))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print()
    print(f"{'measure':<62} {'ms':>8} {'target':>7} {'ratio':>6}  detail")
    print("-" * 130)
    for name, measured, target, _kind, detail in results:
        print(f"{name:<62} {measured:>8.1f} {target:>7.0f} {measured / target:>6.2f}  {detail}")
    print("-" * 130)
    misses = [name for name, measured, target, _kind, _detail in results if measured > target]
    print("all figures within their targets" if not misses else f"missed: {', '.join(misses)}")
    print(f"peak RSS: {peak_mb:.0f} MiB")
    for name, value, target, _kind, detail in results:
        figure(f"incidents {name} ({connection.vendor})", value, "ms", target, detail=detail)
    serving_rss_figure(f"incidents API, {connection.vendor}",
                       [{"url": url, "headers": headers} for url, headers, _who in urls])


if __name__ == "__main__":
    main()
