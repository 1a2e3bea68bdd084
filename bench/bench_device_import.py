"""Benchmark: import of the real device inventory (设备台账), 100,000 devices in one workbook.

Run by hand on SQLite (a fresh data dir is made when none is given):

    .venv/bin/python bench/bench_device_import.py [--devices 100000]

or on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_devices .venv/bin/python …
(the database must exist). It migrates and loads the real catalog and the demo accounts, deletes the
devices registered by an earlier run, writes a workbook of `--devices` rows spread over the police
systems (one access switch per 50 cameras, every camera with its upstream switch, IP, GB/T 28181 id,
address, town, coordinates, install and warranty dates — the switches listed after their cameras), and
times as the project manager:

(a) the first import (everything created) — target < 30 s on SQLite, < 20 s on PostgreSQL;
(b) the same file again (everything unchanged);
(c) a file with one bad cell in its last row: refused, nothing changed;
(d) a file with every row changed (a new address for each): everything updated.

Each import runs as the worker runs it (core/imports.py): the workbook is stored as an ImportJob's file and
`run_job` imports it, streaming the sheet, in a fresh child process — so its peak RSS (VmHWM of that
process) is the import worker's, apart from the bench's own set-up (which builds the 100,000-row workbook in
memory). Target: ≤ 200 MiB, a web worker's budget. The time of each import is taken inside the child.

It prints each figure with its target and the ratio figure / target.
"""

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
import django  # noqa: E402
from benchfmt import RSS_TARGET_MIB, figure, own_peak_rss_mib, peak_rss_mib  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402 — the bench writes its input file the way a vendor's tool would

from tongyun.catalog import device_import  # noqa: E402
from tongyun.catalog.models import Device, System  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import ensure_demo_accounts  # noqa: E402
from tongyun.core.models import ImportJob  # noqa: E402
from tongyun.parties.models import User  # noqa: E402

TOWNS = ["仁和镇", "后沙峪镇", "天竺镇", "杨镇", "牛栏山镇", "南法信镇", "石园街道", "胜利街道", "光明街道", "旺泉街道"]


