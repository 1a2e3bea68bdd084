import datetime as dt
from decimal import Decimal

import pytest

from tongyun.domain import fees

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)


def test_full_year_is_the_fee():
    result = fees.adjusted_fee(START, END, Decimal("120000"), D(2026, 1, 1), D(2026, 12, 31))
    assert result.period_days == 365 and result.service_days == 365
    assert result.amount == Decimal("120000.00")


def test_shutdown_mid_year_is_pro_rata_by_days():
    # in service 1 Jan … 30 Jun: 31+28+31+30+31+30 = 181 days; 120000 × 181 / 365 = 59506.849… → 59506.85
    result = fees.adjusted_fee(START, END, Decimal("120000"), None, D(2026, 6, 30))
    assert result.service_days == 181
    assert result.amount == Decimal("59506.85")
    assert result.explain() == "120000.00 × 181 / 365 = 59506.85"


def test_later_start_counts_the_start_day():
    result = fees.adjusted_fee(START, END, Decimal("36500"), D(2026, 12, 1), None)
    assert result.service_days == 31 and result.amount == Decimal("3100.00")


def test_upgrade_prices_the_rest_of_the_year_anew():
    # 36500/yr for Jan–Mar (90 days), 73000/yr from 1 Apr (275 days): 9000 + 55000
    result = fees.adjusted_fee(START, END, Decimal("36500"), None, None, [(D(2026, 4, 1), Decimal("73000"))])
    assert [s.service_days for s in result.segments] == [90, 275]
    assert result.amount == Decimal("64000.00")


def test_not_in_service_at_all_is_zero():
    assert fees.adjusted_fee(START, END, Decimal("1000"), D(2027, 1, 1), None).amount == Decimal("0.00")
    with pytest.raises(ValueError):
        fees.adjusted_fee(END, START, Decimal("1"), None, None)


def test_months_add_up_to_the_year():
    fee = Decimal("100000")
    months = [fees.month_share(START, END, fee, D(2026, m, 1), None, D(2026, 8, 15)) for m in range(1, 13)]
    assert months[0] == fees.money(fee * 31 / 365)
    assert months[8:] == [Decimal("0.00")] * 4
    total = fees.adjusted_fee(START, END, fee, None, D(2026, 8, 15)).amount
    assert abs(sum(months) - total) <= Decimal("0.05")  # rounding per month, at most a fen each


def test_penalty_is_a_share_of_the_contract_price():
    assert fees.penalty(Decimal("12345678"), Decimal("0.1")) == Decimal("12345.68")
    assert fees.penalty(Decimal("10000000"), Decimal("0.5")) == Decimal("50000.00")


def test_instalments():
    plan = fees.instalments(Decimal("10000000"))
    assert (plan.first, plan.second, plan.final) == (Decimal("3000000.00"), Decimal("4000000.00"), None)
    plan = fees.instalments(Decimal("10000000"), second_base=Decimal("9500000"), reviewed_amount=Decimal("9800000"),
                            penalties=Decimal("10000"), deductions=Decimal("2500.50"))
    assert plan.second == Decimal("3800000.00")
    assert plan.final == Decimal("9800000") - Decimal("3000000") - Decimal("3800000") - Decimal("10000") - \
        Decimal("2500.50")
    assert fees.instalments(Decimal("100"), reviewed_amount=Decimal("10")).final == Decimal("0.00")
