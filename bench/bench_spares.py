"""Benchmark: stock and settlement of a system over a long spare-parts ledger (target < 200 ms per page).

Run by hand, on PostgreSQL (the database must exist; reruns start from an empty ledger):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_spares .venv/bin/python bench/bench_spares.py [--rows 1000000]

It migrates, loads the catalog, the demo accounts and the tender's spare-part caps, opens one incident
with one replacement per item, and writes --rows ledger entries spread over every item (on PostgreSQL
with one INSERT … SELECT generate_series; every tenth entry an issue for the replacement, the others
receipts, balances consistent). It then times, for row 23 (各镇街智慧平安小区运维, 7 items):
(a) selectors.settlement (stock, cap, used, remaining, used value), (b) the system's settlement page
GET /spares/systems/<id>/, (c) GET /api/v1/spares/systems/<id>/settlement, (d) the item list page
filtered to the system — median and worst of --repeat runs each, and checks the figures against sums.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
if "TONGYUN_DATA_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["TONGYUN_DATA_DIR"] = tempfile.mkdtemp(prefix="tongyun-bench-")
os.environ.setdefault("TONGYUN_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
os.environ.setdefault("TONGYUN_OTP_ENFORCED", "0")  # the bureau admin fetches an API token without TOTP
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
import django  # noqa: E402
from benchfmt import figure, serving_rss_figure  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402

from tongyun.catalog.models import System  # noqa: E402
from tongyun.catalog.tender_data import load_tender_catalog  # noqa: E402
from tongyun.core.demo import demo_password, ensure_demo_accounts  # noqa: E402
from tongyun.incidents import services as incident_services  # noqa: E402
from tongyun.parties.models import User  # noqa: E402
from tongyun.spares import selectors, services  # noqa: E402
from tongyun.spares.models import Replacement, SpareItem, StockEntry, Warehouse  # noqa: E402
from tongyun.spares.seed import DEFAULT_WAREHOUSE, load_tender_spares  # noqa: E402

TARGET_MS = 200


def populate(rows: int) -> None:
    from auditlog.context import disable_auditlog

    pm = User.objects.get(username="pm")
    warehouse = Warehouse.objects.get(name=DEFAULT_WAREHOUSE)
    with disable_auditlog(), transaction.atomic():
        StockEntry.objects.all().delete()
        Replacement.objects.all().delete()
        items = list(SpareItem.objects.order_by("id"))
        replacement_of = {}
        for system_id in {item.system_id for item in items}:
            incident = incident_services.report_incident(pm, system=System.objects.get(pk=system_id),
                                                         title="BENCH", severity="general")
            for item in items:
                if item.system_id == system_id:
                    replacement_of[item.pk] = Replacement.objects.create(
                        incident=incident, system_id=system_id, item=item, reason="bench", state="issued",
                        requested_by=pm, requested_at=incident.reported_at).pk
        ids = [item.pk for item in items]
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO spares_stockentry (item_id, warehouse_id, kind, quantity, balance, at, actor_id,
                                               replacement_id, note)
                SELECT items.item_id, %(warehouse)s,
                       CASE WHEN k %% 10 = 9 THEN 'issue' ELSE 'receipt' END,
                       CASE WHEN k %% 10 = 9 THEN -1 ELSE 1 END,
                       (k + 1) - 2 * ((k + 1) / 10),
                       TIMESTAMPTZ '2026-01-01 00:00+08' + ((k * 7) %% 524000) * INTERVAL '1 minute',
                       %(actor)s,
                       CASE WHEN k %% 10 = 9 THEN items.replacement_id END, ''
                FROM generate_series(0, %(per_item)s - 1) AS k
                CROSS JOIN unnest(%(ids)s::int[], %(replacements)s::int[]) AS items(item_id, replacement_id)
                ORDER BY k, items.item_id
            """, {"warehouse": warehouse.pk, "actor": pm.pk, "per_item": rows // len(ids), "ids": ids,
                  "replacements": [replacement_of[i] for i in ids]})
        services.rebuild_monthly_use()  # the raw INSERT bypassed the writer that keeps the monthly use
        cursor = connection.cursor()
        cursor.execute("ANALYZE spares_stockentry")


def timed(label: str, repeat: int, work) -> float:
    work()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    median, worst = statistics.median(times), max(times)
    verdict = "ok" if median < TARGET_MS else "SLOW"
    print(f"{label:<58} median {median:7.1f} ms  worst {worst:7.1f} ms  {verdict}")
    figure(f"spares {label}", median, "ms", TARGET_MS, detail=f"worst {worst:.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", interactive=False, verbosity=0)
    load_tender_catalog()
    ensure_demo_accounts()
    load_tender_spares()
    start = time.perf_counter()
    populate(options.rows)
    total = StockEntry.objects.count()
    print(f"ledger: {total:,} entries over {SpareItem.objects.count()} items in {time.perf_counter() - start:.1f} s")
    system = System.objects.get(row_no=23)
    bureau = User.objects.get(username="bureau_admin")
    items = selectors.item_list(bureau, {"system": system.pk})
    rows = selectors.settlement(items)
    for row in rows:  # the figures agree with plain sums over the whole ledger
        assert row.stock == StockEntry.objects.filter(item=row.item).aggregate(s=Sum("quantity"))["s"], row
        assert row.used == selectors.used_by_sum(row.item), row
    print(f"row 23: {len(rows)} items, stock {sum(r.stock for r in rows):,}, used {sum(r.used for r in rows):,}")
    client = Client()
    assert client.login(username="bureau_admin", password=demo_password())
    token = client.post("/api/v1/auth/token", {"username": "bureau_admin", "password": demo_password()},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    results = [
        timed("(a) selectors.settlement(row 23)", options.repeat, lambda: selectors.settlement(items)),
        timed("(b) GET /spares/systems/<row 23>/", options.repeat,
              lambda: client.get(f"/spares/systems/{system.pk}/")),
        timed("(c) GET /api/v1/spares/systems/<row 23>/settlement", options.repeat,
              lambda: client.get(f"/api/v1/spares/systems/{system.pk}/settlement", headers=headers)),
        timed("(d) GET /spares/?system=<row 23>", options.repeat, lambda: client.get(f"/spares/?system={system.pk}")),
    ]
    print("all under target" if max(results) < TARGET_MS else "SOME OVER TARGET")
    serving_rss_figure("spares pages (1M ledger rows)", [
        {"user": "bureau_admin", "url": f"/spares/systems/{system.pk}/"},
        {"url": f"/api/v1/spares/systems/{system.pk}/settlement", "headers": headers},
        {"user": "bureau_admin", "url": f"/spares/?system={system.pk}"}])


if __name__ == "__main__":
    main()
