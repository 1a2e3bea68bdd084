"""Contract money arithmetic (pure): pro-rata fees by service days, penalties, payment instalments.

The tender prices the service per system (分系统报价, L29874) and says that a system that no longer needs
O&M has its fee "按实际情况予以核减" (L28733–L28735), without a formula. The platform's default rule,
documented in docs/contracts.md, is pro rata by calendar days in service:

    adjusted fee = Σ over the segments of the period with one annual fee:
                   fee of the segment × days in service in the segment ÷ days in the period

rounded to the fen (0.01 yuan, half up) once, at the end. A day counts when the system is in service for
any part of it; start and end days are both in service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def money(value: Decimal | int | float) -> Decimal:
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def days_inclusive(start: dt.date, end: dt.date) -> int:
    return max((end - start).days + 1, 0)


def overlap_days(a_start: dt.date, a_end: dt.date, b_start: dt.date | None, b_end: dt.date | None) -> int:
    """Days of [a_start, a_end] ∩ [b_start, b_end] (None: open)."""
    start = max(a_start, b_start) if b_start else a_start
    end = min(a_end, b_end) if b_end else a_end
    return days_inclusive(start, end)


@dataclass(frozen=True)
class FeeSegment:
    start: dt.date
    end: dt.date
    annual_fee: Decimal
    service_days: int
    amount: Decimal  # unrounded share: annual_fee × service_days / period_days


@dataclass(frozen=True)
class AdjustedFee:
    period_days: int
    service_days: int
    segments: tuple[FeeSegment, ...]
    amount: Decimal  # rounded to the fen

    def explain(self) -> str:
        """The arithmetic, for the page and the docs: "120000.00 × 181 / 365 = 59506.85"."""
        parts = [f"{s.annual_fee:.2f} × {s.service_days} / {self.period_days}" for s in self.segments
                 if s.service_days]
        return (" + ".join(parts) or "0") + f" = {self.amount:.2f}"


def adjusted_fee(period_start: dt.date, period_end: dt.date, annual_fee: Decimal,
                 service_start: dt.date | None, service_end: dt.date | None,
                 fee_changes: list[tuple[dt.date, Decimal]] = ()) -> AdjustedFee:
    """The fee of a system over the period, pro rata by service days.

    `fee_changes` are (from date, new annual fee) — an upgrade or a scope change priced anew; a shutdown is
    a `service_end`, a later start a `service_start`.
    """
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    period_days = days_inclusive(period_start, period_end)
    bounds = [(period_start, Decimal(annual_fee))]
    for day, fee in sorted(fee_changes):
        if day <= period_start:
            bounds[0] = (period_start, Decimal(fee))
        elif day <= period_end:
            bounds.append((day, Decimal(fee)))
    segments = []
    for index, (start, fee) in enumerate(bounds):
        end = bounds[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(bounds) else period_end
        days = overlap_days(start, end, service_start, service_end)
        segments.append(FeeSegment(start, end, fee, days, fee * days / period_days))
    total = sum((s.amount for s in segments), Decimal(0))
    return AdjustedFee(period_days, sum(s.service_days for s in segments), tuple(segments), money(total))


def month_share(period_start: dt.date, period_end: dt.date, annual_fee: Decimal, month: dt.date,
                service_start: dt.date | None, service_end: dt.date | None) -> Decimal:
    """The fee of one month (the base of "% of the monthly fee" deductions): annual fee × service days in the
    month ÷ days in the period — the same pro-rata rule, so twelve months add up to the adjusted fee."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    start, end = max(first, period_start), min(last, period_end)
    if end < start:
        return Decimal("0.00")
    days = overlap_days(start, end, service_start, service_end)
    return money(Decimal(annual_fee) * days / days_inclusive(period_start, period_end))


# ---------------------------------------------------------------- penalties (违约金, EV-07, EV-08)

def penalty(contract_price: Decimal, rate_percent: Decimal) -> Decimal:
    """A penalty as a share of the total contract price: 0.1 % or 0.5 % (L28611–L28699)."""
    return money(Decimal(contract_price) * Decimal(rate_percent) / 100)


# ---------------------------------------------------------------- payments (EV-06, L28410–L28436)

FIRST_SHARE = Decimal(30)
SECOND_SHARE = Decimal(40)


@dataclass(frozen=True)
class Instalments:
    first: Decimal
    second: Decimal
    final: Decimal | None  # None until the finance review sets the reviewed amount


def instalments(contract_price: Decimal, *, second_base: Decimal | None = None,
                reviewed_amount: Decimal | None = None, penalties: Decimal = Decimal(0),
                deductions: Decimal = Decimal(0)) -> Instalments:
    """30 % of the contract price; 40 % of it "according to the evaluations" (of `second_base`, the
    evaluated amount, when given — never more than 40 % of the price); the rest: the reviewed amount minus
    what was paid, penalties and deductions (never below zero)."""
    price = Decimal(contract_price)
    first = money(price * FIRST_SHARE / 100)
    second = money(min(price, Decimal(second_base) if second_base is not None else price) * SECOND_SHARE / 100)
    final = None
    if reviewed_amount is not None:
        final = money(max(Decimal(reviewed_amount) - first - second - Decimal(penalties) - Decimal(deductions),
                          Decimal(0)))
    return Instalments(first, second, final)
