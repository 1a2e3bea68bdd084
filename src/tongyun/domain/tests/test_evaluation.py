from decimal import Decimal

import pytest

from tongyun.domain import evaluation as ev

FEE = Decimal("10000")


def rule(**kw):
    base = {"indicator": "x", "comparison": ev.GREATER_THAN, "threshold": Decimal(0), "consequence": ev.AMOUNT,
            "value": Decimal(500)}
    base.update(kw)
    return ev.Rule(**base)


def test_per_breach_amount():
    r = rule(mode=ev.PER_UNIT)
    out = ev.apply(r, 3, FEE)
    assert out.triggered and out.units == 3 and out.amount == Decimal("1500.00")
    assert not ev.apply(r, 0, FEE).triggered


def test_below_threshold_percent_of_monthly_fee_once():
    r = rule(comparison=ev.LESS_THAN, threshold=Decimal(95), consequence=ev.FEE_PERCENT, value=Decimal(2))
    assert ev.apply(r, 94.5, FEE).amount == Decimal("200.00")
    assert not ev.apply(r, 95, FEE).triggered
    assert not ev.apply(r, 99.9, FEE).triggered


def test_per_point_below_with_cap():
    r = rule(comparison=ev.LESS_THAN, threshold=Decimal(95), consequence=ev.POINTS, value=Decimal(2),
             mode=ev.PER_UNIT, cap_points=Decimal(5))
    out = ev.apply(r, 93.2, FEE)  # 1.8 below → 2 units → 4 points
    assert out.units == 2 and out.points == Decimal(4) and not out.capped
    out = ev.apply(r, 80, FEE)
    assert out.points == Decimal(5) and out.capped


def test_boolean_and_not_measured():
    r = rule(comparison=ev.IS_FALSE, consequence=ev.AMOUNT, value=Decimal(300))
    assert ev.apply(r, False, FEE).amount == Decimal("300.00")
    assert not ev.apply(r, True, FEE).triggered
    out = ev.apply(r, None, FEE)
    assert not out.measured and not out.triggered and out.amount == 0


def test_cap_amount_and_month_cap():
    r = rule(mode=ev.PER_UNIT, cap_amount=Decimal(1000))
    assert ev.apply(r, 5, FEE).amount == Decimal("1000.00")
    assert ev.month_total([Decimal(600), Decimal(700)], FEE, Decimal(10)) == (Decimal("1000.00"), True)
    assert ev.month_total([Decimal(600)], FEE, None) == (Decimal("600.00"), False)


def test_score_and_bad_rules():
    assert ev.score([Decimal(4), Decimal(3)]) == Decimal(93)
    assert ev.score([Decimal(200)]) == 0
    with pytest.raises(ValueError):
        rule(comparison="between")
    with pytest.raises(ValueError):
        rule(consequence="beer")


def test_quarterly_cycle_months_and_combined_values():
    import datetime as dt

    assert ev.quarter_months(dt.date(2026, 5, 17)) == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert [m for m in range(1, 13) if ev.evaluated_in(ev.QUARTERLY, dt.date(2026, m, 1))] == [3, 6, 9, 12]
    assert all(ev.evaluated_in(ev.MONTHLY, dt.date(2026, m, 1)) for m in range(1, 13))
    assert ev.combine([1, 0, 2], "次") == 3
    assert ev.combine([90.0, None, 96.0], "%") == 93.0  # mean of the measured months
    assert ev.combine([None, None, None], "%") is None  # not measured stays not measured, never 0
    assert ev.combine([True, False, True], "") is False
    assert ev.combine([True, None], "") is True
    assert ev.combine([1.5, 2], "元") == 3.5
