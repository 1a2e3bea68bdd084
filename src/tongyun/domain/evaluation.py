"""Evaluation rules of a management memorandum (管理备忘录), as data, and their arithmetic (pure).

A rule reads one monthly fact of a system (an indicator), compares it with a threshold and, when the
comparison holds, has a consequence: points off the score, a fixed amount, or a share of the monthly fee.
"per_unit" rules count how far the value is past the threshold (e.g. 3 breaches over a threshold of 0 →
3 × the consequence); "once" rules apply the consequence once. Each rule may be capped (amount, points);
a memorandum may cap the month's deductions at a share of the monthly fee.

A fact that is not measured (None) never triggers a rule: the item is shown as "not measured" and the unit
decides by hand — never as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .fees import money

LESS_THAN, GREATER_THAN, IS_FALSE = "lt", "gt", "false"
COMPARISONS = (LESS_THAN, GREATER_THAN, IS_FALSE)
ONCE, PER_UNIT = "once", "per_unit"
POINTS, AMOUNT, FEE_PERCENT = "points", "amount", "fee_pct"
CONSEQUENCES = (POINTS, AMOUNT, FEE_PERCENT)
FULL_SCORE = Decimal(100)


@dataclass(frozen=True)
class Rule:
    indicator: str
    comparison: str
    threshold: Decimal
    consequence: str
    value: Decimal
    mode: str = ONCE
    cap_amount: Decimal | None = None
    cap_points: Decimal | None = None

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison must be one of {COMPARISONS}")
        if self.consequence not in CONSEQUENCES:
            raise ValueError(f"consequence must be one of {CONSEQUENCES}")
        if self.mode not in (ONCE, PER_UNIT):
            raise ValueError("mode must be once or per_unit")


@dataclass(frozen=True)
class Outcome:
    measured: bool
    triggered: bool
    units: int  # how many times the consequence applies
    points: Decimal
    amount: Decimal
    capped: bool = False


NOT_MEASURED = Outcome(measured=False, triggered=False, units=0, points=Decimal(0), amount=Decimal("0.00"))


def _units(rule: Rule, value) -> int:
    if rule.comparison == IS_FALSE:
        return 1 if not value else 0
    number = Decimal(str(float(value))) if isinstance(value, float) else Decimal(value)
    gap = number - rule.threshold if rule.comparison == GREATER_THAN else rule.threshold - number
    if gap <= 0:
        return 0
    return 1 if rule.mode == ONCE else math.ceil(gap)


def apply(rule: Rule, value, monthly_fee: Decimal) -> Outcome:
    """The rule on one measured value (None: not measured)."""
    if value is None:
        return NOT_MEASURED
    units = _units(rule, value)
    if not units:
        return Outcome(True, False, 0, Decimal(0), Decimal("0.00"))
    points, amount = Decimal(0), Decimal(0)
    if rule.consequence == POINTS:
        points = rule.value * units
    elif rule.consequence == AMOUNT:
        amount = rule.value * units
    else:
        amount = Decimal(monthly_fee) * rule.value / 100 * units
    capped = False
    if rule.cap_points is not None and points > rule.cap_points:
        points, capped = rule.cap_points, True
    if rule.cap_amount is not None and amount > rule.cap_amount:
        amount, capped = rule.cap_amount, True
    return Outcome(True, True, units, points, money(amount), capped)


def month_total(amounts: list[Decimal], monthly_fee: Decimal, cap_fee_percent: Decimal | None) -> tuple[Decimal, bool]:
    """The month's deductions of one system, capped at a share of its monthly fee when the memorandum says so."""
    total = money(sum(amounts, Decimal(0)))
    if cap_fee_percent is not None:
        cap = money(Decimal(monthly_fee) * Decimal(cap_fee_percent) / 100)
        if total > cap:
            return cap, True
    return total, False


def score(points: list[Decimal]) -> Decimal:
    """100 minus the points off, never below 0."""
    return max(FULL_SCORE - sum(points, Decimal(0)), Decimal(0))


# ---------------------------------------------------------------- cycles (EV-03: the memorandum sets the cycle)

MONTHLY, QUARTERLY = "monthly", "quarterly"


def quarter_months(month) -> list:
    """The three first-of-month dates of the calendar quarter holding `month`."""
    first = (month.month - 1) // 3 * 3 + 1
    return [month.replace(month=first + i, day=1) for i in range(3)]


def evaluated_in(cycle: str, month) -> bool:
    """A monthly system is evaluated every month; a quarterly one in the quarter's last month (March, June,
    September, December), when the three months' facts are all in."""
    return cycle != QUARTERLY or month.month % 3 == 0


def combine(values: list, unit: str):
    """One value for a period from its months' values: not measured when no month is; a yes/no fact holds
    only if it held every measured month; a percentage is the mean of the measured months (the registry
    gives rates, not their counts — a documented simplification); anything else (counts, amounts) adds up."""
    measured = [v for v in values if v is not None]
    if not measured:
        return None
    if all(isinstance(v, bool) for v in measured):
        return all(measured)
    if unit == "%":
        return round(float(sum(Decimal(str(v)) for v in measured) / len(measured)), 1)
    total = sum(Decimal(str(v)) for v in measured)
    return int(total) if total == total.to_integral_value() else float(total)
