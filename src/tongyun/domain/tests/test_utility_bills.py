from datetime import date
from decimal import Decimal

from tongyun.domain.utility_bills import missing_months, months_between, unusual_months


def test_months_between_crosses_the_year():
    assert months_between(date(2026, 11, 15), date(2027, 2, 1)) == [
        date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]


def test_a_missing_month_is_named():
    billed = {date(2026, m, 1) for m in range(1, 13) if m != 7}
    assert missing_months(billed, date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 7, 1)]
    assert missing_months(billed | {date(2026, 7, 1)}, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_consumption_far_from_the_median_of_the_other_months():
    kwh = {date(2026, m, 1): Decimal("1000") for m in range(1, 7)}
    kwh[date(2026, 4, 1)] = Decimal("1600")  # 60 % above the usual 1000
    kwh[date(2026, 5, 1)] = Decimal("1400")  # 40 %: within tolerance
    flagged = unusual_months(kwh)
    assert [(m, v) for m, v, _usual in flagged] == [(date(2026, 4, 1), Decimal("1600"))]


def test_no_flag_without_enough_history():
    assert unusual_months({date(2026, 1, 1): Decimal("10"), date(2026, 2, 1): Decimal("1000"),
                           date(2026, 3, 1): Decimal("10")}) == []
