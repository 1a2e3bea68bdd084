"""Checks of a supply point's monthly electricity bills (电费代结算, OT-03). Pure Python.

- **missing month**: a month of the service period with no bill (the contractor paid nothing, or did not
  enter it) — the settlement of that month is "not measured", never zero;
- **unusual consumption**: a month whose kWh is further than `tolerance` (default 50 %) from the median of
  the supply point's other months; needs at least `min_history` (3) other months, so a new point is
  never flagged on noise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from statistics import median


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month to `last`'s month, inclusive."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def missing_months(billed: set[date], first: date, last: date) -> list[date]:
    return [month for month in months_between(first, last) if month not in billed]


def unusual_months(kwh_by_month: dict[date, Decimal], *, tolerance: Decimal = Decimal("0.5"),
                   min_history: int = 3) -> list[tuple[date, Decimal, Decimal]]:
    """(month, kWh, median of the other months) for each month far from the usual."""
    unusual = []
    for month, kwh in sorted(kwh_by_month.items()):
        others = [value for other, value in kwh_by_month.items() if other != month]
        if len(others) < min_history:
            continue
        usual = Decimal(median(others))
        if usual == 0:
            if kwh > 0:
                unusual.append((month, kwh, usual))
            continue
        if abs(kwh - usual) > tolerance * usual:
            unusual.append((month, kwh, usual))
    return unusual
