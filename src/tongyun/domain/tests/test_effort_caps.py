from decimal import Decimal

import pytest

from tongyun.domain.effort_caps import check


def test_within_and_beyond_the_cap():
    assert check(Decimal("0.4"), Decimal("0"), Decimal("0.4")).within
    over = check(Decimal("0.4"), Decimal("0"), Decimal("0.5"))
    assert not over.within and over.excess == Decimal("0.1") and over.remaining == Decimal("0.4")
    later = check(Decimal("0.8"), Decimal("0.6"), Decimal("0.3"))
    assert not later.within and later.remaining == Decimal("0.2")


def test_the_estimate_must_be_positive():
    with pytest.raises(ValueError):
        check(Decimal("1"), Decimal("0"), Decimal("0"))
