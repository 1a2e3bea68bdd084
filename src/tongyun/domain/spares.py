"""Spare-part arithmetic under the contract's caps (tender §14, SP-01, SP-09, SP-20) — no Django.

Money is Decimal yuan, exact to the fen: 0.1 + 0.2 is 0.30 here, never 0.30000000000000004.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")

VENDOR = "vendor"  # still under the original vendor's warranty: the vendor repairs (SP-20)
SPARES = "spares"  # out of warranty: the contractor replaces from its spares
UNKNOWN = "unknown"  # no warranty end recorded


def yuan(value) -> Decimal:
    """A money amount rounded to the fen."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def total(unit_price: Decimal, quantity: int) -> Decimal:
    return yuan(Decimal(unit_price) * quantity)


def equal_value(from_price: Decimal, from_quantity: int, to_price: Decimal, to_quantity: int) -> tuple[bool, Decimal,
                                                                                                        Decimal]:
    """SP-09: is the exchanged quantity worth exactly what it replaces (to the fen)? (equal, given, taken)."""
    given, taken = total(from_price, from_quantity), total(to_price, to_quantity)
    return given == taken, given, taken


@dataclass(frozen=True)
class CapPosition:
    """Where an item stands against its cap in a year."""

    cap: int | None  # None: the contract sets no cap
    substituted_in: int
    substituted_out: int
    used: int
    committed: int  # requested or confirmed, not yet issued

    @property
    def effective_cap(self) -> int | None:
        if self.cap is None:
            return None
        return self.cap + self.substituted_in - self.substituted_out

    @property
    def remaining(self) -> int | None:
        if self.effective_cap is None:
            return None
        return self.effective_cap - self.used

    @property
    def available(self) -> int | None:
        """What a new request may still take without an over-cap approval."""
        if self.effective_cap is None:
            return None
        return self.effective_cap - self.used - self.committed

    def exceeded_by(self, quantity: int) -> int:
        """How far `quantity` more would go beyond the cap (0: within it)."""
        if self.available is None:
            return 0
        return max(0, quantity - self.available)


def warranty_route(warranty_until: dt.date | None, today: dt.date) -> str:
    """SP-20: a device under the original vendor's warranty (its last day included) goes to the vendor."""
    if warranty_until is None:
        return UNKNOWN
    return VENDOR if today <= warranty_until else SPARES


def years_between(since: dt.date, until: dt.date) -> Decimal:
    """Years in use, to one decimal (the removed-device ledger's 使用年限)."""
    days = (until - since).days
    return (Decimal(max(days, 0)) / Decimal("365.25")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
