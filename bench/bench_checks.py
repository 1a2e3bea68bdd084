"""Benchmark: built-in checks — 10,000 devices checked every 5 minutes by one worker.

Run by hand (SQLite in a fresh data dir by default, or PostgreSQL with DATABASE_URL):

    TONGYUN_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_checks.py [--checks 10000] [--concurrency 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checks .venv/bin/python bench/bench_checks.py

A separate process (forked before Django starts, so the probes and the targets do not share a CPU-bound
event loop) serves the targets on localhost with asyncio:
- --ports HTTP ports answering `200 OK` (a real HTTP/1.1 response; the TCP checks connect to them too);
- one port answering `500` (HTTP failures);
- one "silent" port that accepts and never answers (HTTP checks against it run into their timeout);
- closed ports (connection refused).
The script migrates, loads the real catalog, creates --checks devices spread over every system with one check
each (default mix: 45 % HTTP up, 40 % TCP up, 5 % HTTP 500, 5 % refused, 5 % timing out after
--timeout s), and times three full rounds of tongyun.monitoring.checks.run_round with no batch limit
and at most --concurrency probes in flight:

1. first round: every check is new (unknown → up for 85 %; one failure for the rest, no event yet);
2. second round, one interval later: the 15 % failing ones reach 2 failures → down: one firing event,
   one outage and one DeviceState update each (the event path, one savepoint per change);
3. steady round: nothing changes.

It prints checks/s, the probe/write split and the time 10,000 checks would take against the 300 s budget
(every device every 5 minutes). The budget is met when one round of all checks takes < 300 s; in
production a round takes at most TONGYUN_CHECK_BATCH checks (default 2,500), so the rounds spread out.
"""

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import resource
import socket
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
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
warnings.filterwarnings("ignore", message="No directory at")

BUDGET_SECONDS = 300.0
OK_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"
FAIL_RESPONSE = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nerror")


