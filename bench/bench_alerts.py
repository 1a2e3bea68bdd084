"""Benchmark: alert ingestion through the real HTTP receiver, and an alert storm's correlation.

Run by hand. On the embedded default (SQLite, fresh data dir, gunicorn with 2 workers):

    .venv/bin/python bench/bench_alerts.py [--devices 10000] [--switches 20] [--batch 100] [--threads 4]

or on PostgreSQL (the database is created if missing; reruns start from an empty monitoring state):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_alerts .venv/bin/python bench/bench_alerts.py --workers 4

It migrates a fresh database, loads the catalog and the demo accounts, creates --switches access
switches with --devices cameras behind them (one system), and an Alertmanager source; then starts
gunicorn (tongyun.wsgi) as a subprocess and, from --threads client threads with keep-alive connections,
POSTs Alertmanager webhook bodies (version 4, --batch alerts each) to /api/v1/monitoring/alertmanager:

1. the storm: one firing alert per camera, their startsAt spread over 60 s, batches shuffled over the
   threads — events/s, and how many incidents it ends as (target ≤ --switches, one per switch);
2. the same bodies again (Alertmanager's repeat_interval, or retries): all duplicates — requests/s;
3. every alert resolved — events/s; every group closed, every outage ended;
4. sustained ingestion of alerts that map to no device (--unmapped, default 20,000): the plain
   store-and-list path — events/s (target ≥ 2,000/s).

The monitoring tables hold HISTORY_DAYS of each camera's earlier outages (seed_history), and timing starts once
every gunicorn worker has loaded the application (bench/gunicorn_ready.py).

Before the server starts, the storm's first --count-bodies bodies are ingested in-process (in one
transaction that is rolled back) counting the SQL queries: queries per correlated alert, a figure that
does not depend on the machine's load. --queries-only stops after it (no gunicorn).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
if "TONGYUN_DATA_DIR" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-alerts-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
warnings.filterwarnings("ignore", message="No directory at")

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


def ensure_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(devices: int, switches: int) -> tuple[str, int, list[tuple[str, str]]]:
    """Migrate, load, create the topology and the source; returns (token, system id, [(ip, name)])."""
    import django

    django.setup()
    from django.core.management import call_command

    from tongyun.catalog.models import Device, System
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.core.demo import ensure_demo_accounts
    from tongyun.incidents.models import Incident
    from tongyun.monitoring import services
    from tongyun.monitoring.models import AlertSource, CorrelationGroup, DeviceState, Event, Outage
    from tongyun.parties.models import User

    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    # a rerun starts from an empty monitoring state
    Outage.objects.all().delete()
    Event.objects.all().delete()
    CorrelationGroup.objects.all().delete()
    DeviceState.objects.all().delete()
    Incident.objects.filter(source="alert").delete()
    AlertSource.objects.all().delete()
    system = System.objects.filter(unit__name="公安局顺义分局").order_by("row_no").first()
    Device.objects.filter(system=system, name__startswith="BENCH-").delete()
    switch_rows = Device.objects.bulk_create([
        Device(system=system, kind="接入交换机", name=f"BENCH-SW{s:02d}", ip_address=f"10.{100 + s}.0.1")
        for s in range(switches)])
    per = devices // switches
    cams = []
    for s, switch in enumerate(switch_rows):
        for i in range(per):
            cams.append(Device(system=system, kind="摄像机", name=f"BENCH-SW{s:02d}-CAM{i:04d}", upstream=switch,
                               ip_address=f"10.{100 + s}.{i // 250 + 1}.{i % 250 + 1}"))
    Device.objects.bulk_create(cams, batch_size=2000)
    source, token = services.source_create(User.objects.get(username="bureau_admin"), name="bench",
                                           kind="alertmanager")
    seed_history(source, system, cams)
    from django.db import connection, connections

    if connection.vendor == "postgresql":
        # a rerun's deletes leave dead rows in every index: measure on tables as a running system has them
        with connection.cursor() as cursor:
            for table in ("monitoring_event", "monitoring_outage", "monitoring_correlationgroup",
                          "monitoring_devicestate", "incidents_incident", "catalog_device"):
                cursor.execute(f"VACUUM ANALYZE {table}")

    connections.close_all()
    return token, system.pk, [(c.ip_address, c.name) for c in cams]


HISTORY_DAYS = 3


def seed_history(source, system, cams) -> None:
    """The monitoring tables as a running district has them: each camera went down and came back once a day on
    the HISTORY_DAYS before the storm (a firing and a resolved event, the same fingerprint as the storm's, an
    outage that ended). On tables emptied for the run, PostgreSQL's statistics said "no rows" and it planned the
    storm's lookup of an alert's earlier deliveries as for an empty table (a bitmap scan over every event of the
    source, auto_explain), which a system holding months of alerts never does."""
    from tongyun.monitoring.models import Event, Outage

    firing, resolved = [], []
    for day in range(1, HISTORY_DAYS + 1):
        for index, camera in enumerate(cams):
            starts = T0 - dt.timedelta(days=day, seconds=-(index % 3600))
            ends = starts + dt.timedelta(minutes=10)
            common = {"source": source, "fingerprint": f"cam-{index}", "starts_at": starts, "system": system,
                      "device": camera, "severity": "general", "summary": f"{camera.ip_address} 离线",
                      "labels": {"alertname": "CameraOffline", "instance": f"{camera.ip_address}:80"}}
            firing.append(Event(status="firing", ends_at=ends, **common))
            resolved.append(Event(status="resolved", ends_at=ends, **common))
    Event.objects.bulk_create(firing + resolved, batch_size=2000)
    Outage.objects.bulk_create([Outage(device_id=e.device_id, system_id=e.system_id, start=e.starts_at, end=e.ends_at,
                                       cause="monitoring", fault="offline", event=e, note=e.summary)
                                for e in firing], batch_size=2000)


def alert(ip: str, status: str, starts: dt.datetime, fingerprint: str, ends: dt.datetime | None = None) -> dict:
    return {"status": status,
            "labels": {"alertname": "CameraOffline", "instance": f"{ip}:80", "severity": "warning", "job": "cameras"},
            "annotations": {"summary": f"{ip} 离线"},
            "startsAt": starts.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "endsAt": ends.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if ends else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.local/graph", "fingerprint": fingerprint}


def body(alerts: list[dict]) -> bytes:
    status = "firing" if any(a["status"] == "firing" for a in alerts) else "resolved"
    return json.dumps({"version": "4", "groupKey": "{}:{alertname=\"CameraOffline\"}", "truncatedAlerts": 0,
                       "status": status, "receiver": "tongyun", "groupLabels": {"alertname": "CameraOffline"},
                       "commonLabels": {"alertname": "CameraOffline"}, "commonAnnotations": {},
                       "externalURL": "http://alertmanager.local:9093", "alerts": alerts}).encode()


def post_all(port: int, token: str, bodies: list[bytes], threads: int) -> dict:
    """POST every body from `threads` keep-alive connections; returns timings and the summed answers."""
    work: queue.Queue = queue.Queue()
    for item in bodies:
        work.put(item)
    latencies, totals, errors = [], {"created": 0, "duplicates": 0, "unmapped": 0}, []
    lock = threading.Lock()
    incidents: set[int] = set()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                break
            start = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/monitoring/alertmanager", item, {
                    "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(f"{response.status} {payload[:200]!r}")
                    continue
                answer = json.loads(payload)
                for key in totals:
                    totals[key] += answer[key]
                incidents.update(answer["incidents"])
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"wall": wall, "requests": len(latencies), "errors": errors, "incidents": incidents, **totals,
            "p50": statistics.median(latencies) * 1000 if latencies else 0,
            "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0}


def count_queries(bodies: list[bytes], count: int) -> tuple[float, float, dict[str, int]]:
    """Queries per alert over the first `count` bodies, ingested in-process and rolled back; alerts/s of
    that in-process run (one thread, queries captured); and the queries by kind (the first words and
    table of each statement) for the breakdown."""
    from collections import Counter

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tongyun.monitoring import receivers, services
    from tongyun.monitoring.models import AlertSource

    source = AlertSource.objects.get(name="bench")
    kinds: Counter = Counter()
    queries = alerts = 0
    started = time.perf_counter()
    with transaction.atomic():
        for item in bodies[:count]:
            batch = receivers.parse_alertmanager_batch(json.loads(item))
            with CaptureQueriesContext(connection) as captured:
                services.ingest(source, batch.alerts)
            queries += len(captured.captured_queries)
            alerts += len(batch.alerts)
            for query in captured.captured_queries:
                words = query["sql"].split()
                table = next((w for w in words if w.startswith('"monitoring_') or w.startswith('"incidents_')
                              or w.startswith('"catalog_') or w.startswith('"parties_')), "")
                kinds[f"{words[0]} {table}"] += 1
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    connection.close()
    return queries / alerts, alerts / elapsed, dict(kinds.most_common())


def start_server(workers: int) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free port; returns once every worker has loaded the application (bench/gunicorn_ready.py)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ready = Path(tempfile.mkdtemp(prefix="tongyun-bench-ready-"))
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "tongyun.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "120", "--log-level", "warning",
         "--config", str(ROOT / "bench" / "gunicorn_ready.py")],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "TONGYUN_BENCH_READY_DIR": str(ready)}, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(list(ready.iterdir())) >= workers:
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                return server, port
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def line(label: str, result: dict, events: int) -> str:
    rate = events / result["wall"] if result["wall"] else 0
    return (f"{label:<34}{events:>8,}{result['requests']:>7}{result['wall']:>8.1f}{rate:>10,.0f}"
            f"{result['p50']:>9.0f}{result['p95']:>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--switches", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--unmapped", type=int, default=20_000)
    parser.add_argument("--count-bodies", type=int, default=20)
    parser.add_argument("--queries-only", action="store_true")
    args = parser.parse_args()
    ensure_database()
    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"tongyun alert bench: {args.devices:,} cameras behind {args.switches} switches, batches of {args.batch}, "
          f"{args.threads} client threads, gunicorn {args.workers} workers, {backend}")
    started = time.perf_counter()
    token, _system_id, cams = setup(args.devices, args.switches)
    print(f"· setup (migrate, catalog, topology, source) {time.perf_counter() - started:.1f} s")
    rng = random.Random(5)
    order = list(range(len(cams)))
    rng.shuffle(order)  # the storm arrives interleaved over the switches
    firing = [alert(cams[i][0], "firing", T0 + dt.timedelta(seconds=60 * n / len(cams)), f"cam-{i}")
              for n, i in enumerate(order)]
    firing_bodies = [body(firing[s:s + args.batch]) for s in range(0, len(firing), args.batch)]
    per_alert, in_process, kinds = count_queries(firing_bodies, args.count_bodies)
    vendor = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print("· queries of the first storm bodies, by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    figure(f"alerts: queries per correlated alert ({vendor})", per_alert, "queries", 0.5,
           detail=f"first {args.count_bodies} shuffled bodies of {args.batch}, in-process, rolled back; "
                  f"{in_process:,.0f} alerts/s so (one thread, no HTTP)")
    if args.queries_only:
        return
    server, port = start_server(args.workers)
    try:
        print(f"\n{'phase':<34}{'alerts':>8}{'reqs':>7}{'wall s':>8}{'alerts/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
        print("-" * 85)
        storm = post_all(port, token, firing_bodies, args.threads)
        print(line("1 storm: firing", storm, storm["created"]))
        repeat = post_all(port, token, firing_bodies, args.threads)
        print(line("2 repeat delivery (duplicates)", repeat, repeat["duplicates"]))
        resolved = [alert(a["labels"]["instance"].split(":")[0], "resolved",
                          dt.datetime.strptime(a["startsAt"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC),
                          a["fingerprint"], ends=T0 + dt.timedelta(minutes=20)) for a in firing]
        rng.shuffle(resolved)
        resolve = post_all(port, token, [body(resolved[s:s + args.batch])
                                         for s in range(0, len(resolved), args.batch)], args.threads)
        print(line("3 resolved", resolve, resolve["created"]))
        unmapped = [alert(f"192.0.{(i // 250) % 250}.{i % 250 + 1}", "firing", T0, f"x-{i}")
                    for i in range(args.unmapped)]
        for item in unmapped:
            item["labels"]["instance"] = f"unknown-host-{item['fingerprint']}:80"
        plain = post_all(port, token, [body(unmapped[s:s + args.batch]) for s in range(0, len(unmapped), args.batch)],
                         args.threads)
        print(line("4 sustained, unmapped alerts", plain, plain["created"]))
        print("-" * 85)
        errors = storm["errors"] + repeat["errors"] + resolve["errors"] + plain["errors"]
        print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
        worker_rss = gunicorn_peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from tongyun.incidents.models import Incident
    from tongyun.monitoring.models import CorrelationGroup, Event, Outage

    incidents = Incident.objects.filter(source="alert")
    groups = CorrelationGroup.objects.all()
    print(f"\nstorm: {storm['created']:,} alerts in 60 s over {args.switches} switches → {incidents.count()} incidents "
          f"(target ≤ {args.switches}); {groups.count()} groups, "
          f"{groups.filter(likely_cause__name__startswith='BENCH-SW').count()} with a switch as likely cause, "
          f"{groups.filter(closed_at__isnull=True).count()} still open after the resolves")
    print(f"events stored: {Event.objects.count():,}; outages: {Outage.objects.count():,} "
          f"({Outage.objects.filter(end__isnull=True).count()} open)")
    rate_storm = storm["created"] / storm["wall"]
    rate_plain = plain["created"] / plain["wall"]
    print(f"ratios: storm/target {rate_storm / 2000:.2f}, unmapped/target {rate_plain / 2000:.2f}, "
          f"resolved/storm {resolve['created'] / resolve['wall'] / rate_storm:.2f}, "
          f"duplicates/storm {repeat['duplicates'] / repeat['wall'] / rate_storm:.2f}")
    print(f"bench process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB; "
          f"total {time.perf_counter() - started:.0f} s")
    figure(f"alerts: correlated storm ({vendor}, {args.workers} workers)", rate_storm, "alerts/s", 2000,
           at_least=True, detail=f"{storm['created']:,} alerts → {incidents.count()} incidents "
                                 f"(≤ {args.switches}); p95 {storm['p95']:.0f} ms")
    figure(f"alerts: resolved ({vendor})", resolve["created"] / resolve["wall"], "alerts/s", 2000, at_least=True)
    figure(f"alerts: sustained unmapped ({vendor})", rate_plain, "alerts/s", 2000, at_least=True)
    figure(f"alerts: storm incidents ({vendor})", incidents.count(), "incidents", args.switches,
           detail="one per upstream switch")
    lost = {name: len(phase["errors"]) for name, phase in
            (("storm", storm), ("repeat", repeat), ("resolved", resolve), ("unmapped", plain))}
    figure(f"alerts: lost requests ({vendor})", sum(lost.values()), "requests", 0,
           detail=", ".join(f"{k} {v}" for k, v in lost.items()) + " (non-200 or no answer)")
    figure(f"peak RSS (gunicorn worker, alerts, {vendor})", worker_rss, "MiB", 200, detail="VmHWM of the workers")


def gunicorn_peak_rss_mib(master: int) -> float:
    """The largest VmHWM (peak resident set) among the gunicorn master's worker processes."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]))
    return peak / 1024


if __name__ == "__main__":
    main()
