"""Expiring obligations (证书、许可、续保、电池): when each reminder is due. Pure Python, no Django.

An item is *due* on its expiry date, or — for something replaced at an interval (beacon batteries every
4 years, row 56) — on the last replacement plus the interval. The rule's lead times (row 62 of the
tender: "提前 1 个月确认证书认证机构及完成证书续费工作，证书到期前 1 周内将新证书更新至平台") give the
reminder stages, in order:

1. RENEW from ``due − lead months`` (same day of the month; the month's last day when it has fewer days);
2. INSTALL from ``due − window days`` (only when the rule has an install window: "within the last week"
   is the 7 days before the expiry day);
3. EXPIRED from the due day itself.

Examples: due 2026-08-15 → renew from 2026-07-15, install from 2026-08-08, expired from 2026-08-15;
due 2026-03-31 → renew from 2026-02-28.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

NONE, RENEW, INSTALL, EXPIRED = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Milestones:
    due_on: date
    renew_from: date
    install_from: date | None


def due_date(expires_on: date | None, last_replaced_on: date | None = None,
             replace_every_months: int | None = None) -> date | None:
    """The day the item must be renewed or replaced; None when neither is known."""
    if expires_on is not None:
        return expires_on
    if last_replaced_on is not None and replace_every_months:
        return last_replaced_on + relativedelta(months=replace_every_months)
    return None


def milestones(due_on: date, renew_lead_months: int, install_window_days: int = 0) -> Milestones:
    if renew_lead_months < 0 or install_window_days < 0:
        raise ValueError("lead times cannot be negative")
    renew_from = due_on - relativedelta(months=renew_lead_months)
    install_from = due_on - timedelta(days=install_window_days) if install_window_days else None
    return Milestones(due_on, renew_from, install_from)


def stage_on(today: date, marks: Milestones) -> int:
    """The reminder stage an item has reached on ``today``."""
    if today >= marks.due_on:
        return EXPIRED
    if marks.install_from is not None and today >= marks.install_from:
        return INSTALL
    if today >= marks.renew_from:
        return RENEW
    return NONE