def free_ports(count: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def serve_targets(ok_ports: list[int], fail_port: int, silent_port: int, ready) -> None:
    """The target process: HTTP/TCP servers on localhost (never returns)."""

    async def answer(reader, writer, response):
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            writer.write(response)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, TimeoutError):
            pass  # a TCP check connects and closes
        finally:
            writer.close()

    async def silent(reader, writer):
        await asyncio.sleep(3600)

    async def main():
        servers = [await asyncio.start_server(lambda r, w: answer(r, w, OK_RESPONSE), "127.0.0.1", port, backlog=4096)
                   for port in ok_ports]
        servers.append(await asyncio.start_server(lambda r, w: answer(r, w, FAIL_RESPONSE), "127.0.0.1", fail_port,
                                                  backlog=4096))
        servers.append(await asyncio.start_server(silent, "127.0.0.1", silent_port, backlog=4096))
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=5.0, help="timeout of every check, seconds (default 5)")
    parser.add_argument("--ports", type=int, default=20, help="HTTP/TCP target ports (default 20)")
    args = parser.parse_args()

    ports = free_ports(args.ports + 3)
    ok_ports, fail_port, silent_port, closed_port = ports[:args.ports], *ports[args.ports:]
    ready = multiprocessing.Event()
    targets = multiprocessing.Process(target=serve_targets, args=(ok_ports, fail_port, silent_port, ready),
                                      daemon=True)
    targets.start()  # forked before Django is set up
    if not ready.wait(20):
        sys.exit("target servers did not start")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tongyun.catalog.models import Device, System
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.monitoring import checks
    from tongyun.monitoring.models import Check, DeviceState, Event, Outage

    where = os.environ.get("DATABASE_URL", "").split("@")[-1] or os.environ["TONGYUN_DATA_DIR"]
    print(f"tongyun checks bench: {args.checks:,} checks, concurrency {args.concurrency}, timeout {args.timeout:g} s, "
          f"database {where} ({connection.vendor})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    print(f"· migrate, load catalog: {time.perf_counter() - started:.1f} s", flush=True)

    # a rerun starts from scratch
    Outage.objects.filter(cause="check").delete()
    Event.objects.filter(source__kind="builtin").delete()
    Check.objects.all().delete()
    Device.objects.filter(kind="BENCH").delete()

    started = time.perf_counter()
    systems = list(System.objects.values_list("pk", flat=True))
    devices = Device.objects.bulk_create(
        [Device(system_id=systems[i % len(systems)], kind="BENCH", name=f"bench-{i}",
                ip_address=f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}") for i in range(args.checks)],
        batch_size=2000)
    mix = []
    for i, device in enumerate(devices):
        slot = i % 20  # 9 HTTP up, 8 TCP up, 1 HTTP 500, 1 refused, 1 timeout
        port = ok_ports[i % len(ok_ports)]
        if slot < 9:
            kind, target = "http", f"http://127.0.0.1:{port}/health"
        elif slot < 17:
            kind, target = "tcp", f"127.0.0.1:{port}"
        elif slot == 17:
            kind, target = "http", f"http://127.0.0.1:{fail_port}/"
        elif slot == 18:
            kind, target = "tcp", f"127.0.0.1:{closed_port}"
        else:
            kind, target = "http", f"http://127.0.0.1:{silent_port}/"
        mix.append(Check(system_id=device.system_id, device=device, kind=kind, target=target, interval_seconds=300,
                         timeout_seconds=args.timeout))
    Check.objects.bulk_create(mix, batch_size=2000)
    print(f"· {args.checks:,} devices and checks created: {time.perf_counter() - started:.1f} s", flush=True)

    t0 = timezone.now()
    rounds = [("1 first round (all new)", t0), ("2 failing ones go down", t0 + dt.timedelta(seconds=300)),
              ("3 steady (no change)", t0 + dt.timedelta(seconds=600))]
    rows = []
    for name, at in rounds:
        summary = checks.run_round(at, concurrency=args.concurrency, limit=0)
        rows.append((name, summary))
        print(f"· round {name}: {summary['seconds']:.1f} s", flush=True)

    print()
    header = (f"{'round':<28}{'checks':>8}{'up':>7}{'failed':>8}{'down':>6}{'select s':>10}{'probe s':>9}"
              f"{'write s':>9}{'total s':>9}{'checks/s':>10}{'peak':>6}")
    print(header)
    print("-" * len(header))
    for name, s in rows:
        rate = s["checks"] / s["seconds"] if s["seconds"] else 0
        print(f"{name:<28}{s['checks']:>8,}{s['up']:>7,}{s['failed']:>8,}{s['down']:>6,}{s['select_seconds']:>10.2f}"
              f"{s['probe_seconds']:>9.2f}{s['write_seconds']:>9.2f}{s['seconds']:>9.2f}{rate:>10,.0f}"
              f"{s['peak_in_flight']:>6}")
    print("-" * len(header))
    worst = max(s["seconds"] / s["checks"] for _n, s in rows if s["checks"])
    ten_k = worst * 10_000
    print(f"10,000 checks, slowest round: {ten_k:.1f} s of the {BUDGET_SECONDS:.0f} s budget "
          f"({ten_k / BUDGET_SECONDS:.0%}) — {'within' if ten_k < BUDGET_SECONDS else 'OVER'} budget")
    down = DeviceState.objects.filter(status="down", device__kind="BENCH").count()
    print(f"devices down after round 2: {down:,}; open outages: {Outage.objects.filter(end__isnull=True).count():,}; "
          f"firing events: {Event.objects.filter(source__kind='builtin', status='firing').count():,}")
    from tongyun.monitoring.models import CorrelationGroup

    groups = CorrelationGroup.objects.filter(events__source__kind="builtin").distinct()
    print(f"correlated into {groups.count():,} groups / {groups.filter(incident__isnull=False).count():,} incidents")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    figure("checks: slowest round scaled to 10,000 checks", ten_k, "s", BUDGET_SECONDS,
           detail=f"{args.checks:,} checks, concurrency {args.concurrency}")
    rss_figure("checks worker")
    targets.terminate()


if __name__ == "__main__":
    main()
