"""Capped development effort (OT-05): rows 38–43 and 48 promise work up to N person-months. Pure Python.

The cap is consumed by the estimates of approved, delivered and accepted requests of the service year (an
approved request reserves its effort, so two approvals cannot together pass the cap); a request that
would pass it is refused unless a separate agreement (另行签订合同, row 57) is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CapCheck:
    cap: Decimal
    consumed: Decimal
    requested: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.cap - self.consumed, Decimal("0"))

    @property
    def within(self) -> bool:
        return self.consumed + self.requested <= self.cap

    @property
    def excess(self) -> Decimal:
        return max(self.consumed + self.requested - self.cap, Decimal("0"))


def check(cap: Decimal, consumed: Decimal, requested: Decimal) -> CapCheck:
    if requested <= 0:
        raise ValueError("the estimate must be positive")
    return CapCheck(cap=cap, consumed=consumed, requested=requested)
