"""Run every bench, one after the other, and collect their FIGURE lines into one table.

    .venv/bin/python bench/run_all.py [--quick] [--only alerts,list_api] [--database-url postgres://postgres@127.0.0.1:5432/bench]

Each bench runs as its own process with a fresh SQLite data dir (or, with --database-url, its own
PostgreSQL database `<name>_<bench>`, created if missing; bench_spares runs only then). Each prints
`FIGURE | name | value unit | target | ratio | ok/MISS | detail` lines (bench/benchfmt.py); the table of all of
them is printed and written into bench/README.md between the run_all markers, with the date, the mode and the
load average (the VM has 2 cores shared with other sessions: figures move by ±30 % and more between runs).

--quick uses small sizes (a few minutes in all); without it the full sizes of the table below are used.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
BEGIN, END = "<!-- run_all: begin -->", "<!-- run_all: end -->"

# name: (script, full-size arguments, quick arguments, uses a database, PostgreSQL only)
BENCHES = {
    "deadlines": ("bench_deadlines.py", [], ["--reports", "20000", "--repeat", "5"], False, False),
    "rosters": ("bench_rosters.py", [], ["--repeat", "1"], False, False),
    "list_api": ("bench_list_api.py", [], ["--incidents", "10000", "--devices", "5000", "--events", "5000",
                                           "--requests", "50"], True, False),
    "board": ("bench_board.py", [], ["--incidents", "20000", "--devices", "5000", "--requests", "10"], True, False),
    "incidents": ("bench_incidents.py", [], ["--incidents", "10000", "--requests", "20", "--repeat", "2"], True, False),
    "api_pagination": ("bench_api_pagination.py", [], ["--devices", "10000", "--deep-page", "100", "--repeat", "3"],
                       True, False),
    "availability": ("bench_availability.py", [], ["--devices", "2000", "--repeat", "1"], True, False),
    "alerts": ("bench_alerts.py", [], ["--devices", "2000", "--unmapped", "4000"], True, False),
    "checks": ("bench_checks.py", [], ["--checks", "1000", "--concurrency", "200", "--timeout", "2"], True, False),
    "inspections": ("bench_inspections.py", [], [], True, False),
    "security_reminders": ("bench_security_reminders.py", [], ["--items", "10000", "--days", "5"], True, False),
    "device_import": ("bench_device_import.py", [], ["--devices", "5000"], True, False),
    "evaluation": ("bench_evaluation.py", [], ["--incidents", "20000"], True, False),
    "spares": ("bench_spares.py", [], ["--rows", "50000", "--repeat", "3"], True, True),
}
FULL_SIZES = """\
| bench | full size (default arguments) |
|---|---|
| deadlines | 200,000 reports × 2 deadlines, best of 7 warm passes |
| rosters | 154 systems × a year of 2–3 layers + overrides |
| list_api | 100,000 incidents, 20,000 devices, 20,000 events, a year of tasks; 200 requests per endpoint |
| board | 1,000,000 incidents, 100,000 devices (PostgreSQL COPY; SQLite bulk insert is slow); 50 requests per page |
| incidents | 100,000 incidents on SQLite, 1,000,000 on PostgreSQL |
| api_pagination | 100,000 devices, page 1000 |
| availability | 20,000 devices × 5 outages in a month |
| alerts | 10,000 cameras behind 20 switches, 20,000 unmapped alerts, gunicorn 2 workers |
| checks | 10,000 checks, 500 in flight, 5 s timeout |
| inspections | a year of tasks for the 154 systems |
| security_reminders | 100,000 items, 30 daily sweeps |
| device_import | 100,000 devices in one workbook |
| evaluation | 1,000,000 incidents, 12 months × 54 units |
| spares | 1,000,000 ledger entries (PostgreSQL only) |
"""
RSS_NOTE = """\
Peak RSS: "web worker" figures are a fresh process serving the bench's requests (bench/replay_requests.py),
"import worker" the child process running the ImportJob, "gunicorn worker" the VmHWM of the server's workers
— all apart from the bench's own set-up (shown in their detail); "(… bench)" figures are the whole process
of a bench that serves no request, its set-up included.
"""


def database_for(base_url: str, bench: str) -> str:
    import psycopg

    parts = urlparse(base_url)
    name = f"{parts.path.lstrip('/') or 'bench'}_{bench}"
    with psycopg.connect(host=parts.hostname or "localhost", port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname="postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def run(name: str, quick: bool, database_url: str | None) -> tuple[list[list[str]], float, int]:
    script, full, small, uses_db, postgres_only = BENCHES[name]
    env = {**os.environ, "TONGYUN_OTP_ENFORCED": "0",
           "TONGYUN_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    env.pop("DATABASE_URL", None)
    if uses_db:
        if database_url:
            env["DATABASE_URL"] = database_for(database_url, name)
        env["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"tongyun-bench-{name}-")
    command = [sys.executable, str(HERE / script), *(small if quick else full)]
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    process = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    figures = []
    for line in process.stdout.splitlines():
        if line.startswith("FIGURE |"):
            print(line, flush=True)
            figures.append([cell.strip() for cell in line.split("|")[1:]])
    if process.returncode != 0:
        tail = (process.stderr or process.stdout).strip().splitlines()[-3:]
        print(f"  FAILED ({process.returncode}): {' / '.join(tail)}", flush=True)
        figures.append(["(bench failed: " + " / ".join(tail)[:150] + ")", "", "", "", "MISS", ""])
    print(f"  {seconds:.0f} s", flush=True)
    return figures, seconds, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a few minutes in all")
    parser.add_argument("--only", default="", help="comma-separated bench names (default: all)")
    parser.add_argument("--database-url", default=None, help="run the database benches on PostgreSQL")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    args = parser.parse_args()
    names = [n for n in (args.only.split(",") if args.only else BENCHES) if n]
    unknown = set(names) - set(BENCHES)
    if unknown:
        sys.exit(f"unknown bench(es): {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
    load_before = os.getloadavg()[0]
    rows, failures = [], 0
    for name in names:
        if BENCHES[name][4] and not args.database_url:
            rows.append([name, "(PostgreSQL only: skipped without --database-url)", "", "", "", "", ""])
            continue
        figures, seconds, code = run(name, args.quick, args.database_url)
        failures += code != 0
        rows += [[name, *cells] for cells in figures]
    load_after = os.getloadavg()[0]
    header = ["bench", "figure", "value", "target", "ratio", "met", "detail"]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    missed = sum(1 for row in rows if row[5] == "MISS")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    summary = (f"{stamp}, {'--quick' if args.quick else 'full sizes'}, "
               f"{'PostgreSQL' if args.database_url else 'SQLite'}; load average {load_before:.1f} → {load_after:.1f} "
               f"on the shared 2-core VM; {len(rows)} figures, {missed} missed, {failures} benches failed")
    print("\n" + "\n".join(table) + "\n\n" + summary)
    if not args.no_readme:
        load = max(load_before, load_after)
        caveat = (f"**Measured at load {load:.1f} on 2 cores shared with other sessions**: times and rates are those "
                  "of a process that got a fraction of a core — expect them better on an idle machine.\n\n"
                  if load > 2 else "")
        block = (f"{BEGIN}\n## All benches (`bench/run_all.py`)\n\n```\n.venv/bin/python bench/run_all.py "
                 f"{'--quick ' if args.quick else ''}{f'--only {args.only} ' if args.only else ''}"
                 f"{'--database-url …' if args.database_url else ''}\n```\n\n"
                 f"{summary}\n\n{caveat}" + "\n".join(table) + "\n\n" + RSS_NOTE
                 + "\nFull sizes (run without --quick):\n\n" + FULL_SIZES + f"{END}\n")
        text = README.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END) + 1:]
        else:
            first, _, rest = text.partition("\n\n")
            text = f"{first}\n\n{block}\n{rest}"
        README.write_text(text, encoding="utf-8")
        print(f"written to {README}")


if __name__ == "__main__":
    main()
