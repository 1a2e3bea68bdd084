"""Benchmark: listing 100,000 devices, first page versus a deep page, through the API and the HTML list.

Run by hand against a fresh data directory (SQLite), or PostgreSQL when DATABASE_URL is set:

    TONGYUN_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_api_pagination.py [--devices 100000]

It migrates, loads the real catalog and the demo accounts, bulk-creates the devices spread over
every system (only those still missing, so a second run on the same database skips that step), then
times, in process through django.test.Client (no network, no server):

- GET /api/v1/devices                 first page (CursorPagination, keyset on id)
- GET /api/v1/devices?cursor=…        page ~1000, reached by following the `next` links
- GET /api/v1/devices?unit=<id>       filtered to the unit with the most devices
- GET /catalog/devices/               HTML list as bureau_admin (django-tables2 LazyPaginator)
- GET /catalog/devices/?page=1000     the same, deep page (OFFSET)

Each figure is the median of --repeat timed requests after one warm-up request.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
from benchfmt import figure, serving_rss_figure  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")  # the bench fetches bureau_admin's token without TOTP
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")

warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: STATIC_ROOT not collected

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tongyun.catalog.models import Device, System  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import demo_password, ensure_demo_accounts  # noqa: E402
from tongyun.parties.models import User  # noqa: E402

BENCH_PREFIX = "BENCH-"
PAGE_SIZE = 50  # the API's and the HTML list's default
KINDS = ["服务器", "交换机", "防火墙", "存储", "摄像机", "终端", "UPS", "路由器"]


def step(message: str) -> float:
    print(f"· {message}", flush=True)
    return time.perf_counter()


def done(started: float) -> None:
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)


def prepare(device_count: int) -> None:
    started = step(f"migrate, load catalog and demo accounts ({connection.vendor})")
    call_command("migrate", verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    done(started)

    existing = Device.objects.filter(name__startswith=BENCH_PREFIX).count()
    missing = device_count - existing
    if missing <= 0:
        print(f"· {existing:,} bench devices already there")
        return
    started = step(f"bulk-create {missing:,} devices ({existing:,} already there)")
    systems = list(System.objects.order_by("id").values_list("id", flat=True))
    batch = []
    for number in range(existing, device_count):
        batch.append(
            Device(
                system_id=systems[number % len(systems)],
                kind=KINDS[number % len(KINDS)],
                model=f"M{number % 97:02d}",
                name=f"{BENCH_PREFIX}{number:07d}",
                location=f"机房 {number % 13 + 1} 号机柜",
                quantity=1,
            )
        )
        if len(batch) == 5000:
            Device.objects.bulk_create(batch)
            batch = []
    if batch:
        Device.objects.bulk_create(batch)
    # the planner's statistics, as autovacuum keeps them on a database in use: just after a bulk insert
    # PostgreSQL believed the table held 7,000 rows and sorted all of it for the deep page (127 ms, not 54)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    done(started)


def timed(client: Client, url: str, repeat: int, **headers) -> dict:
    """Median and min wall time of GET url (after one warm-up), queries of one request, last response."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {"median": statistics.median(times), "min": min(times), "queries": len(queries), "response": response}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000, help="devices to create (default 100,000)")
    parser.add_argument("--deep-page", type=int, default=1000, help="page number of the deep page (default 1000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per figure (default 7)")
    args = parser.parse_args()

    where = os.environ.get("DATABASE_URL", "").split("@")[-1] or os.environ["TONGYUN_DATA_DIR"]
    print(f"tongyun pagination bench: {args.devices:,} devices, page size {PAGE_SIZE}, database {where}")
    prepare(args.devices)
    total = Device.objects.count()
    deep = min(args.deep_page, total // PAGE_SIZE)
    print(f"· {total:,} devices in the database; deep page = {deep}")

    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": "bureau_admin", "password": demo_password()},
        content_type="application/json",
    )
    assert token.status_code == 200, token.content
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}

    results = {}
    results["API first page"] = first = timed(api, "/api/v1/devices", args.repeat, **bearer)
    assert len(first["response"].json()["results"]) == PAGE_SIZE

    started = step(f"walk the API's next links to page {deep}")
    url, walk = "/api/v1/devices", []
    for _ in range(deep - 1):
        t = time.perf_counter()
        body = api.get(url, headers=bearer).json()
        walk.append((time.perf_counter() - t) * 1000)
        url = body["next"]
        assert url, "ran out of pages"
    done(started)
    results[f"API page {deep} (cursor)"] = timed(api, url, args.repeat, **bearer)
    expected_first_id = Device.objects.order_by("id").values_list("id", flat=True)[(deep - 1) * PAGE_SIZE]
    got = results[f"API page {deep} (cursor)"]["response"].json()["results"]
    assert got[0]["id"] == expected_first_id, (got[0]["id"], expected_first_id)

    unit_id, unit_devices = (
        System.objects.values_list("unit_id").annotate(n=Count("devices")).order_by("-n").first()
    )
    results[f"API ?unit={unit_id} ({unit_devices:,} devices)"] = timed(
        api, f"/api/v1/devices?unit={unit_id}", args.repeat, **bearer
    )

    html = Client()
    html.force_login(User.objects.get(username="bureau_admin"))
    results["HTML first page"] = html_first = timed(html, "/catalog/devices/", args.repeat)
    results[f"HTML ?page={deep} (lazy)"] = html_deep = timed(html, f"/catalog/devices/?page={deep}", args.repeat)
    deep_first_name = Device.objects.order_by("id").values_list("name", flat=True)[(deep - 1) * PAGE_SIZE]
    assert deep_first_name.encode() in html_deep["response"].content, deep_first_name
    assert html_first["response"].status_code == 200

    api_deep = results[f"API page {deep} (cursor)"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print()
    print(f"{'request':<40} {'median ms':>10} {'min ms':>8} {'queries':>8}")
    print("-" * 69)
    for name, measured in results.items():
        print(f"{name:<40} {measured['median']:>10.1f} {measured['min']:>8.1f} {measured['queries']:>8}")
    print("-" * 69)
    print(f"{'API walk, mean per page (1..' + str(deep - 1) + ')':<40} {statistics.mean(walk):>10.1f}")
    print(f"API deep/first ratio:  {api_deep['median'] / first['median']:.2f}")
    print(f"HTML deep/first ratio: {html_deep['median'] / results['HTML first page']['median']:.2f}")
    print(f"peak RSS: {peak_mb:.0f} MiB")
    figure("pagination: API page 1000 / page 1", api_deep["median"] / first["median"], "×", 1.5,
           detail=f"first {first['median']:.1f} ms, deep {api_deep['median']:.1f} ms")
    figure("pagination: API first page of devices", first["median"], "ms", 100)
    figure("pagination: HTML device list ?page=1000", html_deep["median"], "ms", 150)
    serving_rss_figure("device pages", [{"url": "/api/v1/devices", "headers": bearer}, {"url": url, "headers": bearer},
                                        {"user": "bureau_admin", "url": "/catalog/devices/"},
                                        {"user": "bureau_admin", "url": f"/catalog/devices/?page={deep}"}])


if __name__ == "__main__":
    main()
