"""The evaluation period of a system: a month, or a quarter when its memorandum says quarterly (EV-03).

A quarterly system is evaluated in the quarter's last month; its items read the facts of the three months
combined (domain.evaluation.combine) and take the quarter's fee (the three months' shares) as the base of
"% of the fee" deductions and of the memorandum's cap. The pre-fill and the "facts changed" check read the
values through the same function, so both see the same figure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tongyun.core import facts
from tongyun.domain import evaluation as calc
from tongyun.domain import fees as fee_calc


def months_of(cycle: str, month: dt.date) -> list[dt.date]:
    return calc.quarter_months(month) if cycle == calc.QUARTERLY else [month.replace(day=1)]


def values(keys, system_ids, month: dt.date, quarterly_ids=()) -> dict[str, dict[int, object]]:
    """{key: {system_id: value or None}} of the period each system is evaluated over in `month`."""
    keys, month = sorted(set(keys)), month.replace(day=1)
    table = facts.table(keys, system_ids, month)
    quarterly = [pk for pk in quarterly_ids if pk in set(system_ids)]
    if not quarterly or not keys:
        return table
    earlier = [facts.table(keys, quarterly, m) for m in calc.quarter_months(month) if m != month]
    for key in keys:
        unit = facts.get(key).unit if facts.get(key) else ""
        for pk in quarterly:
            table[key][pk] = calc.combine([t[key].get(pk) for t in earlier] + [table[key].get(pk)], unit)
    return table


def period_fee(contract, annual_fee, cycle: str, month: dt.date, service_start, service_end) -> Decimal:
    """The fee of the period (a month, or the quarter's three months) by the pro-rata rule."""
    if contract is None:
        return Decimal("0.00")
    return sum((fee_calc.month_share(contract.period_start, contract.period_end, annual_fee, m, service_start,
                                     service_end) for m in months_of(cycle, month)), Decimal("0.00"))
