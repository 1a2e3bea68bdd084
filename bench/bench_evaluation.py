"""Benchmark: evaluation pre-fill of all 54 units × 12 months, and the settlement of the year.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_contracts .venv/bin/python bench/bench_evaluation.py \
        [--incidents 1000000]

Reuses bench_incidents.py's generator (same distribution of severities, lateness and states). Then: a contract,
a fee and a signed memorandum of the district template for every system (written directly: the bench measures
the evaluation, not the signing), and it times (a) the pre-fill of every unit's evaluation, month by month, as the
bureau opens the month for all units (evaluations.prefill_units; target < 2 s per month for all 54 units), and
one unit's own pre-fill, and (b) the settlement of the year as the bureau (target < 5 s).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt
import bench_incidents as base  # noqa: E402  (sets up Django)
from benchfmt import figure, rss_figure  # noqa: E402
from django.db import connection  # noqa: E402

from tongyun.catalog.models import System  # noqa: E402
from tongyun.contracts import evaluations, selectors, services  # noqa: E402
from tongyun.contracts.models import Evaluation, Memorandum, Rule, SystemFee  # noqa: E402
from tongyun.contracts.templates import DISTRICT_TEMPLATE  # noqa: E402
from tongyun.parties.models import User  # noqa: E402


def prepare() -> None:
    bureau = User.objects.get(username="bureau_admin")
    contract = selectors.contract_current() or services.save_contract(
        bureau, **{**services.DEFAULT_CONTRACT, "price": Decimal("30000000")})
    systems = list(System.objects.all())
    SystemFee.objects.bulk_create([SystemFee(contract=contract, system=s, annual_fee=Decimal("120000"))
                                   for s in systems], ignore_conflicts=True)
    if not Memorandum.objects.exists():
        memos = Memorandum.objects.bulk_create([
            Memorandum(system=s, effective_month=dt.date(2026, 1, 1), state="in_force", created_by=bureau,
                       cap_fee_percent=Decimal(20)) for s in systems])
        Rule.objects.bulk_create([Rule(memorandum=m, position=i, **{**r, "label": str(r["label"])})
                                  for m in memos for i, r in enumerate(DISTRICT_TEMPLATE)])
    clear(Evaluation.objects.all())


def clear(evaluations) -> None:
    """Delete evaluations and their items without the per-object audit entries a re-run does not need (a
    queryset delete logs each of ~1,000,000 items in the hash chain and takes hours)."""
    from tongyun.contracts.models import EvaluationItem

    ids = list(evaluations.values_list("pk", flat=True))
    EvaluationItem.objects.filter(evaluation_id__in=ids)._raw_delete(connection.alias)
    Evaluation.objects.filter(pk__in=ids)._raw_delete(connection.alias)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1_000_000)
    args = parser.parse_args()
    base.district_with_incidents(args.incidents, seed=7)
    prepare()
    units = {}
    for system in System.objects.select_related("unit"):
        units.setdefault(system.unit_id, system.unit)
    admins = {}
    for unit in units.values():
        admins[unit.pk], _created = User.objects.get_or_create(
            username=f"bench-unit-{unit.pk}", defaults={"role": "unit_admin", "organisation": unit})
    bureau = User.objects.get(username="bureau_admin")
    per_month = []
    for month in range(1, 13):
        started = time.perf_counter()
        created = evaluations.prefill_units(bureau, dt.date(2026, month, 1))
        per_month.append(time.perf_counter() - started)
        print(f"  2026-{month:02d}: {len(created)} units pre-filled together in {per_month[-1] * 1000:.0f} ms",
              flush=True)
    # one unit pre-filling its own month (what a unit admin's click costs)
    clear(Evaluation.objects.filter(month=dt.date(2026, 10, 1)))
    one = []
    for unit in list(units.values())[:10]:
        started = time.perf_counter()
        evaluations.prefill(admins[unit.pk], unit, dt.date(2026, 10, 1))
        one.append(time.perf_counter() - started)
    started = time.perf_counter()
    data = selectors.settlement(bureau, selectors.contract_current())
    settlement_s = time.perf_counter() - started
    print(f"incidents: {base.Incident.objects.count():,}; units: {len(units)}; items: "
          f"{sum(1 for _ in Evaluation.objects.all())} evaluations")
    print(f"(a) pre-fill per month: median {statistics.median(per_month):.2f} s, max {max(per_month):.2f} s "
          f"(target < 2 s)")
    print(f"    one unit alone: median {statistics.median(one) * 1000:.0f} ms over {len(one)} units")
    print(f"(b) settlement of the year: {settlement_s:.2f} s (target < 5 s), total due {data['total']['due']}")
    figure("evaluation: pre-fill of a month, all units (max)", max(per_month), "s", 2.0,
           detail=f"median {statistics.median(per_month):.2f} s")
    figure("evaluation: settlement of the year", settlement_s, "s", 5.0)
    rss_figure("evaluation bench")


if __name__ == "__main__":
    main()