def rows(count: int, systems: list[int]) -> list[dict]:
    out, switches = [], []
    per_switch = 50
    cameras = count - -(-count // (per_switch + 1))  # every 50 cameras and their switch make 51 rows
    for i in range(cameras):
        sw = i // per_switch
        if i % per_switch == 0:
            switches.append({"code": f"BENCH-SW-{sw:05d}", "system_id": systems[sw % len(systems)],
                             "name": f"接入交换机 {sw}", "kind": "接入交换机", "device_class": "交换机",
                             "ip_address": f"10.{100 + sw // 250 % 100}.{sw % 250}.254"})
        out.append({
            "code": f"BENCH-CAM-{i:06d}", "system_id": systems[sw % len(systems)], "name": f"摄像机 {i}",
            "kind": "枪机", "device_class": "摄像机", "model": "DS-2CD3T47", "serial_number": f"SN{i:08d}",
            "location": f"顺义区某路 {i} 号", "town": TOWNS[i % len(TOWNS)],
            "latitude": f"{40.05 + (i % 1000) / 10000:.6f}", "longitude": f"{116.55 + (i % 977) / 10000:.6f}",
            "ip_address": f"172.{16 + i // 62500}.{i // 250 % 250}.{i % 250 + 1}",
            "gb28181_id": f"11011300001320{i:06d}", "upstream_code": f"BENCH-SW-{sw:05d}",
            "install_date": dt.date(2024, 1, 1) + dt.timedelta(days=i % 700),
            "warranty_until": dt.date(2027, 12, 31)})
    out += switches  # after their cameras: the import must still find them
    return out


def workbook(records: list[dict]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(device_import.SHEET_TITLE)
    fields = list(device_import.FIELDS)
    sheet.append([device_import.FIELDS[f][0] for f in fields])
    for record in records:
        sheet.append([record.get(f) for f in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def in_worker(content: bytes, user) -> dict:
    """Store `content` as an import job's file and run the job in a fresh process, as the worker would."""
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "imports" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"devices-{time.time_ns()}.xlsx"
    path.write_bytes(content)
    job = ImportJob.objects.create(kind="catalog.devices", file=str(path.relative_to(settings.MEDIA_ROOT)),
                                   filename=path.name, size=len(content), created_by=user, unit=user.organisation)
    child = subprocess.run([sys.executable, __file__, "--run-job", str(job.pk)], env=os.environ.copy(),
                           capture_output=True, text=True)
    if child.returncode != 0:
        raise SystemExit(f"the import child failed: {child.stderr[-2000:]}")
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    job.refresh_from_db()
    path.unlink()
    return {**outcome, "job": job}


def run_job_here(pk: int) -> None:
    """The child: run one import job and print its time and this process's peak RSS."""
    from tongyun.core.imports import run_job

    start = time.perf_counter()
    state = run_job(pk)
    print(json.dumps({"state": state, "seconds": time.perf_counter() - start, "rss_mib": own_peak_rss_mib()}))


def report(label: str, target: float, outcome: dict) -> None:
    seconds = outcome["seconds"]
    print(f"{label:<44} {seconds:8.1f} s   target < {target:.0f} s   ratio {seconds / target:.2f}   "
          f"worker peak RSS {outcome['rss_mib']:.0f} MiB")
    figure(f"device import {label}", seconds, "s", target, detail="in the import worker (ImportJob)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--run-job", type=int, default=None, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.run_job is not None:
        run_job_here(args.run_job)
        return
    vendor = connection.vendor
    target = 30.0 if vendor == "sqlite" else 20.0
    print(f"tongyun device import bench: {args.devices:,} devices, {vendor}")
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    # an earlier run's devices: one DELETE (the ORM's delete() collects 100,000 rows' relations one by one;
    # nothing else points at bench devices)
    Device.objects.filter(code__startswith="BENCH-").update(upstream=None)
    bench = Device.objects.filter(code__startswith="BENCH-")
    bench._raw_delete(bench.db)
    systems = list(System.objects.filter(unit__name="公安局顺义分局").values_list("pk", flat=True))
    pm = User.objects.select_related("organisation").get(username="pm")
    records = rows(args.devices, systems)
    started = time.perf_counter()
    content = workbook(records)
    print(f"write the workbook ({len(records):,} rows){'':<14} {time.perf_counter() - started:8.1f} s")
    print(f"  workbook: {len(content) / 1e6:.1f} MB")
    first = in_worker(content, pm)
    report("(a) first import (all created)", target, first)
    print(f"  {first['job'].summary}")
    assert first["job"].summary["created"] == len(records), first["job"].error or first["job"].problems[:3]
    again = in_worker(content, pm)
    report("(b) the same file again (all unchanged)", target, again)
    print(f"  {again['job'].summary}")
    assert again["job"].summary["unchanged"] == len(records)
    original_ip, records[-1]["ip_address"] = records[-1]["ip_address"], "300.1.1.1"
    bad = workbook(records)
    before = Device.objects.filter(code__startswith="BENCH-").count()
    refused = in_worker(bad, pm)
    assert refused["state"] == "refused", refused
    report("(c) one bad cell in the last row (refused)", target, refused)
    print(f"  {refused['job'].problems[0]}")
    assert Device.objects.filter(code__startswith="BENCH-").count() == before
    records[-1]["ip_address"] = original_ip
    for record in records:  # every device moved (a re-survey of the addresses): all updated
        record["location"] = record.get("location", "") + "（复测）"
    changed = in_worker(workbook(records), pm)
    report("(d) every row changed (all updated)", target, changed)
    print(f"  {changed['job'].summary}")
    assert changed["job"].summary["updated"] == len(records), changed["job"].error or changed["job"].problems[:3]
    linked = Device.objects.filter(code__startswith="BENCH-CAM-", upstream__code__startswith="BENCH-SW-").count()
    print(f"  cameras linked to their switch: {linked:,}")
    worker = max(first["rss_mib"], again["rss_mib"], refused["rss_mib"], changed["rss_mib"])
    figure(f"peak RSS (import worker, {len(records):,} rows)", worker, "MiB", RSS_TARGET_MIB,
           detail=f"VmHWM of the child running the ImportJob, worst of (a)–(d); "
                  f"bench set-up {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
